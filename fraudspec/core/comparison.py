"""Threshold comparisons, by the names Model Monitor's constraints and CloudWatch's alarms share.

The name says which side breaches: `LessThanThreshold` 0.8 breaches when the value is below 0.8.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from typing import Literal

Comparison = Literal["GreaterThanThreshold", "GreaterThanOrEqualToThreshold", "LessThanThreshold",
                     "LessThanOrEqualToThreshold"]

BREACHES: Mapping[str, Callable[[float, float], bool]] = {
    "GreaterThanThreshold": operator.gt,
    "GreaterThanOrEqualToThreshold": operator.ge,
    "LessThanThreshold": operator.lt,
    "LessThanOrEqualToThreshold": operator.le,
}
SYMBOL: Mapping[str, str] = {
    "GreaterThanThreshold": ">", "GreaterThanOrEqualToThreshold": ">=",
    "LessThanThreshold": "<", "LessThanOrEqualToThreshold": "<=",
}


def breaches(value: float, comparison: Comparison, threshold: float) -> bool:
    return BREACHES[comparison](value, threshold)
