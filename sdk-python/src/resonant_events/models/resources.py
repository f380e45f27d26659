"""The API's answers other than events: published ids, webhooks, deliveries, replays (docs/sdk.md)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from .base import Model


class PublishedEvent(Model):
    """An event accepted by ``events.publish``: it is durable in Kafka."""

    id: str
    type: str
    created_at: datetime


class Webhook(Model):
    """A webhook subscription; never carries its secret."""

    #: ``wh_`` + a ULID.
    id: str
    #: Where deliveries are POSTed.
    url: str
    #: Type patterns as given: ``session.completed``, ``session.*``, ``*``.
    events: list[str]
    description: str | None = None
    enabled: bool
    #: Why the platform disabled it (``gone``: the endpoint answered 410; ``failing``), None otherwise.
    disabled_reason: str | None = None
    created_at: datetime
    updated_at: datetime


class CreatedWebhook(Webhook):
    """The answer of ``webhooks.create``: the webhook and its signing secret, shown this once."""

    #: ``whsec_...`` (generated) or the secret given: keep it, no other answer shows it.
    secret: str


class RotatedWebhook(CreatedWebhook):
    """The answer of ``webhooks.rotate_secret``: the new secret, shown this once."""

    #: Until when the previous secret keeps signing too; None when there was none left.
    previous_secret_expires_at: datetime | None = None


class WebhookTestResult(Model):
    """How the one signed ``webhook.test`` delivery of ``webhooks.test`` went."""

    #: The test event's id (also its ``webhook-id`` header).
    event_id: str
    #: True on a 2xx answer.
    delivered: bool
    #: None when there was no answer.
    status_code: int | None = None
    duration_ms: int
    #: ``HTTP 500``, ``timed out after 10000 ms``, ``refused: ...``; None when delivered.
    error: str | None = None


class Delivery(Model):
    """One attempt of one delivery (one event to one webhook)."""

    #: The delivery: the same on every attempt.
    id: str
    webhook_id: str
    #: Also the ``webhook-id`` header of every attempt.
    event_id: str
    event_type: str
    #: 1 for the first attempt; 0 for a delivery dropped before any attempt.
    attempt: int
    attempted_at: datetime
    url: str
    #: None when there was no answer (timeout, refused connection).
    status_code: int | None = None
    duration_ms: int | None = None
    #: None on success.
    error: str | None = None
    #: When the next attempt is due; None when delivered or failed for good.
    next_retry_at: datetime | None = None
    #: ``failed`` means failed for good.
    state: Literal["delivered", "retrying", "failed"] | str


ReplayStatus = Literal["pending", "running", "completed", "failed", "cancelled"]


class Replay(Model):
    """A replay and its progress (``events.replay``, ``events.get_replay_status``)."""

    #: ``rpl_...``
    id: str
    #: ``pending``, ``running``, ``completed``, ``failed`` or ``cancelled``.
    status: ReplayStatus | str
    #: The range replayed: ``since`` inclusive, ``until`` exclusive.
    since: datetime
    until: datetime
    types: list[str] = []
    webhook_url: str | None = None
    webhook_id: str | None = None
    #: Events the replay delivers; None while the replayer is still counting them.
    event_count: int | None = None
    #: Same as ``event_count``.
    total: int | None = None
    delivered: int = 0
    failed: int = 0
    created_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    estimated_seconds_remaining: int | None = None
    #: Why it failed, when it did.
    error: str | None = None

    @property
    def finished(self) -> bool:
        """True once it is ``completed``, ``failed`` or ``cancelled``: it never runs again."""
        return self.status in ("completed", "failed", "cancelled")
