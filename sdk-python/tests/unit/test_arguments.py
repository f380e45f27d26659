"""Bad arguments raise before any request, naming the parameter."""

from datetime import datetime, timezone

import httpx
import pytest

from resonant_events import AsyncClient, Client
from resonant_events.models import SessionCompletedData


def refusing_transport(sent: list[httpx.Request]) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(500)

    return httpx.MockTransport(handler)


@pytest.fixture
def sent() -> list[httpx.Request]:
    return []


@pytest.fixture
def client(sent) -> Client:
    return Client(api_key="key", http_client=httpx.Client(transport=refusing_transport(sent)))


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda c: c.events.list(limit=0), ValueError, "limit must be between 1 and 1000"),
        (lambda c: c.events.list(limit="10"), TypeError, "limit must be an int"),
        (lambda c: c.events.list(types="session.*"), TypeError, r"types must be a list of event types"),
        (lambda c: c.events.list(types=["session.*,agent.*"]), ValueError, r"types\[0\] must be one pattern"),
        (lambda c: c.events.list(types=[""]), ValueError, r"types\[0\] must be a non-empty string"),
        (lambda c: c.events.list(since="yesterday"), ValueError, "since must be an RFC 3339 timestamp"),
        (lambda c: c.events.list(until=datetime(2026, 2, 21)), ValueError, "until must be a timezone-aware datetime"),
        (lambda c: c.events.list(order="up"), ValueError, "order must be one of 'asc', 'desc'"),
        (lambda c: c.events.list(session_id=123), TypeError, "session_id must be a string"),
        (lambda c: c.events.list(unknown=1), TypeError, "unexpected keyword argument 'unknown'"),
        (lambda c: c.events.get(""), ValueError, "event_id must not be empty"),
        (lambda c: c.events.publish(data={"a": 1}), TypeError, "type is required"),
        (lambda c: c.events.publish("session.completed"), TypeError, "data is required"),
        (lambda c: c.events.publish("session.completed", ["x"]), TypeError, "data must be a dict"),
        (
            lambda c: c.events.publish(
                "session.failed",
                SessionCompletedData(
                    session_id="s", agent_id="a", status="completed", steps=1, duration_ms=1, tokens_used=1
                ),
            ),
            ValueError,
            "data is a session.completed payload, but type is session.failed",
        ),
        (lambda c: c.events.publish_batch([]), ValueError, "at least one event"),
        (
            lambda c: c.events.publish_batch([{"type": "x", "data": {}, "colour": 1}]),
            ValueError,
            r"events\[0\]\.colour",
        ),
        (lambda c: c.events.publish_batch([{"type": "x", "data": {}}, {"type": "x"}]), TypeError, r"events\[1\]\.data"),
        (
            lambda c: c.events.replay(since="2026-02-20T00:00:00Z", until="2026-02-21T00:00:00Z"),
            TypeError,
            "webhook_url or webhook_id",
        ),
        (lambda c: c.events.get_replay_status(None), TypeError, "replay_id is required"),
        (lambda c: c.events.subscribe(events="session.*"), TypeError, "events must be a list"),
        (lambda c: c.events.subscribe(max_initial_attempts=0), ValueError, "max_initial_attempts"),
        (lambda c: c.webhooks.create(url="https://example.com/webhook", events=[]), ValueError, "at least one"),
        (lambda c: c.webhooks.create(url=None, events=["agent.created"]), TypeError, "url is required"),
        (lambda c: c.webhooks.update("wh_1"), TypeError, "nothing to update"),
        (lambda c: c.webhooks.update("wh_1", enabled="yes"), TypeError, "enabled must be True or False"),
        (lambda c: c.webhooks.deliveries("wh_1", limit=5000), ValueError, "limit must be between 1 and 1000"),
    ],
)
def test_bad_arguments_raise_before_any_request(client, sent, call, error, message):
    with pytest.raises(error, match=message):
        call(client)
    assert sent == []


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"api_key": ""}, "api_key is required"),
        ({"api_key": "k", "base_url": "127.0.0.1:8080"}, "base_url must be an http"),
        ({"api_key": "k", "timeout_seconds": 0}, "timeout_seconds must be a positive number"),
        ({"api_key": "k", "max_retries": -1}, "max_retries must be a whole number"),
    ],
)
def test_bad_client_options_raise_at_construction(options, message):
    with pytest.raises(ValueError, match=message):
        Client(**options)
    with pytest.raises(ValueError, match=message):
        AsyncClient(**options)


def test_timestamps_are_sent_as_rfc3339_utc_with_milliseconds():
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"data": [], "has_more": False, "next_cursor": None})

    client = Client(api_key="key", http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    since = datetime(2026, 2, 20, 1, 2, 3, 456789, tzinfo=timezone.utc)
    client.events.list(since=since, until="2026-02-21T00:00:00Z", types=["session.*", "agent.created"], limit=5)
    assert dict(seen[0].url.params) == {
        "since": "2026-02-20T01:02:03.456Z",
        "until": "2026-02-21T00:00:00Z",
        "types": "session.*,agent.created",
        "limit": "5",
    }
