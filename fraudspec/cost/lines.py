"""What every part of the estimate is made of: a priced line, a unit price in a formula, and the
month's requests and monitoring runs."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from fraudspec.cost.prices import PriceTable
from fraudspec.spec.model import Schedule, Spec
from fraudspec.spec.schedule import window_seconds

GIB = 2**30  # AWS bills "GB" of data and storage in binary gigabytes


def usd(price: float) -> str:
    """A unit price in a formula: six significant digits in plain notation, never float noise."""
    return f"${Decimal(f'{price:.6g}'):f}"


@dataclass(frozen=True)
class Line:
    component: str  # endpoint, capture, monitoring, cloudwatch, reports, kms, idle clean-up
    item: str
    formula: str  # the arithmetic, with the numbers used
    inputs: dict[str, Any]
    monthly: float  # USD


def requests_a_month(spec: Spec, prices: PriceTable) -> float:
    return spec.expected_traffic.requests_per_day * prices.hours_a_month / 24


def runs_a_month(schedule: Schedule, prices: PriceTable) -> float:
    return prices.hours_a_month * 3600 / window_seconds(schedule)
