"""The AWS lists validation checks against (SageMaker hosting instance types, AWS regions).

They are read from a snapshot, aws_lists.json, so that `fraudspec validate` never imports botocore
(slow to import); `python -m tools.aws_lists` refreshes it from the installed botocore.
"""

from __future__ import annotations

import json
from pathlib import Path

SNAPSHOT = Path(__file__).with_name("aws_lists.json")


def load() -> dict:
    return json.loads(SNAPSHOT.read_text())
