"""When to retry a request, and how long to wait first (the same rules as the TypeScript SDK)."""

from __future__ import annotations

import email.utils
import time

#: Answers worth retrying: the API asks to come back later.
RETRY_STATUSES = frozenset({429, 503})
#: Longest wait before one retry, in seconds (a larger ``Retry-After`` is cut to this).
MAX_DELAY_SECONDS = 30.0
#: First backoff step without ``Retry-After``, in seconds; it doubles on each attempt.
BASE_DELAY_SECONDS = 0.25


def is_idempotent(method: str) -> bool:
    """Methods whose repetition does no harm. A POST is retried only when the caller makes it safe."""
    return method in ("GET", "HEAD", "PUT", "PATCH", "DELETE")


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """``Retry-After`` in seconds: delta seconds, or an HTTP date; None when absent or unreadable."""
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    if seconds != seconds:  # NaN
        return None
    return max(0.0, seconds)


def retry_delay_seconds(attempt: int, retry_after_seconds: float | None) -> float:
    """Wait before retry number ``attempt + 1``: the API's ``Retry-After``, else exponential backoff."""
    if retry_after_seconds is not None:
        return min(MAX_DELAY_SECONDS, retry_after_seconds)
    return min(MAX_DELAY_SECONDS, BASE_DELAY_SECONDS * 2.0**attempt)
