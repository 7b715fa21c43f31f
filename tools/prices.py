"""Check fraudspec/cost/prices.json, and the procedure that refreshes it.

    python -m tools.prices                                # check the table; print its date and what is missing
    python -m tools.prices --stamp 2026-12-01 --verified  # after a manual refresh: date it (and mark it checked)

The machines this project runs on reach PyPI, npm and Debian only, so nothing here downloads
prices. A refresh is manual, from a machine that can reach AWS:

1. Open each page in prices.json's `pages` (or query the AWS Price List API:
   `aws pricing get-products --region us-east-1 --service-code AmazonSageMaker --filters
   Type=TERM_MATCH,Field=regionCode,Value=us-east-1`, likewise AmazonS3, AmazonKinesisFirehose,
   AWSLambda, AmazonCloudWatch, awskms, AmazonStates; the Pricing API needs AWS credentials).
2. Update the us-east-1 prices: SageMaker's serverless GB-second, provisioned-concurrency GB-second
   and data-processing GB; hosting instance hours (`types`, or a family's `large` price in
   `families`); S3 PUT and storage; Firehose ingestion; Lambda GB-second and requests; CloudWatch
   alarm metric, dashboard, custom metric and PutMetricData; the KMS key; Step Functions transitions.
3. Update `regions.factors`: each region's price of ml.m5.large hosting divided by us-east-1's.
4. Run `python -m tools.prices --stamp <today> [--verified]`, then this check, then
   `pytest tests/cost` and review the goldens' change (`python tests/cost/update_goldens.py`).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from fraudspec.core import jsonfile
from fraudspec.core.files import write_atomic
from fraudspec.cost.prices import PRICES_FILE
from fraudspec.spec import aws_lists

UNPRICED_REGIONS = ("cn-",)  # billed in CNY by a separate AWS entity


def problems(table: dict[str, Any]) -> list[str]:
    """What the table lacks or names wrongly, against the regions and instance types fraudspec accepts."""
    lists = aws_lists.load()
    found = []
    factors = table["regions"]["factors"]
    for region in lists["regions"]:
        if region not in factors and not region.startswith(UNPRICED_REGIONS):
            found.append(f"region {region} has no factor")
    for region in factors:
        if region not in lists["regions"] and region != "//":
            found.append(f"region {region} is not a region fraudspec accepts")
    hour = table["sagemaker"]["instance_hour"]
    known = set(lists["instance_types"])
    for name in hour["types"]:
        if name != "//" and name not in known:
            found.append(f"instance type {name} is not a SageMaker hosting type")
    for family in hour["families"]:
        if not any(kind.startswith(family + ".") for kind in known):
            found.append(f"family {family} has no hosting instance type")
    return found


def coverage(table: dict[str, Any]) -> tuple[int, int]:
    """(priced, accepted) hosting instance types."""
    hour = table["sagemaker"]["instance_hour"]
    kinds = aws_lists.load()["instance_types"]
    priced = sum(1 for kind in kinds if kind in hour["types"]
                 or (kind.rpartition(".")[0] in hour["families"] and kind.rpartition(".")[2] in hour["sizes"]))
    return priced, len(kinds)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.prices", description=__doc__.split("\n")[0])
    parser.add_argument("--stamp", metavar="YYYY-MM-DD", help="date the table after a manual refresh")
    parser.add_argument("--verified", action="store_true", help="with --stamp: the prices were checked against AWS")
    args = parser.parse_args(argv)
    table = json.loads(PRICES_FILE.read_text(encoding="utf-8"))
    if args.stamp:
        table["as_of"], table["verified"] = args.stamp, args.verified
        write_atomic(PRICES_FILE, jsonfile.dumps(table))
    found = problems(table)
    priced, accepted = coverage(table)
    print(f"{PRICES_FILE.name}: as of {table['as_of']}, verified: {table['verified']}; "
          f"{priced} of {accepted} hosting instance types priced")
    for problem in found:
        print(f"  {problem}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
