"""Regenerates fraudspec/spec/aws_lists.json (SageMaker hosting instance types, AWS regions) from botocore.

    python -m tools.aws_lists

Run it after upgrading botocore; tests/tools/test_aws_lists.py fails while the snapshot lists
something the installed botocore does not. The package only reads the snapshot
(fraudspec.spec.aws_lists), so validation never imports botocore.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from fraudspec.core import jsonfile
from fraudspec.core.files import write_atomic
from fraudspec.spec.aws_lists import SNAPSHOT


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


def main() -> None:
    write_atomic(SNAPSHOT, jsonfile.dumps(from_botocore(), sort_keys=True))
    print(f"wrote {SNAPSHOT}")


if __name__ == "__main__":
    main()
