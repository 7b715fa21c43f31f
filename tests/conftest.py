"""Shared fixtures. Tests never write outside their tmp_path (HOME is redirected)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path_factory.mktemp("home")))
    monkeypatch.delenv("XDG_STATE_HOME", raising=False)  # the crash log's folder follows HOME too


@pytest.fixture(scope="session")
def terraform_plugin_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One TF_PLUGIN_CACHE_DIR for the session: the provider is installed once, then linked by every
    `terraform init` (see tests/offline_terraform.py)."""
    return tmp_path_factory.mktemp("terraform-plugin-cache")


class ManualClock:
    """A scheduler clock (fraudspec.runtime.scheduler.Clock) that moves only when the test says so."""

    def __init__(self, start: datetime) -> None:
        self._now = start
        self._changed = threading.Condition()
        self._waits: dict[object, datetime] = {}  # one entry per thread blocked in wait_until: its moment

    def now(self) -> datetime:
        with self._changed:
            return self._now

    def wait_until(self, moment: datetime, stop: threading.Event) -> bool:
        token = object()
        with self._changed:
            if moment > self._now:
                self._waits[token] = moment
                self._changed.notify_all()
                while token in self._waits and not stop.is_set():
                    self._changed.wait(0.01)  # polls `stop`, which has no way to notify this condition
                self._waits.pop(token, None)
            return stop.is_set()

    def advance(self, delta: timedelta) -> None:
        """Moves time on and releases every wait whose moment has come."""
        with self._changed:
            self._now += delta
            for token, moment in list(self._waits.items()):
                if moment <= self._now:
                    del self._waits[token]
            self._changed.notify_all()

    def waiting(self, count: int, timeout: float = 20) -> list[datetime]:
        """Once `count` threads wait on this clock (so every run released by `advance` has finished),
        the moments they wait for, earliest first."""
        with self._changed:
            if not self._changed.wait_for(lambda: len(self._waits) >= count, timeout):
                raise AssertionError(f"{len(self._waits)} of {count} threads waiting after {timeout} s")
            return sorted(self._waits.values())


@pytest.fixture
def manual_clock() -> Callable[[datetime], ManualClock]:
    """`manual_clock(start)`: a clock for fraudspec.runtime.scheduler that tests advance by hand."""
    return ManualClock
