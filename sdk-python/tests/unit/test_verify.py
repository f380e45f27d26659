import base64
import hashlib
import hmac

import pytest

from resonant_events import WebhookVerificationError, sign_webhook, verify_signature, verify_webhook
from resonant_events.models import SessionCompletedEvent

# The Standard Webhooks reference vector (standard-webhooks/standard-webhooks), the one the
# platform's own signer and the TypeScript SDK are tested with.
VECTOR_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
VECTOR_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
VECTOR_TIMESTAMP = 1614265330
VECTOR_BODY = '{"test": 2432232314}'
VECTOR_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
VECTOR_HEADERS = {
    "webhook-id": VECTOR_ID,
    "webhook-timestamp": str(VECTOR_TIMESTAMP),
    "webhook-signature": VECTOR_SIGNATURE,
}

EVENT_BODY = (
    '{"id":"evt_01JMG3W6Q8Z3K6N1V9S2T4X7YB","type":"session.completed","created_at":"2026-02-21T03:27:00.123Z",'
    '"data":{"session_id":"sess_123","agent_id":"agent_456","status":"completed","steps":5,"duration_ms":12345,'
    '"tokens_used":2500},"metadata":{"organization_id":"org_789","user_id":null,"request_id":null}}'
)


def event_headers(secret=VECTOR_SECRET, timestamp=VECTOR_TIMESTAMP, body=EVENT_BODY):
    return {
        "webhook-id": "evt_01JMG3W6Q8Z3K6N1V9S2T4X7YB",
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign_webhook(secret, "evt_01JMG3W6Q8Z3K6N1V9S2T4X7YB", timestamp, body),
    }


def test_signs_the_reference_vector_exactly():
    assert sign_webhook(VECTOR_SECRET, VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_BODY) == VECTOR_SIGNATURE


def test_verifies_the_reference_vector_within_the_tolerance_and_not_beyond():
    verify_signature(VECTOR_BODY, VECTOR_HEADERS, VECTOR_SECRET, now=VECTOR_TIMESTAMP)
    verify_signature(VECTOR_BODY, VECTOR_HEADERS, VECTOR_SECRET, now=VECTOR_TIMESTAMP + 300)
    verify_signature(VECTOR_BODY, VECTOR_HEADERS, VECTOR_SECRET, now=VECTOR_TIMESTAMP - 300)
    with pytest.raises(WebhookVerificationError, match="too old"):
        verify_signature(VECTOR_BODY, VECTOR_HEADERS, VECTOR_SECRET, now=VECTOR_TIMESTAMP + 301)
    with pytest.raises(WebhookVerificationError, match="future"):
        verify_signature(VECTOR_BODY, VECTOR_HEADERS, VECTOR_SECRET, now=VECTOR_TIMESTAMP - 301)


def test_a_plain_secret_signs_with_its_utf8_bytes():
    secret = "a-plain-secret-of-24-chars-or-more"
    expected = hmac.new(secret.encode(), f"{VECTOR_ID}.{VECTOR_TIMESTAMP}.{VECTOR_BODY}".encode(), hashlib.sha256)
    assert (
        sign_webhook(secret, VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_BODY)
        == "v1," + base64.b64encode(expected.digest()).decode()
    )


def test_returns_the_typed_event_of_a_genuine_delivery():
    event = verify_webhook(EVENT_BODY, event_headers(), VECTOR_SECRET, now=VECTOR_TIMESTAMP)
    assert isinstance(event, SessionCompletedEvent)
    assert event.data.tokens_used == 2500


def test_accepts_bytes_any_header_case_and_any_of_several_signatures_and_secrets():
    headers = event_headers()
    headers = {
        "Webhook-Id": headers["webhook-id"],
        "WEBHOOK-TIMESTAMP": headers["webhook-timestamp"],
        "webhook-signature": "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v2,xyz " + headers["webhook-signature"],
    }
    other = "whsec_b2xkb2xkb2xkb2xkb2xkb2xkb2xkb2xk"
    assert verify_webhook(EVENT_BODY.encode(), headers, [other, VECTOR_SECRET], now=VECTOR_TIMESTAMP).id


@pytest.mark.parametrize(
    ("name", "body", "headers", "secret", "message"),
    [
        (
            "a tampered body",
            EVENT_BODY.replace("2500", "2501"),
            event_headers(),
            VECTOR_SECRET,
            "no matching signature",
        ),
        ("a wrong secret", EVENT_BODY, event_headers(), "whsec_d3JvbmdzZWNyZXR3cm9uZ3NlY3JldA==", "no matching"),
        ("another id", EVENT_BODY, {**event_headers(), "webhook-id": "evt_other"}, VECTOR_SECRET, "no matching"),
        ("a missing header", EVENT_BODY, {"webhook-id": "evt_1"}, VECTOR_SECRET, "missing"),
        ("a bad timestamp", EVENT_BODY, {**event_headers(), "webhook-timestamp": "12a"}, VECTOR_SECRET, "invalid"),
        ("a signed body that is no event", VECTOR_BODY, VECTOR_HEADERS, VECTOR_SECRET, "not an event"),
    ],
)
def test_refuses(name, body, headers, secret, message):
    with pytest.raises(WebhookVerificationError, match=message):
        verify_webhook(body, headers, secret, now=VECTOR_TIMESTAMP)
