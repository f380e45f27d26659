"""Checks of the caller's arguments, done before any request: a bad argument raises ``TypeError`` or
``ValueError`` naming the parameter, and nothing is sent."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from typing import Any

from pydantic import BaseModel

# RFC 3339 date-time, as the API reads it (the API checks the calendar itself).
_RFC3339 = re.compile(r"^\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d:\d\d(\.\d{1,9})?([Zz]|[+-]\d\d:\d\d)$")

Timestamp = str | datetime


def timestamp(name: str, value: Timestamp | None) -> str | None:
    """An RFC 3339 string for a timestamp argument (a timezone-aware ``datetime`` or an RFC 3339 string)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(
                f"{name} must be a timezone-aware datetime (e.g. datetime.now(timezone.utc)), not a naive one"
            )
        utc = value.astimezone(timezone.utc)
        return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"
    if isinstance(value, str):
        if not _RFC3339.match(value):
            raise ValueError(f"{name} must be an RFC 3339 timestamp such as 2026-02-21T00:00:00Z, got {value!r}")
        return value
    raise TypeError(f"{name} must be an RFC 3339 string or a datetime, not {type(value).__name__}")


def text(name: str, value: Any, *, required: bool = False) -> str | None:
    """A non-empty string argument (an id, a URL, a cursor)."""
    if value is None:
        if required:
            raise TypeError(f"{name} is required")
        return None
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, not {type(value).__name__}")
    if value == "":
        raise ValueError(f"{name} must not be empty")
    return value


def patterns(name: str, value: Any, *, required: bool = False) -> list[str] | None:
    """A list of event type patterns (``["session.*", "agent.created"]``)."""
    if value is None:
        if required:
            raise TypeError(f"{name} is required: a list of event types such as ['session.*']")
        return None
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise TypeError(f"{name} must be a list of event types such as ['session.*'], not {type(value).__name__}")
    items = list(value)
    for index, item in enumerate(items):
        if not isinstance(item, str) or item == "":
            raise ValueError(f"{name}[{index}] must be a non-empty string such as 'session.*', got {item!r}")
        if "," in item:
            raise ValueError(f"{name}[{index}] must be one pattern; give several as separate list items, got {item!r}")
    if required and not items:
        raise ValueError(f"{name} must name at least one event type")
    return items


def limit(name: str, value: Any, *, maximum: int = 1000) -> int | None:
    """A page size between 1 and ``maximum``."""
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    if not 1 <= value <= maximum:
        raise ValueError(f"{name} must be between 1 and {maximum}, got {value}")
    return value


def choice(name: str, value: Any, allowed: tuple[str, ...]) -> str | None:
    if value is None:
        return None
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(repr(a) for a in allowed)}, got {value!r}")
    return str(value)


def boolean(name: str, value: Any) -> bool | None:
    if value is None:
        return None
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, not {type(value).__name__}")
    return value


def json_object(name: str, value: Any) -> dict[str, Any]:
    """A JSON object argument: a mapping, or one of this package's models."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=False)
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"{name} must be a dict (or a model of this package), not {type(value).__name__}")


def compact(values: Mapping[str, Any]) -> dict[str, Any]:
    """The values that were given (None means not given)."""
    return {key: value for key, value in values.items() if value is not None}
