"""Capture and ground-truth files as newline-aligned blocks, so memory stays flat however large a file is."""

from __future__ import annotations

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
        yield CaptureBlock(source, b"".join((carry, memoryview(chunk)[:cut])))
        carry = chunk[cut:]
    if carry:
        yield CaptureBlock(source, carry)
