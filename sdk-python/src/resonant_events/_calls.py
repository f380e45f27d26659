"""Each API call as a ``Call``: its arguments checked, its request, and the model of its answer.
The blocking and the async resources share these, so both check and send exactly the same."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any, TypeVar
from urllib.parse import quote

from . import _params as p
from ._transport import Call
from .models import (
    CreatedWebhook,
    Delivery,
    Event,
    EventData,
    PublishedEvent,
    Replay,
    RotatedWebhook,
    Webhook,
    WebhookTestResult,
    parse_event,
)


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


#: "Leave as it is" for ``webhooks.update`` fields, where None means "clear".
UNSET: Any = _Unset()

T = TypeVar("T")

ORDERS = ("asc", "desc")
RESOURCE_FILTERS = ("agent_id", "session_id", "team_id", "user_id")


def _segment(name: str, value: Any) -> str:
    return quote(p.text(name, value, required=True) or "", safe="")


def at_cursor(call: Call[T], cursor: str) -> Call[T]:
    """The same list request, from ``cursor`` (a page's ``next_cursor``) on."""
    return replace(call, query={**(call.query or {}), "cursor": cursor})


def _raw_page(answer: Any) -> tuple[list[Any], bool, str | None]:
    return list(answer.get("data") or []), bool(answer.get("has_more")), answer.get("next_cursor")


def resource_filters(**values: Any) -> dict[str, str | None]:
    return {name: p.text(name, values.get(name)) for name in RESOURCE_FILTERS}


# Events


def list_events(
    *,
    types: Any,
    since: Any,
    until: Any,
    agent_id: Any,
    session_id: Any,
    team_id: Any,
    user_id: Any,
    limit: Any,
    order: Any,
    cursor: Any,
) -> Call[tuple[list[Event[Any]], bool, str | None]]:
    query = {
        "types": p.patterns("types", types),
        "since": p.timestamp("since", since),
        "until": p.timestamp("until", until),
        **resource_filters(agent_id=agent_id, session_id=session_id, team_id=team_id, user_id=user_id),
        "limit": p.limit("limit", limit),
        "order": p.choice("order", order, ORDERS),
        "cursor": p.text("cursor", cursor),
    }

    def parse(answer: Any) -> tuple[list[Event[Any]], bool, str | None]:
        data, has_more, next_cursor = _raw_page(answer)
        return [parse_event(item) for item in data], has_more, next_cursor

    return Call("GET", "/events", query=query, parse=parse)


def get_event(event_id: Any) -> Call[Event[Any]]:
    return Call("GET", f"/events/{_segment('event_id', event_id)}", parse=parse_event)


def event_body(
    where: str,
    type: Any,
    data: Any,
    id: Any = None,
    created_at: Any = None,
    metadata: Any = None,
) -> dict[str, Any]:
    """One event to publish; ``where`` names it in messages (``events[2]``)."""
    prefix = f"{where}." if where else ""
    if type is None and isinstance(data, EventData) and data.EVENT_TYPE:
        type = data.EVENT_TYPE
    type = p.text(f"{prefix}type", type, required=True)
    if isinstance(data, EventData) and data.EVENT_TYPE and data.EVENT_TYPE != type:
        raise ValueError(f"{prefix}data is a {data.EVENT_TYPE} payload, but {prefix}type is {type}")
    if data is None:
        raise TypeError(f"{prefix}data is required: the payload of {type}")
    body: dict[str, Any] = {"type": type, "data": p.json_object(f"{prefix}data", data)}
    if id is not None:
        body["id"] = p.text(f"{prefix}id", id)
    if created_at is not None:
        body["created_at"] = p.timestamp(f"{prefix}created_at", created_at)
    if metadata is not None:
        body["metadata"] = p.json_object(f"{prefix}metadata", metadata)
    return body


def publish(body: dict[str, Any]) -> Call[PublishedEvent]:
    # Safe to retry only when the event carries its id: the same id twice is one event.
    return Call(
        "POST",
        "/events",
        body=body,
        idempotent="id" in body,
        parse=lambda answer: PublishedEvent.model_validate(answer),
    )


_EVENT_KEYS = ("type", "data", "id", "created_at", "metadata")


def publish_batch(events: Any) -> Call[list[PublishedEvent]]:
    if isinstance(events, str | bytes | Mapping) or not isinstance(events, Sequence):
        raise TypeError("events must be a list of events (dicts with type and data)")
    if not events:
        raise ValueError("events must hold at least one event")
    bodies = []
    for index, event in enumerate(events):
        if not isinstance(event, Mapping):
            raise TypeError(f"events[{index}] must be a dict with type and data, not {type(event).__name__}")
        unknown = [key for key in event if key not in _EVENT_KEYS]
        if unknown:
            raise ValueError(f"events[{index}].{unknown[0]} is not an event field ({', '.join(_EVENT_KEYS)})")
        bodies.append(event_body(f"events[{index}]", **{key: event.get(key) for key in _EVENT_KEYS}))
    return Call(
        "POST",
        "/events",
        body={"events": bodies},
        idempotent=all("id" in body for body in bodies),
        parse=lambda answer: [PublishedEvent.model_validate(item) for item in answer["data"]],
    )


def replay(
    *,
    since: Any,
    until: Any,
    types: Any,
    webhook_url: Any,
    webhook_id: Any,
    secret: Any,
    agent_id: Any,
    session_id: Any,
    team_id: Any,
    user_id: Any,
) -> Call[Replay]:
    if since is None or until is None:
        raise TypeError("since and until are required: the range to replay (since inclusive, until exclusive)")
    if webhook_url is None and webhook_id is None:
        raise TypeError("webhook_url or webhook_id is required: where to deliver the replayed events")
    body = p.compact(
        {
            "since": p.timestamp("since", since),
            "until": p.timestamp("until", until),
            "types": p.patterns("types", types),
            "webhook_url": p.text("webhook_url", webhook_url),
            "webhook_id": p.text("webhook_id", webhook_id),
            "secret": p.text("secret", secret),
            **resource_filters(agent_id=agent_id, session_id=session_id, team_id=team_id, user_id=user_id),
        }
    )
    return Call("POST", "/events/replay", body=body, parse=Replay.model_validate)


def get_replay(replay_id: Any) -> Call[Replay]:
    return Call("GET", f"/events/replay/{_segment('replay_id', replay_id)}", parse=Replay.model_validate)


def cancel_replay(replay_id: Any) -> Call[Replay]:
    # Asking twice is asking once.
    return Call(
        "POST",
        f"/events/replay/{_segment('replay_id', replay_id)}/cancel",
        idempotent=True,
        parse=Replay.model_validate,
    )


# Webhooks


def create_webhook(*, url: Any, events: Any, secret: Any, description: Any) -> Call[CreatedWebhook]:
    body = p.compact(
        {
            "url": p.text("url", url, required=True),
            "events": p.patterns("events", events, required=True),
            "secret": p.text("secret", secret),
            "description": p.text("description", description),
        }
    )
    return Call("POST", "/webhooks", body=body, parse=CreatedWebhook.model_validate)


def list_webhooks() -> Call[tuple[list[Webhook], bool, str | None]]:
    def parse(answer: Any) -> tuple[list[Webhook], bool, str | None]:
        data, has_more, next_cursor = _raw_page(answer)
        return [Webhook.model_validate(item) for item in data], has_more, next_cursor

    return Call("GET", "/webhooks", parse=parse)


def get_webhook(webhook_id: Any) -> Call[Webhook]:
    return Call("GET", f"/webhooks/{_segment('webhook_id', webhook_id)}", parse=Webhook.model_validate)


def update_webhook(webhook_id: Any, *, url: Any, events: Any, description: Any, enabled: Any) -> Call[Webhook]:
    body: dict[str, Any] = p.compact(
        {
            "url": None if url is UNSET else p.text("url", url, required=True),
            "events": None if events is UNSET else p.patterns("events", events, required=True),
            "enabled": None if enabled is UNSET else p.boolean("enabled", enabled),
        }
    )
    if description is not UNSET:
        body["description"] = None if description is None else p.text("description", description)
    if not body:
        raise TypeError("nothing to update: give url, events, description or enabled")
    return Call("PATCH", f"/webhooks/{_segment('webhook_id', webhook_id)}", body=body, parse=Webhook.model_validate)


def delete_webhook(webhook_id: Any) -> Call[None]:
    return Call("DELETE", f"/webhooks/{_segment('webhook_id', webhook_id)}", parse=lambda _: None)


def rotate_secret(webhook_id: Any, *, secret: Any) -> Call[RotatedWebhook]:
    return Call(
        "POST",
        f"/webhooks/{_segment('webhook_id', webhook_id)}/rotate-secret",
        body=p.compact({"secret": p.text("secret", secret)}),
        parse=RotatedWebhook.model_validate,
    )


def send_test_delivery(webhook_id: Any) -> Call[WebhookTestResult]:
    return Call("POST", f"/webhooks/{_segment('webhook_id', webhook_id)}/test", parse=WebhookTestResult.model_validate)


def list_deliveries(
    webhook_id: Any, *, limit: Any, event_id: Any, cursor: Any
) -> Call[tuple[list[Delivery], bool, str | None]]:
    query = {
        "limit": p.limit("limit", limit),
        "event_id": p.text("event_id", event_id),
        "cursor": p.text("cursor", cursor),
    }

    def parse(answer: Any) -> tuple[list[Delivery], bool, str | None]:
        data, has_more, next_cursor = _raw_page(answer)
        return [Delivery.model_validate(item) for item in data], has_more, next_cursor

    return Call("GET", f"/webhooks/{_segment('webhook_id', webhook_id)}/deliveries", query=query, parse=parse)
