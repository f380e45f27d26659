"""The README's Python examples (each marked ``<!-- python-example: name -->``), run as a user runs
them: written to a file and run with this Python, the API's URL and a key in the environment."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx
import pytest
from support.events import event, wait_for_history
from support.waiting import eventually

from resonant_events import Client

pytestmark = pytest.mark.integration

README = Path(__file__).resolve().parents[3] / "README.md"
NAMES = ["publish", "subscribe", "list", "replay", "receiver"]
SECRET = "whsec_cmVhZG1lLXB5dGhvbi1leGFtcGxlLXNlY3JldC0zMmJ5dGVzIQ=="


@pytest.fixture(scope="module")
def examples_dir(tmp_path_factory) -> Path:
    text = README.read_text(encoding="utf-8")
    found = dict(re.findall(r"<!-- python-example: ([\w-]+) -->\s*```python\n(.*?)```", text, re.S))
    assert sorted(found) == sorted(NAMES)
    folder = tmp_path_factory.mktemp("readme")
    for name, code in found.items():
        (folder / f"{name}.py").write_text(code, encoding="utf-8")
    return folder


def start(examples_dir: Path, name: str, api_url: str, key: str, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(examples_dir / f"{name}.py")],
        # Unbuffered, so that a long-running example's lines can be read as it prints them.
        env={**os.environ, "RG_API_URL": api_url, "RG_API_KEY": key, "PYTHONUNBUFFERED": "1", **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen[str], timeout_seconds: float = 120) -> str:
    out, err = process.communicate(timeout=timeout_seconds)
    assert process.returncode == 0, err
    return out


def test_publish(examples_dir, api_url, api_keys):
    out = finish(start(examples_dir, "publish", api_url, api_keys["readme"]))
    assert re.search(r"^published session\.completed evt_\w{26}$", out, re.M)
    assert re.search(r"^refused data\.steps: must be a whole number", out, re.M)
    assert re.search(r"^refused data\.agent_id: is required", out, re.M)


def test_subscribe_prints_the_session_events_until_session_completed(examples_dir, api_url, api_keys, examples):
    publisher = Client(api_key=api_keys["readme_live"], base_url=api_url)
    process = start(examples_dir, "subscribe", api_url, api_keys["readme_live"])
    lines: list[str] = []
    reading = threading.Thread(target=lambda: lines.extend(iter(process.stdout.readline, "")), daemon=True)
    reading.start()
    try:

        def attached() -> bool:
            # The stream starts at the live end: publish until the example prints one.
            publisher.events.publish(**event(examples, "session.started", session_id="sess_123"))
            deadline = time.monotonic() + 1
            while not lines and time.monotonic() < deadline:
                time.sleep(0.05)
            return bool(lines)

        eventually(attached, timeout_seconds=150, interval_seconds=0, what="the example to attach")
        publisher.events.publish_batch(
            [
                event(examples, "session.completed", session_id="sess_other"),
                event(examples, "session.completed", session_id="sess_123"),
            ]
        )
        assert process.wait(timeout=60) == 0, process.stderr.read()
        reading.join(timeout=10)
    finally:
        process.kill()
        publisher.close()
    out = "".join(lines)
    assert re.search(r"^session\.started: \{'session_id': 'sess_123'", out, re.M)
    assert re.search(r"^session\.completed: \{'session_id': 'sess_123', .*'tokens_used': 2500\}$", out, re.M)
    assert "sess_other" not in out


def test_list_polls_with_filters_and_iterates_every_page(examples_dir, api_url, api_keys, examples):
    with Client(api_key=api_keys["readme_list"], base_url=api_url) as client:
        seeds = [
            event(examples, "agent.created"),
            event(examples, "session.completed", session_id="sess_456", tokens_used=100),
            event(examples, "session.completed", session_id="sess_456", tokens_used=250),
            event(examples, "session.completed", session_id="sess_789", tokens_used=1000),
            event(examples, "session.failed", session_id="sess_456"),
            event(examples, "user.login"),
        ]
        client.events.publish_batch(seeds)
        wait_for_history(client, {e["id"] for e in seeds})
    out = finish(start(examples_dir, "list", api_url, api_keys["readme_list"]))
    assert "polled 5 events (more: False)" in out
    assert f"failed: {examples['session.failed']['error_message']}" in out
    assert "tokens used in sess_456: 350" in out


def test_replay_replays_a_range_to_an_endpoint_and_follows_it_to_the_end(
    examples_dir, api_url, api_keys, examples, receiver
):
    with Client(api_key=api_keys["readme_replay"], base_url=api_url) as client:
        since = datetime.now(timezone.utc) - timedelta(seconds=2)
        seeds = [
            event(examples, "session.started", session_id="sess_readme"),
            event(examples, "session.completed", session_id="sess_readme"),
            event(examples, "agent.created"),
        ]
        client.events.publish_batch(seeds)
        until = datetime.now(timezone.utc) + timedelta(seconds=1)
    out = finish(
        start(
            examples_dir,
            "replay",
            api_url,
            api_keys["readme_replay"],
            REPLAY_SINCE=since.isoformat(),
            REPLAY_UNTIL=until.isoformat(),
            REPLAY_URL=f"{receiver.url}/replay",
            REPLAY_SECRET=SECRET,
        )
    )
    assert "Replaying 2 events" in out
    assert "Progress: 2/2 (completed)" in out
    assert {r.headers["webhook-id"] for r in receiver.requests_to("/replay")} == {seeds[0]["id"], seeds[1]["id"]}


def test_receiver_accepts_a_signed_delivery_and_refuses_a_tampered_one(examples_dir, api_url, api_keys):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = start(examples_dir, "receiver", api_url, api_keys["readme"], PORT=str(port), WEBHOOK_SECRET=SECRET)
    try:
        with Client(api_key=api_keys["readme"], base_url=api_url) as client:
            webhook = client.webhooks.create(
                url=f"http://127.0.0.1:{port}/webhook", events=["agent.created"], secret=SECRET
            )
            result = eventually(
                lambda: (attempt := client.webhooks.test(webhook.id)).delivered and attempt,  # once it listens
                timeout_seconds=60,
                interval_seconds=0.5,
                what="the receiver to answer",
            )
            assert result.status_code == 204
            tampered = httpx.post(
                f"http://127.0.0.1:{port}/webhook",
                content=b'{"id":"evt_forged","type":"agent.created"}',
                headers={
                    "webhook-id": result.event_id,
                    "webhook-timestamp": str(int(time.time())),
                    "webhook-signature": "v1,bm90IGEgc2lnbmF0dXJl",
                },
            )
            assert tampered.status_code == 400
            client.webhooks.delete(webhook.id)
    finally:
        process.terminate()
        out, _ = process.communicate(timeout=30)
    assert f"verified webhook.test {result.event_id}" in out
    assert "refused: no matching signature" in out
