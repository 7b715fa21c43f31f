"""The price table shipped in the package (prices.json): list prices in USD, dated, with their pages.

Prices are us-east-1's; a region's are those times its factor (prices.json says why and how
approximate that is). An instance type the table does not list is priced from its family's
`large` price times its size, the way SageMaker's CPU instance prices scale. Nothing here guesses
beyond that: a region or instance type the table cannot price is a FraudspecError naming the
refresh procedure.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from fraudspec.core.errors import FraudspecError

PRICES_FILE = Path(__file__).with_name("prices.json")
REFRESH_HINT = "update fraudspec/cost/prices.json (python -m tools.prices says how)"


@dataclass(frozen=True)
class PriceTable:
    data: dict[str, Any]  # prices.json, parsed; callers read it through the methods below
    region: str
    factor: float

    @property
    def as_of(self) -> str:
        return str(self.data["as_of"])

    @property
    def hours_a_month(self) -> float:
        return float(self.data["hours_a_month"])

    def price(self, service: str, item: str) -> float:
        """A usage price in the region (per unit the key names)."""
        return float(self.data[service][item]) * self.factor

    def setting(self, service: str, item: str) -> float:
        """A modelling assumption the table carries beside its prices (minutes a run, ...); no region factor."""
        return float(self.data[service][item])

    def worker_dpus(self, worker_type: str) -> float:
        """The DPUs AWS Glue bills for one worker of `worker_type` (G.1X: 1)."""
        return float(self.data["glue"]["worker_dpus"][worker_type])

    def instance_hour(self, instance_type: str) -> float:
        """SageMaker's price of one instance hour of `instance_type` in the region."""
        table = self.data["sagemaker"]["instance_hour"]
        if instance_type in table["types"]:
            return float(table["types"][instance_type]) * self.factor
        family, _, size = instance_type.rpartition(".")
        if family in table["families"] and size in table["sizes"]:
            return float(table["families"][family]) * float(table["sizes"][size]) * self.factor
        raise FraudspecError(f"the price table ({self.as_of}) has no price for {instance_type}",
                             hint=f"choose a priced instance type, or {REFRESH_HINT}")


@lru_cache(maxsize=1)
def _table() -> dict[str, Any]:
    return json.loads(PRICES_FILE.read_text(encoding="utf-8"))


def prices_for(region: str) -> PriceTable:
    data = _table()
    factors = data["regions"]["factors"]
    if region not in factors:
        raise FraudspecError(f"the price table ({data['as_of']}) has no prices for region {region}",
                             hint=f"China regions bill in CNY and are not priced; otherwise {REFRESH_HINT}")
    return PriceTable(data, region, float(factors[region]))
