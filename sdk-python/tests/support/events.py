"""Events to publish in tests, and waiting for them in history."""

from __future__ import annotations

from typing import Any

from resonant_events import Client, new_event_id
from support.waiting import eventually

# Generous: the shared 2-core machine can make the sink slow to insert.
HISTORY_WAIT_SECONDS = 120.0


def event(examples: dict[str, dict[str, Any]], type: str, **data: Any) -> dict[str, Any]:
    """An event to publish: the guide's example of ``type`` with ``data`` overrides, and its own id."""
    return {"type": type, "data": {**examples[type], **data}, "id": new_event_id()}


def wait_for_history(client: Client, ids: set[str], **filters: Any) -> None:
    """Until every id is in history (the sink inserts in batches)."""

    def all_there() -> bool:
        seen = {e.id for e in client.events.list_all(limit=1000, **filters)}
        return ids <= seen

    eventually(
        all_there, timeout_seconds=HISTORY_WAIT_SECONDS, interval_seconds=0.5, what=f"{len(ids)} events in history"
    )
