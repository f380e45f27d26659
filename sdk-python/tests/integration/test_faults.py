"""Retries and timeouts, with a proxy in front of the real API that answers chosen requests itself:
429 and 503 with ``Retry-After``, or an answer later than the client's timeout. Only requests
that are safe to repeat are retried."""

from __future__ import annotations

import time

import pytest
from support.events import event
from support.proxies import Fault, FaultyHttpProxy

from resonant_events import ApiTimeoutError, AuthenticationError, Client, Page, RateLimitError, ServiceUnavailableError

pytestmark = pytest.mark.integration

UNAVAILABLE = Fault(
    status=503,
    headers={"retry-after": "1", "content-type": "application/json"},
    body=b'{"error":{"code":"service_unavailable","message":"Kafka did not acknowledge in time"}}',
)
RATE_LIMITED = Fault(
    status=429,
    headers={"retry-after": "0", "content-type": "application/json"},
    body=b'{"error":{"code":"rate_limited","message":"Too many requests"}}',
)


@pytest.fixture
def proxy(api_url):
    proxy = FaultyHttpProxy(api_url, lambda method, path, index: None)
    yield proxy
    proxy.close()


def faults_first(*faults: Fault):
    """The first requests get these answers; the others reach the API."""
    return lambda method, path, index: faults[index] if index < len(faults) else None


def test_a_get_answered_503_is_retried_after_retry_after(proxy, make_client):
    proxy.decide = faults_first(UNAVAILABLE)
    client = make_client("faults", base_url=proxy.url, max_retries=2)
    started = time.monotonic()
    page = client.events.list(limit=1)
    assert time.monotonic() - started >= 1.0  # Retry-After: 1
    assert isinstance(page, Page)
    assert [method for method, _ in proxy.requests] == ["GET", "GET"]


def test_retries_stop_after_max_retries_with_the_typed_error(proxy, make_client):
    proxy.decide = lambda method, path, index: RATE_LIMITED
    client = make_client("faults", base_url=proxy.url, max_retries=2)
    with pytest.raises(RateLimitError) as limited:
        client.webhooks.list()
    assert (limited.value.status, limited.value.code, limited.value.retry_after_seconds) == (429, "rate_limited", 0)
    assert len(proxy.requests) == 3


def test_a_publish_without_an_id_is_not_retried_and_one_with_ids_is(proxy, make_client, examples):
    proxy.decide = faults_first(UNAVAILABLE, UNAVAILABLE)
    client = make_client("faults", base_url=proxy.url, max_retries=2)
    # It may have landed: sending it again could publish it twice.
    with pytest.raises(ServiceUnavailableError) as unavailable:
        client.events.publish(**{**event(examples, "agent.created"), "id": None})
    assert unavailable.value.retry_after_seconds == 1
    assert len(proxy.requests) == 1

    # With its id, the same event twice is one event: the client retries by itself.
    with_id = event(examples, "agent.created", agent_id="agent_py_faults")
    published = client.events.publish(**with_id)
    assert published.id == with_id["id"]
    assert len(proxy.requests) == 3

    proxy.requests.clear()
    proxy.decide = faults_first(UNAVAILABLE)
    batch = [event(examples, "agent.created"), event(examples, "agent.deleted")]
    assert [p.id for p in client.events.publish_batch(batch)] == [e["id"] for e in batch]
    assert len(proxy.requests) == 2


def test_a_late_answer_times_out_and_only_safe_requests_are_sent_again(proxy, make_client, examples):
    late = Fault(delay_seconds=2.0)  # forwarded, but after the client gave up
    proxy.decide = faults_first(late)
    client = make_client("faults", base_url=proxy.url, timeout_seconds=0.5, max_retries=1)
    assert client.webhooks.list() is not None
    assert len(proxy.requests) == 2

    proxy.requests.clear()
    proxy.decide = faults_first(late)
    with pytest.raises(ApiTimeoutError, match="no answer within 0.5 s"):
        client.webhooks.create(url="https://example.com/webhook", events=["agent.created"])
    assert len(proxy.requests) == 1


def test_refusals_that_retrying_cannot_fix_are_raised_at_once(proxy):
    client = Client(api_key="key_nobody", base_url=proxy.url, max_retries=3)
    with pytest.raises(AuthenticationError) as unauthorized:
        client.events.list()
    assert (unauthorized.value.status, unauthorized.value.code) == (401, "unauthorized")
    assert len(proxy.requests) == 1
