"""Event ids made by the producer, so that a publish can be retried safely."""

from __future__ import annotations

import os
import time

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_event_id() -> str:
    """``evt_`` + a ULID (48-bit millisecond time, 80 random bits): unique and time-sortable, the
    form the platform assigns. Publishing an event with the same id twice yields one event."""
    value = (int(time.time() * 1000) << 80) | int.from_bytes(os.urandom(10), "big")
    chars = []
    for _ in range(26):
        chars.append(_CROCKFORD[value & 31])
        value >>= 5
    return "evt_" + "".join(reversed(chars))
