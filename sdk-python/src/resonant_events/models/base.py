"""The event envelope; the per-type models in ``events.py`` are generated from the Avro schemas."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, Generic, TypeVar

from pydantic import BaseModel, ConfigDict


class Record(BaseModel):
    """A record of an event's payload. Prints as a dict, the way the guide shows payloads."""

    # Fields a newer platform adds are kept (readable as attributes), not dropped.
    model_config = ConfigDict(extra="allow", populate_by_name=True)

    def __str__(self) -> str:
        return str(self.model_dump(mode="json", by_alias=True))


class EventData(Record):
    """The ``data`` of one event type (a generated subclass per type)."""

    #: The event type whose ``data`` this is.
    EVENT_TYPE: ClassVar[str] = ""


class EventMetadata(BaseModel):
    """Context of an event."""

    model_config = ConfigDict(extra="allow")

    #: Organization the event belongs to.
    organization_id: str
    #: User who caused it, when one did.
    user_id: str | None = None
    #: Request that caused it, for tracing.
    request_id: str | None = None


DataT = TypeVar("DataT")


class Event(BaseModel, Generic[DataT]):
    """An event as the API answers it. Each catalogue type has its subclass (``SessionCompletedEvent``,
    whose ``data`` is a ``SessionCompletedData``); a type this package does not know keeps ``data`` as a dict."""

    model_config = ConfigDict(extra="allow")

    #: ``evt_`` + a ULID: unique and time-sortable.
    id: str
    #: ``category.action``, e.g. ``session.completed``.
    type: str
    #: When it occurred (UTC, millisecond precision).
    created_at: datetime
    data: DataT
    metadata: EventMetadata


class Model(BaseModel):
    """Base of the API's other answers (webhooks, deliveries, replays): fields a newer API adds are kept."""

    model_config = ConfigDict(extra="allow")
