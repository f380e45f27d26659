"""events.subscribe against the running platform: filters, a dropped connection resumed with no gap
and no duplicate, resuming from a saved cursor, refusals, the per-key stream limit (a real 429)."""

from __future__ import annotations

import asyncio
import re
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest
from support.events import event
from support.proxies import TcpProxy

from resonant_events import ApiConnectionError, AuthenticationError, Client, Event, InvalidRequestError, RateLimitError

pytestmark = [pytest.mark.integration, pytest.mark.anyio]

Publish = Callable[[], Awaitable[Any]]


async def attach(events: AsyncIterator[Event[Any]], probe: Publish, *, timeout_seconds: float = 150) -> Event[Any]:
    """Publishes probes until the subscription receives one: the stream starts at the live end,
    so an event published before it attached is not sent."""
    first = asyncio.ensure_future(events.__anext__())
    deadline = asyncio.get_running_loop().time() + timeout_seconds
    while asyncio.get_running_loop().time() < deadline:
        await probe()
        done, _ = await asyncio.wait({first}, timeout=1)
        if done:
            return first.result()
    first.cancel()
    raise AssertionError(f"the subscription received no probe within {timeout_seconds} s")


async def take(
    events: AsyncIterator[Event[Any]],
    count: int,
    *,
    until: Callable[[Event[Any]], bool] = lambda e: True,
    timeout_seconds: float = 60,
) -> list[Event[Any]]:
    """The next ``count`` events that satisfy ``until``, skipping others."""

    async def collect() -> list[Event[Any]]:
        taken: list[Event[Any]] = []
        while len(taken) < count:
            received = await events.__anext__()
            if until(received):
                taken.append(received)
        return taken

    return await asyncio.wait_for(collect(), timeout_seconds)


@pytest.fixture
async def publisher(make_async_client):
    async with make_async_client("subscribe") as client:
        yield client


def completed(examples, session_id: str, n: int) -> dict[str, Any]:
    return event(examples, "session.completed", session_id=session_id, steps=n)


async def test_streams_only_the_events_its_filters_match(make_client, publisher, examples):
    client = make_client("subscribe")
    subscription = client.events.subscribe(events=["session.*"], session_id="sess_py_filter")
    events = aiter(subscription)
    probe = lambda: publisher.events.publish(**event(examples, "session.started", session_id="sess_py_filter"))  # noqa: E731
    first = await attach(events, probe)
    assert first.type == "session.started" and first.data.session_id == "sess_py_filter"
    await publisher.events.publish_batch(
        [
            event(examples, "agent.created"),
            completed(examples, "sess_py_elsewhere", 1),
            last := completed(examples, "sess_py_filter", 2),
        ]
    )
    rest = await take(events, 1, until=lambda e: e.type != "session.started")
    assert [e.id for e in rest] == [last["id"]]
    assert rest[0].data.tokens_used == examples["session.completed"]["tokens_used"]
    assert subscription.last_event_id
    await subscription.aclose()


async def test_resumes_after_a_dropped_connection_with_no_gap_and_no_duplicate(
    api_url, make_async_client, publisher, examples
):
    proxy = TcpProxy(api_url)
    try:
        async with make_async_client("subscribe", base_url=proxy.url) as client:
            subscription = client.events.subscribe(
                events=["session.*"], session_id="sess_py_resume", max_reconnect_delay_seconds=1
            )
            events = aiter(subscription)
            await attach(
                events,
                lambda: publisher.events.publish(**event(examples, "session.started", session_id="sess_py_resume")),
            )
            is_completed = lambda e: e.type == "session.completed"  # noqa: E731 (the probes are session.started)

            batch_a = [completed(examples, "sess_py_resume", n) for n in range(5)]
            await publisher.events.publish_batch(batch_a)
            received = await take(events, 5, until=is_completed)
            cursor_before = subscription.last_event_id

            # The network fails: open connections are cut, new ones refused, while events go on.
            proxy.refusing = True
            proxy.drop_all()
            reading = asyncio.ensure_future(take(events, 8, until=is_completed, timeout_seconds=90))
            batch_b = [completed(examples, "sess_py_resume", n) for n in range(5, 10)]
            await publisher.events.publish_batch(batch_b)
            while proxy.refused == 0:  # the reader met the outage at least once
                await asyncio.sleep(0.05)
            proxy.refusing = False

            batch_c = [completed(examples, "sess_py_resume", n) for n in range(10, 13)]
            # Published once the reader is back (or still reconnecting): either way, after batch B.
            await publisher.events.publish_batch(batch_c)
            received += await reading

            assert [e.id for e in received] == [e["id"] for e in batch_a + batch_b + batch_c]
            assert proxy.connections >= 2
            assert subscription.last_event_id != cursor_before

            # An event published again (its id already received, before the reconnection) is one
            # event: the gateway sends the new copy on the new connection, the SDK drops it.
            await publisher.events.publish(**batch_a[0])
            marker = completed(examples, "sess_py_resume", 99)
            await publisher.events.publish(**marker)
            assert [e.id for e in await take(events, 1, until=is_completed)] == [marker["id"]]
            await subscription.aclose()
    finally:
        proxy.close()


async def test_a_later_subscription_resumes_from_a_saved_cursor(make_client, publisher, examples):
    client = make_client("subscribe")
    first = client.events.subscribe(events=["session.completed"], session_id="sess_py_saved")
    events = aiter(first)
    await attach(events, lambda: publisher.events.publish(**completed(examples, "sess_py_saved", 0)))
    saved = first.last_event_id
    await first.aclose()

    later = [completed(examples, "sess_py_saved", n) for n in range(1, 4)]
    await publisher.events.publish_batch(later)
    resumed = client.events.subscribe(events=["session.completed"], session_id="sess_py_saved", last_event_id=saved)
    async with resumed:
        assert [e.id for e in await take(aiter(resumed), 3)] == [e["id"] for e in later]


async def test_a_refused_subscription_raises_its_typed_error(make_client, api_url):
    client = make_client("subscribe")

    async def first_of(subscription) -> None:
        # Refused at once; a stream that opened instead would wait for events: bounded.
        await asyncio.wait_for(aiter(subscription).__anext__(), 30)

    with pytest.raises(InvalidRequestError) as unknown:
        await first_of(client.events.subscribe(events=["session.exploded"]))
    assert (unknown.value.code, [d.field for d in unknown.value.details]) == ("unknown_event_type", ["events"])

    with pytest.raises(InvalidRequestError) as cursor:
        await first_of(client.events.subscribe(last_event_id="not a cursor!"))
    assert cursor.value.code == "invalid_cursor"

    with pytest.raises(AuthenticationError):
        await first_of(Client(api_key="key_nobody", base_url=api_url).events.subscribe())


async def test_the_per_key_stream_limit_answers_429_and_the_subscription_waits_for_a_free_slot(
    api_url, api_keys, make_client, make_async_client, examples
):
    headers = {"authorization": f"Bearer {api_keys['limits']}", "accept": "text/event-stream"}
    async with httpx.AsyncClient(base_url=api_url, timeout=30) as raw, make_async_client("limits") as publisher:
        held = []
        for _ in range(3):  # the test platform allows 3 streams per key
            stream = raw.stream("GET", "/api/v1/events/subscribe", headers=headers)
            response = await stream.__aenter__()
            assert response.status_code == 200
            held.append(stream)
        rejected_before = await _rate_limited_count(raw)

        client = make_client("limits")
        with pytest.raises(RateLimitError) as limited:
            async for _ in client.events.subscribe(max_initial_attempts=1):
                pass
        assert limited.value.status == 429 and limited.value.retry_after_seconds >= 1
        assert [d.field for d in limited.value.details] == ["access_token"]

        # Without a bound on attempts, the subscription retries after Retry-After until a slot frees.
        waiting = client.events.subscribe(events=["agent.created"])
        events = aiter(waiting)
        first = asyncio.ensure_future(events.__anext__())
        while await _rate_limited_count(raw) < rejected_before + 2:  # the bounded try above, then this one
            await asyncio.sleep(0.1)
        assert not first.done()
        await held.pop().__aexit__(None, None, None)
        probe = lambda: publisher.events.publish(**event(examples, "agent.created", agent_id="agent_py_limits"))  # noqa: E731
        deadline = asyncio.get_running_loop().time() + 60
        while not first.done() and asyncio.get_running_loop().time() < deadline:
            await probe()
            await asyncio.wait({first}, timeout=1)
        assert first.result().data.agent_id == "agent_py_limits"
        await waiting.aclose()
        for stream in held:
            await stream.__aexit__(None, None, None)


async def _rate_limited_count(raw: httpx.AsyncClient) -> float:
    metrics = (await raw.get("/metrics")).text
    match = re.search(r'^rg_stream_connections_rejected_total\{code="rate_limited"\} (\S+)$', metrics, re.M)
    return float(match.group(1)) if match else 0.0


async def test_an_unreachable_api_fails_after_max_initial_attempts(make_client):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound, never listening: connections are refused
        client = make_client("subscribe", base_url=f"http://127.0.0.1:{port}")
        with pytest.raises(ApiConnectionError, match="GET /events/subscribe failed"):
            async for _ in client.events.subscribe(max_initial_attempts=2, max_reconnect_delay_seconds=0.1):
                pass


async def test_aclose_from_another_task_ends_the_iteration(make_client, publisher, examples):
    subscription = make_client("subscribe").events.subscribe(events=["session.*"], session_id="sess_py_close")
    events = aiter(subscription)
    await attach(
        events, lambda: publisher.events.publish(**event(examples, "session.started", session_id="sess_py_close"))
    )

    async def read_rest() -> int:
        return len([e async for e in events])

    reader = asyncio.ensure_future(read_rest())
    while not events.ag_running:  # the reader is waiting on the open stream
        await asyncio.sleep(0.01)
    await subscription.aclose()
    await asyncio.wait_for(reader, 10)  # it ends, instead of waiting for the next event


async def test_aclose_ends_a_subscription_that_waits_to_reconnect(api_url, make_client):
    proxy = TcpProxy(api_url)
    proxy.refusing = True  # every connection is cut at once: the subscription backs off 1 s, 2 s, 4 s...
    try:
        subscription = make_client("subscribe", base_url=proxy.url).events.subscribe(max_reconnect_delay_seconds=30)

        async def read_all() -> None:
            async for _ in subscription:
                pass

        reader = asyncio.ensure_future(read_all())
        while proxy.refused < 2:  # now waiting 2 s before its third try
            await asyncio.sleep(0.02)
        await subscription.aclose()
        await asyncio.wait_for(reader, 1.5)
    finally:
        proxy.close()
