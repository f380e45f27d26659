"""client.events against the running platform: publish, get, list and its pages, replays."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from support.events import event, wait_for_history
from support.waiting import eventually, eventually_async

from resonant_events import Client, ConflictError, InvalidRequestError, NotFoundError, new_event_id, verify_webhook
from resonant_events.models import SessionCompletedData, SessionCompletedEvent, SessionStepCompletedEvent

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def client(make_client):
    return make_client("events")


def test_publishes_one_event_a_typed_one_and_a_batch_then_gets_them(client, examples):
    one = client.events.publish("session.started", {**examples["session.started"], "session_id": "sess_py_pub"})
    assert one.id.startswith("evt_") and one.type == "session.started"

    typed = client.events.publish(
        data=SessionCompletedData(
            session_id="sess_py_pub",
            agent_id="agent_456",
            status="completed",
            steps=5,
            duration_ms=12345,
            tokens_used=2500,
        ),
        id=new_event_id(),
        created_at=datetime(2026, 2, 21, 3, 27, tzinfo=timezone.utc),
        metadata={"user_id": "user_456", "request_id": "req_xyz"},
    )
    assert typed.type == "session.completed"
    assert typed.created_at == datetime(2026, 2, 21, 3, 27, tzinfo=timezone.utc)

    batch = client.events.publish_batch(
        [event(examples, "session.step.completed", session_id="sess_py_pub", step_number=n) for n in range(3)]
    )
    assert [p.type for p in batch] == ["session.step.completed"] * 3

    wait_for_history(client, {one.id, typed.id, *(p.id for p in batch)}, session_id="sess_py_pub")
    got = client.events.get(typed.id)
    assert isinstance(got, SessionCompletedEvent)
    assert got.data.tokens_used == 2500
    assert got.metadata.user_id == "user_456"
    assert got.metadata.organization_id  # the key's organization


def test_the_same_id_published_twice_is_one_event(client, examples):
    repeated = event(examples, "session.failed", session_id="sess_py_twice")
    first = client.events.publish(**repeated)
    second = client.events.publish(**repeated)
    assert first.id == second.id == repeated["id"]
    marker = event(examples, "session.started", session_id="sess_py_twice")
    client.events.publish(**marker)
    wait_for_history(client, {repeated["id"], marker["id"]}, session_id="sess_py_twice")
    assert [e.id for e in client.events.list(session_id="sess_py_twice", types=["session.failed"])] == [repeated["id"]]


def test_lists_pages_and_every_page_while_events_are_published(client, examples):
    published = client.events.publish_batch(
        [event(examples, "session.step.completed", session_id="sess_py_pages", step_number=n) for n in range(25)]
    )
    ids = {p.id for p in published}
    wait_for_history(client, ids, session_id="sess_py_pages")

    page = client.events.list(session_id="sess_py_pages", limit=10)
    assert len(page) == 10 and page.has_more and page.next_cursor
    assert all(isinstance(e, SessionStepCompletedEvent) for e in page)
    last = client.events.list(session_id="sess_py_pages", limit=10, cursor=page.next_page().next_cursor)
    assert len(last) == 5 and not last.has_more and last.next_cursor is None and last.next_page() is None

    # Iterating every page while new events arrive: each event of the walk's start once, no repeat.
    seen = []
    for e in client.events.list_all(session_id="sess_py_pages", limit=7, order="asc"):
        seen.append(e.id)
        if len(seen) in (3, 10):
            client.events.publish(
                **event(examples, "session.step.completed", session_id="sess_py_pages", step_number=99)
            )
    assert len(seen) == len(set(seen))
    assert ids <= set(seen)

    # The page's own iterator goes on through the following pages too.
    assert {e.id for e in client.events.list(session_id="sess_py_pages", limit=4).auto_paging_iter()} >= ids


def test_filters_by_type_pattern_and_time(client, examples):
    base = datetime(2026, 2, 20, tzinfo=timezone.utc)
    at = [base + timedelta(hours=h) for h in (1, 2, 30)]
    published = [
        client.events.publish(**{**event(examples, t, session_id="sess_py_filters"), "created_at": when})
        for t, when in zip(("session.started", "session.completed", "session.failed"), at, strict=True)
    ]
    wait_for_history(client, {p.id for p in published}, session_id="sess_py_filters")
    in_range = client.events.list(session_id="sess_py_filters", since=base, until=base + timedelta(days=1))
    assert [e.id for e in in_range] == [published[1].id, published[0].id]  # newest first
    completed_or_failed = client.events.list(
        session_id="sess_py_filters", types=["session.completed", "session.failed"]
    )
    assert {e.type for e in completed_or_failed} == {"session.completed", "session.failed"}


def test_typed_errors_carry_code_and_details(client):
    with pytest.raises(NotFoundError) as missing:
        client.events.get("evt_00000000000000000000000000")
    assert (missing.value.status, missing.value.code) == (404, "not_found")

    with pytest.raises(InvalidRequestError) as unknown:
        client.events.list(types=["session.exploded"])
    assert unknown.value.code == "unknown_event_type"
    assert [d.field for d in unknown.value.details] == ["types"]

    with pytest.raises(InvalidRequestError) as cursor:
        client.events.list(cursor="not-a-cursor")
    assert cursor.value.code == "invalid_cursor"

    with pytest.raises(InvalidRequestError) as bad:
        client.events.publish_batch(
            [
                {"type": "session.completed", "data": {"session_id": "s"}},
                {
                    "type": "session.started",
                    "data": {"session_id": "s", "agent_id": "a", "goal": "g", "model": "m", "x": 1},
                },
            ]
        )
    assert bad.value.code == "invalid_request"
    fields = {(d.index, d.field) for d in bad.value.details}
    assert (0, "events[0].data.agent_id") in fields
    assert (1, "events[1].data.x") in fields
    assert bad.value.request_id


def test_replays_a_range_to_an_endpoint_and_cancels_are_refused_once_finished(client, examples, receiver):
    secret = "whsec_cHl0aG9uLXNkay1yZXBsYXktc2VjcmV0LWJ5dGVzIQ=="
    since = datetime.now(timezone.utc) - timedelta(seconds=2)
    published = client.events.publish(**event(examples, "agent.created", agent_id="agent_py_replay"))
    until = datetime.now(timezone.utc) + timedelta(seconds=1)
    replay = client.events.replay(
        since=since, until=until, agent_id="agent_py_replay", webhook_url=f"{receiver.url}/replay", secret=secret
    )
    assert replay.id.startswith("rpl_")
    assert replay.event_count == 1

    status = eventually(
        lambda: (s := client.events.get_replay_status(replay.id)).finished and s,
        timeout_seconds=120,
        interval_seconds=0.5,
        what="the replay to finish",
    )
    assert (status.status, status.delivered, status.failed, status.total) == ("completed", 1, 0, 1)
    with pytest.raises(ConflictError) as finished:
        client.events.cancel_replay(replay.id)
    assert (finished.value.status, finished.value.code) == (409, "conflict")
    with pytest.raises(NotFoundError):
        client.events.get_replay_status("rpl_00000000000000000000000000")

    [delivery] = receiver.requests_to("/replay")
    verified = verify_webhook(delivery.body, delivery.headers, secret)
    assert verified.id == published.id
    assert delivery.headers["rg-replay-id"] == replay.id


def test_an_admin_key_acts_for_the_organization_it_names(client, api_url, api_keys, organizations):
    created = client.webhooks.create(url="https://example.com/admin", events=["agent.created"])
    admin = Client(api_key=api_keys["admin"], base_url=api_url, organization_id=organizations["events"])
    assert admin.webhooks.get(created.id).url == "https://example.com/admin"
    with pytest.raises(InvalidRequestError) as unnamed:  # an admin key must name the organization
        Client(api_key=api_keys["admin"], base_url=api_url).webhooks.get(created.id)
    assert [d.field for d in unnamed.value.details] == ["RG-Organization-Id"]
    client.webhooks.delete(created.id)


@pytest.mark.anyio
async def test_the_async_client_makes_the_same_calls(make_async_client, examples):
    async with make_async_client("events") as client:
        published = await client.events.publish_batch(
            [event(examples, "session.step.completed", session_id="sess_py_async", step_number=n) for n in range(5)]
        )

        async def listed():
            page = await client.events.list(session_id="sess_py_async", limit=2)
            return {e.id async for e in page.auto_paging_iter()}

        ids = {p.id for p in published}

        async def all_listed():
            return ids <= await listed()

        await eventually_async(all_listed, timeout_seconds=120, interval_seconds=0.5, what="the events in history")
        assert {e.id async for e in client.events.list_all(session_id="sess_py_async", limit=3)} == ids
        got = await client.events.get(published[0].id)
        assert isinstance(got, SessionStepCompletedEvent)
        with pytest.raises(NotFoundError):
            await client.events.get("evt_00000000000000000000000000")
