"""Every Python block of the events guide, run against the platform as the guide writes it.

The test adds only the ``client`` (one ``Client`` per organization: the live part, the history
part and the replay part each have their own, so that none sees another's events) and the
guide's ``process_event`` handler, a stub that prints what it gets. Blocks run in one namespace
per part, in the guide's order, as a reader pastes them. Where a block cannot run as written, the
test's name says what it substitutes and a test beside it shows the refusal of the block as written.
"""

from __future__ import annotations

import ast
import asyncio
import inspect
import re
import threading
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx
import pytest
from support.events import event, wait_for_history
from support.receiver import Receiver
from support.waiting import eventually

from resonant_events import Client, InvalidRequestError, verify_webhook
from resonant_events.models import AgentCreatedEvent

pytestmark = pytest.mark.integration

#: The guide's Python blocks, by the heading above each, in order.
BLOCKS = [
    "Webhooks",
    "Server-Sent Events (SSE)",
    "Polling",
    "By Type",
    "By Resource",
    "By Time Range",
    "Replay Events",
    "Replay Status",
]
#: The platform's rule is 24+ characters (or whsec_...); the guide's placeholder is 19.
VALID_SECRET = "a-valid-secret-of-24-chars-or-more"
REPLAY_SECRET = "whsec_Z3VpZGUtcmVwbGF5LXdlYmhvb2stc2VjcmV0LTMyISE="


def guide_blocks(text: str) -> dict[str, str]:
    blocks: dict[str, str] = {}
    heading = ""
    for match in re.finditer(r"^### ([^\n]+)$|^```python\n(.*?)^```", text, re.M | re.S):
        if match.group(1):
            heading = match.group(1).strip()
        else:
            assert heading not in blocks, f"two Python blocks under '{heading}'"
            blocks[heading] = match.group(2)
    return blocks


def substitute(code: str, replacements: dict[str, str]) -> str:
    for old, new in replacements.items():
        assert old in code, f"the guide no longer has {old!r}: update this test's substitution"
        code = code.replace(old, new)
    return code


def run_block(code: str, namespace: dict[str, Any]) -> None:
    """Runs a block as a script (top-level ``async for`` allowed, as in an asyncio REPL)."""
    compiled = compile(code, "<events-guide>", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    if compiled.co_flags & inspect.CO_COROUTINE:
        asyncio.run(eval(compiled, namespace))  # noqa: S307 (the guide's own code)
    else:
        exec(compiled, namespace)  # noqa: S102


class Background:
    """A block that runs until stopped (the subscribe loop), in a thread with its own event loop."""

    def __init__(self, code: str, namespace: dict[str, Any]) -> None:
        self.error: BaseException | None = None
        self._loop = asyncio.new_event_loop()
        compiled = compile(code, "<events-guide>", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
        self._task = self._loop.create_task(eval(compiled, namespace))  # noqa: S307
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._loop.run_until_complete(self._task)
        except asyncio.CancelledError:
            pass
        except BaseException as error:  # noqa: BLE001 (reported by stop())
            self.error = error
        finally:
            self._loop.run_until_complete(self._loop.shutdown_asyncgens())
            self._loop.close()

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._task.cancel)
        self._thread.join(timeout=30)
        assert not self._thread.is_alive(), "the block did not stop"
        if self.error:
            raise self.error


class Output:
    """What the blocks printed so far (pytest's capture), accumulated across reads."""

    def __init__(self, capsys: pytest.CaptureFixture[str]) -> None:
        self._capsys = capsys
        self.text = ""

    def read(self) -> str:
        self.text += self._capsys.readouterr().out
        return self.text


@pytest.fixture(scope="module")
def blocks(guide_text: str) -> dict[str, str]:
    return guide_blocks(guide_text)


@pytest.fixture(scope="module")
def guide_receiver():
    receiver = Receiver()
    yield receiver
    receiver.close()


@pytest.fixture(scope="module")
def live(api_url, api_keys):
    client = Client(api_key=api_keys["guide_live"], base_url=api_url)
    yield {"client": client}
    for webhook in client.webhooks.list():  # a leftover retry then fails for good at once
        client.webhooks.delete(webhook.id)
    client.close()


@pytest.fixture(scope="module")
def history(api_url, api_keys, examples):
    """The history part: its client records each answer, and history holds the events the
    blocks read, at the guide's own times (the API accepts past ``created_at``)."""
    answers: list[tuple[httpx.URL, Any]] = []

    def record(response: httpx.Response) -> None:
        response.read()
        answers.append((response.request.url, response.json()))

    client = Client(
        api_key=api_keys["guide_history"],
        base_url=api_url,
        http_client=httpx.Client(event_hooks={"response": [record]}),
    )
    seeds = [
        ("agent.updated", "2026-02-19T09:00:00.000Z", {"agent_id": "agent_123"}),
        ("session.started", "2026-02-20T10:00:00.000Z", {"session_id": "sess_123"}),
        ("team.task.assigned", "2026-02-20T12:00:00.000Z", {}),
        ("session.completed", "2026-02-20T23:59:59.999Z", {"session_id": "sess_123"}),
        ("agent.created", "2026-02-21T00:00:00.000Z", {"agent_id": "agent_123"}),
        ("session.failed", "2026-02-21T03:27:00.000Z", {"session_id": "sess_456"}),
        ("user.login", "2026-02-21T06:00:00.000Z", {}),
        ("session.completed", "2026-02-22T08:00:00.000Z", {"session_id": "sess_456"}),
    ]
    events = [{**event(examples, type, **data), "created_at": at} for type, at, data in seeds]
    client.events.publish_batch(events)
    wait_for_history(client, {e["id"] for e in events})
    answers.clear()
    processed: list[str] = []

    def process_event(event: Any) -> None:  # the guide's handler, a stub
        processed.append(event.id)
        print(f"processed {event.type} {event.id}")

    yield {
        "namespace": {"client": client, "process_event": process_event},
        "ids": [e["id"] for e in events],
        "answers": answers,
    }
    client.close()


@pytest.fixture(scope="module")
def replay_part(api_url, api_keys, examples, guide_receiver):
    """The replay part: recent session events (the guide's February range is past Kafka's retention),
    and a webhook whose URL the replay block names, so that it signs the replay."""
    client = Client(api_key=api_keys["guide_replay"], base_url=api_url, timeout_seconds=60)
    client.webhooks.create(url=f"{guide_receiver.url}/replay", events=["session.*"], secret=REPLAY_SECRET)
    since = datetime.now(timezone.utc) - timedelta(seconds=2)
    events = [
        event(examples, "session.started", session_id="sess_123"),
        event(examples, "session.completed", session_id="sess_123"),
        event(examples, "agent.created"),  # not a session event: not replayed
    ]
    client.events.publish_batch(events)
    until = datetime.now(timezone.utc) + timedelta(seconds=1)
    yield {
        "namespace": {"client": client},
        "since": since.isoformat().replace("+00:00", "Z"),
        "until": until.isoformat().replace("+00:00", "Z"),
        "session_ids": [e["id"] for e in events[:2]],
    }
    for webhook in client.webhooks.list():
        client.webhooks.delete(webhook.id)
    client.close()


def test_every_python_block_of_the_guide_is_run_here(blocks):
    assert list(blocks) == BLOCKS


def test_webhooks_block_as_written_is_refused_for_its_placeholder_secret(blocks, live):
    with pytest.raises(InvalidRequestError) as refused:
        run_block(blocks["Webhooks"], {"client": live["client"]})
    assert [d.field for d in refused.value.details] == ["secret"]
    assert len(live["client"].webhooks.list()) == 0  # nothing was created


def test_webhooks_block_with_a_valid_secret_for_the_placeholder_and_example_com_pointed_at_a_local_receiver(
    blocks, live, guide_receiver, examples
):
    code = substitute(
        blocks["Webhooks"],
        {'"your_webhook_secret"': f'"{VALID_SECRET}"', "https://example.com/": f"{guide_receiver.url}/"},
    )
    run_block(code, live)
    webhook = live["webhook"]
    assert webhook.id.startswith("wh_")
    assert webhook.url == f"{guide_receiver.url}/webhook"
    assert webhook.events == ["agent.created", "session.completed", "session.failed"]
    assert webhook.secret == VALID_SECRET

    # Its deliveries are real and verify with that secret.
    client = live["client"]

    def delivered() -> Any:
        published = client.events.publish(**event(examples, "agent.created", agent_id="agent_123"))
        try:
            return eventually(
                lambda: next(
                    (r for r in guide_receiver.requests_to("/webhook") if r.headers["webhook-id"] == published.id), None
                ),
                timeout_seconds=8,
                what="the delivery",
            )
        except AssertionError:
            return None

    delivery = eventually(delivered, timeout_seconds=150, interval_seconds=0, what="a delivery to the guide's webhook")
    verified = verify_webhook(delivery.body, delivery.headers, VALID_SECRET)
    assert isinstance(verified, AgentCreatedEvent) and verified.data.agent_id == "agent_123"


def test_sse_block_prints_each_session_event_of_sess_123(blocks, live, examples, capsys):
    client = live["client"]
    output = Output(capsys)
    running = Background(blocks["Server-Sent Events (SSE)"], live)
    try:
        started = {**examples["session.started"], "session_id": "sess_123"}
        line = f"session.started: {started}"

        def attached() -> bool:
            client.events.publish(**event(examples, "session.started", session_id="sess_123"))
            try:
                return eventually(lambda: line in output.read(), timeout_seconds=1, what="the loop's first line")
            except AssertionError:
                return False

        eventually(attached, timeout_seconds=150, interval_seconds=0, what="the subscribe loop to attach")
        client.events.publish_batch(
            [
                event(examples, "session.completed", session_id="sess_other"),
                event(examples, "agent.created"),
                event(examples, "session.completed", session_id="sess_123"),
            ]
        )
        done = f"session.completed: { ({**examples['session.completed'], 'session_id': 'sess_123'}) }"
        eventually(lambda: done in output.read(), timeout_seconds=60, what="the session.completed line")
    finally:
        running.stop()
    lines = output.read().splitlines()
    assert set(lines) == {line, done}
    assert "sess_other" not in output.text


def test_polling_block_with_a_process_event_stub(blocks, history, capsys):
    run_block(blocks["Polling"], history["namespace"])
    ids = history["ids"]
    # Since 2026-02-21 (inclusive), agent and session events, newest first.
    expected = [ids[7], ids[5], ids[4]]
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[-1] for line in lines] == expected
    assert lines[0] == f"processed session.completed {ids[7]}"
    events = history["namespace"]["events"]
    assert (len(events), events.has_more, events.next_cursor) == (3, False, None)


def test_by_type_block(blocks, history, capsys):
    run_block(blocks["By Type"], history["namespace"])
    ids = history["ids"]
    assert [e.id for e in history["namespace"]["events"]] == [ids[7], ids[5], ids[3]]
    assert capsys.readouterr().out == ""


def test_by_resource_block(blocks, history):
    history["answers"].clear()
    run_block(blocks["By Resource"], history["namespace"])
    ids = history["ids"]
    by_agent, by_session = history["answers"]
    assert by_agent[0].params["agent_id"] == "agent_123"
    assert [e["id"] for e in by_agent[1]["data"]] == [ids[4], ids[0]]
    assert by_session[0].params["session_id"] == "sess_456"
    assert [e.id for e in history["namespace"]["events"]] == [ids[7], ids[5]]


def test_by_time_range_block(blocks, history):
    run_block(blocks["By Time Range"], history["namespace"])
    ids = history["ids"]
    # 2026-02-20 inclusive to 2026-02-21 exclusive: the event at 23:59:59.999 in, the one at midnight out.
    assert [e.id for e in history["namespace"]["events"]] == [ids[3], ids[2], ids[1]]


def test_replay_block_as_written_is_refused_its_february_range_is_older_than_kafka_retention(blocks, replay_part):
    with pytest.raises(InvalidRequestError) as refused:
        run_block(blocks["Replay Events"], {"client": replay_part["namespace"]["client"]})
    until = [d for d in refused.value.details if d.field == "until"]
    assert until and "retention" in until[0].message


def test_replay_block_with_its_range_moved_to_the_last_seconds_and_example_com_pointed_at_a_local_receiver(
    blocks, replay_part, guide_receiver, capsys
):
    code = substitute(
        blocks["Replay Events"],
        {
            'since="2026-02-20T00:00:00Z"': f'since="{replay_part["since"]}"',
            'until="2026-02-21T00:00:00Z"': f'until="{replay_part["until"]}"',
            "https://example.com/": f"{guide_receiver.url}/",
        },
    )
    run_block(code, replay_part["namespace"])
    assert capsys.readouterr().out == "Replaying 2 events\n"


def test_replay_status_block_once_the_replay_completed(blocks, replay_part, guide_receiver, capsys):
    namespace = replay_part["namespace"]
    replay = namespace["replay"]
    client = namespace["client"]
    eventually(
        lambda: client.events.get_replay_status(replay.id).finished,
        timeout_seconds=120,
        interval_seconds=0.5,
        what="the replay to finish",
    )
    run_block(blocks["Replay Status"], namespace)
    assert capsys.readouterr().out == "Progress: 2/2\n"
    assert namespace["status"].status == "completed"

    deliveries = [r for r in guide_receiver.requests_to("/replay") if r.headers.get("rg-replay-id") == replay.id]
    verified = [verify_webhook(r.body, r.headers, REPLAY_SECRET) for r in deliveries]
    assert sorted(e.id for e in verified) == sorted(replay_part["session_ids"])
