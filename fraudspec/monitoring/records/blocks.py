"""Capture and ground-truth files as newline-aligned blocks, so memory stays flat however large a file is."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

BLOCK_BYTES = 16 * 1024 * 1024

@dataclass(frozen=True)
class CaptureBlock:
    source: str  # the file or s3:// object, for messages; a source's blocks arrive in order
    data: bytes  # whole lines


def aligned_blocks(source: str, chunks: Iterable[bytes]) -> Iterator[CaptureBlock]:
    """Re-cut a byte stream into blocks that end at a newline (the last one may not)."""
    carry = b""
    for chunk in chunks:
        cut = chunk.rfind(b"\n") + 1
        if not cut:
            carry += chunk
            continue
        if not carry and cut == len(chunk):  # already whole lines: no copy
            yield CaptureBlock(source, chunk)
            continue
        yield CaptureBlock(source, b"".join((carry, memoryview(chunk)[:cut])))
        carry = chunk[cut:]
    if carry:
        yield CaptureBlock(source, carry)


@dataclass(frozen=True)
class _Failed:
    error: BaseException


def read_ahead(blocks: Iterable[CaptureBlock], depth: int = 2) -> Iterator[CaptureBlock]:
    """The blocks in order, read up to `depth` ahead by a thread: reading the next one (file or S3 I/O,
    which releases the GIL) overlaps parsing this one. An error reading is raised here, in order."""
    ahead: queue.Queue[CaptureBlock | _Failed | None] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: CaptureBlock | _Failed | None) -> bool:
        """Hands `item` over; False when the reader has stopped."""
        while not stop.is_set():
            try:
                ahead.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for block in blocks:
                if not put(block):
                    return
        except BaseException as error:  # handed to the reader's thread, in order
            put(_Failed(error))
            return
        put(None)

    reader = threading.Thread(target=produce, name="capture-read-ahead", daemon=True)
    reader.start()
    try:
        while (item := ahead.get()) is not None:
            if isinstance(item, _Failed):
                raise item.error
            yield item
    finally:
        stop.set()  # a reader that stops early frees the thread
