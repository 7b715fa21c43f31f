"""Blocks read ahead by a thread arrive in order, a reading error arrives where it happened, and a
reader that stops early does not leave the thread waiting."""

from __future__ import annotations

import threading
import time

import pytest

from fraudspec.monitoring.records.blocks import CaptureBlock, read_ahead


def _blocks(n: int, fail_at: int | None = None):
    for i in range(n):
        if i == fail_at:
            raise OSError("disk gone")
        yield CaptureBlock("f", f"{i}\n".encode())


def test_blocks_arrive_in_order() -> None:
    assert [b.data for b in read_ahead(_blocks(50))] == [f"{i}\n".encode() for i in range(50)]


def test_a_reading_error_is_raised_after_the_blocks_before_it() -> None:
    seen = []
    with pytest.raises(OSError, match="disk gone"):
        for block in read_ahead(_blocks(10, fail_at=4)):
            seen.append(block.data)
    assert seen == [b"0\n", b"1\n", b"2\n", b"3\n"]


def test_stopping_early_ends_the_thread() -> None:
    reader = read_ahead(_blocks(1000))
    assert next(reader).data == b"0\n"
    reader.close()
    deadline = time.monotonic() + 5
    while any(t.name == "capture-read-ahead" for t in threading.enumerate()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(t.name == "capture-read-ahead" for t in threading.enumerate())
