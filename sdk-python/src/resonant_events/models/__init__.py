"""Models of the API's answers. The event models (``events.py``) are generated from the Avro schemas."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from . import events as _events
from .base import Event, EventData, EventMetadata, Model, Record
from .events import *  # noqa: F403 (every <Type>Data and <Type>Event)
from .events import EVENT_MODELS
from .resources import (
    CreatedWebhook,
    Delivery,
    PublishedEvent,
    Replay,
    ReplayStatus,
    RotatedWebhook,
    Webhook,
    WebhookTestResult,
)


def parse_event(value: Mapping[str, Any]) -> Event[Any]:
    """The model of an event's JSON: its type's generated model (``SessionCompletedEvent``, ...), or a
    plain ``Event`` whose ``data`` is a dict for a type this package does not know (such as
    ``webhook.test``, or a type added to the platform after this release)."""
    model = EVENT_MODELS.get(str(value.get("type")))
    if model is not None:
        try:
            return model.model_validate(value)
        except ValidationError:
            # A payload of a newer schema than this package's: readable as a dict rather than lost.
            pass
    return Event[dict[str, Any]].model_validate(value)


__all__ = [
    *_events.__all__,
    "CreatedWebhook",
    "Delivery",
    "Event",
    "EventData",
    "EventMetadata",
    "Model",
    "PublishedEvent",
    "Record",
    "Replay",
    "ReplayStatus",
    "RotatedWebhook",
    "Webhook",
    "WebhookTestResult",
    "parse_event",
]
