"""client.webhooks against the running platform, and verify_webhook on the platform's real deliveries."""

from __future__ import annotations

import pytest
from support.events import event
from support.waiting import eventually

from resonant_events import InvalidRequestError, NotFoundError, WebhookVerificationError, verify_webhook
from resonant_events.models import SessionCompletedEvent

pytestmark = pytest.mark.integration

SECRET = "whsec_cHl0aG9uLXdlYmhvb2stdGVzdHMtc2VjcmV0LTMyYnl0ZXM="


@pytest.fixture(scope="module")
def client(make_client):
    client = make_client("webhooks")
    yield client
    # Deleting the webhooks lets any leftover retry fail for good at once.
    for webhook in client.webhooks.list():
        client.webhooks.delete(webhook.id)


def deliver_one(client, examples, receiver, path, session_id):
    """Publishes a session.completed until ``path`` receives it: a new webhook reaches the
    dispatcher's copy of the subscriptions within about a second, and an event read before is not
    matched to it."""

    def attempt():
        published = client.events.publish(**event(examples, "session.completed", session_id=session_id))
        return eventually(
            lambda: next((r for r in receiver.requests_to(path) if r.headers["webhook-id"] == published.id), None),
            timeout_seconds=8,
            what="the delivery",
        )

    def delivered():
        try:
            return attempt()
        except AssertionError:
            return None

    return eventually(delivered, timeout_seconds=150, interval_seconds=0, what="a delivery")


def test_creates_gets_lists_updates_and_deletes_a_webhook(client):
    created = client.webhooks.create(
        url="https://example.com/webhook", events=["agent.created", "session.*"], description="python"
    )
    assert created.id.startswith("wh_") and created.secret.startswith("whsec_")
    assert (created.url, created.events, created.description, created.enabled) == (
        "https://example.com/webhook",
        ["agent.created", "session.*"],
        "python",
        True,
    )
    assert client.webhooks.get(created.id).events == ["agent.created", "session.*"]
    assert not hasattr(client.webhooks.get(created.id), "secret")
    assert created.id in [w.id for w in client.webhooks.list()]

    updated = client.webhooks.update(created.id, events=["session.failed"], enabled=False)
    assert (updated.events, updated.enabled, updated.description) == (["session.failed"], False, "python")
    assert client.webhooks.update(created.id, description=None).description is None

    client.webhooks.delete(created.id)
    with pytest.raises(NotFoundError):
        client.webhooks.get(created.id)
    with pytest.raises(NotFoundError):
        client.webhooks.delete(created.id)


def test_refusals_name_the_field_and_another_organizations_webhook_is_not_found(client, make_client):
    with pytest.raises(InvalidRequestError) as short:
        client.webhooks.create(
            url="https://example.com/webhook", events=["agent.created"], secret="your_webhook_secret"
        )
    assert [d.field for d in short.value.details] == ["secret"]
    with pytest.raises(InvalidRequestError) as unknown:
        client.webhooks.create(url="https://example.com/webhook", events=["agent.exploded"])
    assert unknown.value.code == "unknown_event_type"
    with pytest.raises(InvalidRequestError) as url:
        client.webhooks.create(url="ftp://example.com/webhook", events=["agent.created"])
    assert [d.field for d in url.value.details] == ["url"]

    mine = client.webhooks.create(url="https://example.com/mine", events=["agent.created"])
    other = make_client("other")
    with pytest.raises(NotFoundError):
        other.webhooks.get(mine.id)
    with pytest.raises(NotFoundError):
        other.webhooks.update(mine.id, enabled=False)
    client.webhooks.delete(mine.id)


def test_real_deliveries_verify_and_tampering_does_not(client, examples, receiver):
    webhook = client.webhooks.create(url=f"{receiver.url}/live", events=["session.completed"], secret=SECRET)
    delivery = deliver_one(client, examples, receiver, "/live", "sess_py_wh")

    verified = verify_webhook(delivery.body, delivery.headers, SECRET)
    assert isinstance(verified, SessionCompletedEvent)
    assert verified.id == delivery.headers["webhook-id"]
    assert verified.data.session_id == "sess_py_wh"

    with pytest.raises(WebhookVerificationError, match="no matching signature"):
        verify_webhook(delivery.body.replace(b"sess_py_wh", b"sess_py_xx"), delivery.headers, SECRET)
    with pytest.raises(WebhookVerificationError, match="no matching signature"):
        verify_webhook(delivery.body, delivery.headers, "whsec_d3Jvbmctc2VjcmV0LXdyb25nLXNlY3JldCE=")
    with pytest.raises(WebhookVerificationError, match="too old"):
        verify_webhook(delivery.body, delivery.headers, SECRET, now=int(delivery.headers["webhook-timestamp"]) + 301)

    # The delivery log shows the attempt (it is written in batches: about a second).
    log = eventually(
        lambda: [d for d in client.webhooks.deliveries(webhook.id, event_id=verified.id)] or None,
        timeout_seconds=30,
        what="the delivery log",
    )
    assert (log[0].state, log[0].status_code, log[0].attempt, log[0].event_id) == ("delivered", 204, 1, verified.id)


def test_a_test_delivery_is_signed_like_any_other(client, receiver):
    webhook = client.webhooks.create(url=f"{receiver.url}/test", events=["agent.created"], secret=SECRET)
    result = client.webhooks.test(webhook.id)
    assert (result.delivered, result.status_code, result.error) == (True, 204, None)
    [request] = receiver.requests_to("/test")
    verified = verify_webhook(request.body, request.headers, SECRET)
    assert (verified.type, verified.id) == ("webhook.test", result.event_id)
    assert verified.data["webhook_id"] == webhook.id

    receiver.status = 503
    failing = client.webhooks.test(webhook.id)
    assert (failing.delivered, failing.status_code) == (False, 503)


def test_the_delivery_log_pages_through_failed_attempts(client, examples, receiver):
    receiver.status = 500  # every attempt fails: the retry schedule logs one row per attempt
    webhook = client.webhooks.create(url=f"{receiver.url}/failing", events=["session.failed"], secret=SECRET)

    def published_and_retried():
        client.events.publish(**event(examples, "session.failed", session_id="sess_py_log"))
        return eventually(
            lambda: len(receiver.requests_to("/failing")) >= 3 or None, timeout_seconds=10, what="retries"
        )

    eventually(lambda: _quietly(published_and_retried), timeout_seconds=150, interval_seconds=0, what="failed attempts")
    attempts = eventually(
        lambda: (page := client.webhooks.deliveries(webhook.id, limit=1)).has_more and page,
        timeout_seconds=30,
        what="two logged attempts",
    )
    assert len(attempts) == 1
    assert (attempts[0].status_code, attempts[0].error, attempts[0].state in ("retrying", "failed")) == (
        500,
        "HTTP 500",
        True,
    )
    second = attempts.next_page()
    assert second is not None and len(second) == 1
    assert (second[0].id, second[0].attempt) != (attempts[0].id, attempts[0].attempt)
    assert second[0].attempted_at <= attempts[0].attempted_at  # newest first


def test_a_rotation_signs_with_both_secrets_until_the_old_one_expires(client, examples, receiver):
    webhook = client.webhooks.create(url=f"{receiver.url}/rotated", events=["session.completed"], secret=SECRET)
    rotated = client.webhooks.rotate_secret(webhook.id)
    assert rotated.secret.startswith("whsec_") and rotated.secret != SECRET
    assert rotated.previous_secret_expires_at is not None

    def signed_twice():
        delivery = deliver_one(client, examples, receiver, "/rotated", "sess_py_rotated")
        return delivery if len(delivery.headers["webhook-signature"].split(" ")) == 2 else None

    delivery = eventually(signed_twice, timeout_seconds=150, interval_seconds=0, what="a delivery signed with both")
    assert verify_webhook(delivery.body, delivery.headers, rotated.secret).id
    assert verify_webhook(delivery.body, delivery.headers, SECRET).id
    assert verify_webhook(delivery.body, delivery.headers, [SECRET, rotated.secret]).id


def _quietly(attempt):
    try:
        return attempt()
    except AssertionError:
        return None
