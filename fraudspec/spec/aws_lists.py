"""Regenerates `aws_lists.json` (SageMaker hosting instance types, AWS regions) from botocore.

The validator reads the JSON snapshot so that `fraudspec validate` never imports botocore
(slow to import). Run `python -m fraudspec.spec.aws_lists` after upgrading botocore;
tests/spec/test_aws_lists.py fails while the snapshot is stale.
"""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

SNAPSHOT = Path(__file__).with_name("aws_lists.json")


def from_botocore() -> dict:
    import botocore

    data = Path(botocore.__file__).parent / "data"
    model_file = next((data / "sagemaker").glob("*/service-2.json*"))
    opener = gzip.open if model_file.suffix == ".gz" else open
    with opener(model_file, "rt") as handle:
        model = json.load(handle)
    endpoints = json.loads((data / "endpoints.json").read_text())
    regions = {
        region
        for partition in endpoints["partitions"]
        for region in partition["regions"]
        if partition["partition"] in ("aws", "aws-cn", "aws-us-gov")
    }
    return {
        "botocore": botocore.__version__,
        "instance_types": sorted(model["shapes"]["ProductionVariantInstanceType"]["enum"]),
        "regions": sorted(regions),
    }


def load() -> dict:
    return json.loads(SNAPSHOT.read_text())


def main() -> None:
    tmp = SNAPSHOT.with_suffix(".tmp")
    tmp.write_text(json.dumps(from_botocore(), indent=1, sort_keys=True) + "\n")
    os.replace(tmp, SNAPSHOT)
    print(f"wrote {SNAPSHOT}")


if __name__ == "__main__":
    main()
