"""CloudWatch alarm semantics, evaluated over the local runtime's monitoring metrics.

Each monitoring run is one period. An alarm looks at its metric's last `evaluation_periods`
datapoints: at least `datapoints_to_alarm` breaching ones put it in ALARM. Missing datapoints
(a run without data for that feature) follow `treat_missing_data` as CloudWatch documents it:
`missing` (all missing: INSUFFICIENT_DATA), `breaching`, `notBreaching`, `ignore` (keep state).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from fraudspec.core.comparison import SYMBOL, breaches

if TYPE_CHECKING:
    from fraudspec.monitoring.alarms.definitions import Alarm

State = Literal["OK", "ALARM", "INSUFFICIENT_DATA"]
STATES: tuple[State, ...] = ("OK", "ALARM", "INSUFFICIENT_DATA")


@dataclass(frozen=True)
class Transition:
    alarm: str
    metric: str
    old: State
    new: State
    reason: str


def evaluate(alarm: Alarm, datapoints: Sequence[float | None], current: State) -> State:
    """The alarm's state after the newest datapoint; `datapoints` oldest first, None = missing."""
    recent = list(datapoints[-alarm.evaluation_periods:])
    window: list[float | None] = [None] * (alarm.evaluation_periods - len(recent))
    window += recent
    present = [value for value in window if value is not None]
    if not present and alarm.treat_missing_data in ("missing", "ignore"):
        return current if alarm.treat_missing_data == "ignore" else "INSUFFICIENT_DATA"
    breaching = sum(1 for value in present if breaches(value, alarm.comparison, alarm.threshold))
    if alarm.treat_missing_data == "breaching":
        breaching += len(window) - len(present)
    return "ALARM" if breaching >= alarm.breaching_datapoints else "OK"


def reason(alarm: Alarm, datapoints: Sequence[float | None], state: State) -> str:
    recent = [value for value in datapoints[-alarm.evaluation_periods:] if value is not None]
    shown = ", ".join(f"{value:.4g}" for value in recent) or "none"
    symbol = SYMBOL[alarm.comparison]
    return (f"{alarm.metric_name} in the last {alarm.evaluation_periods} run(s): [{shown}]; ALARM needs "
            f"{alarm.breaching_datapoints} value(s) {symbol} {alarm.threshold:g}; now {state}")
