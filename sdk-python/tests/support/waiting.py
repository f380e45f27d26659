"""Waiting for a condition by polling it, never for a fixed time."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


def eventually(
    check: Callable[[], T | None],
    *,
    timeout_seconds: float = 30.0,
    interval_seconds: float = 0.1,
    what: str = "condition",
) -> T:
    """Calls ``check`` until it returns something other than None (or False), or fails after the timeout."""
    deadline = time.monotonic() + timeout_seconds
    last_error: Exception | None = None
    while True:
        try:
            value = check()
            if value is not None and value is not False:
                return value
        except AssertionError as error:
            last_error = error
        if time.monotonic() > deadline:
            raise AssertionError(
                f"timed out after {timeout_seconds} s waiting for {what}" + (f": {last_error}" if last_error else "")
            )
        time.sleep(interval_seconds)


async def eventually_async(
    check: Callable[[], Awaitable[T | None]],
    *,
    timeout_seconds: float = 30.0,
    interval_seconds: float = 0.1,
    what: str = "condition",
) -> T:
    deadline = time.monotonic() + timeout_seconds
    while True:
        value = await check()
        if value is not None and value is not False:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_seconds} s waiting for {what}")
        await asyncio.sleep(interval_seconds)
