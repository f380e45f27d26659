"""``client.webhooks``: subscriptions (``/webhooks``) and their delivery logs."""

from __future__ import annotations

from collections.abc import Sequence

from . import _calls as calls
from ._calls import UNSET
from ._transport import AsyncTransport, Call, SyncTransport
from .models import CreatedWebhook, Delivery, RotatedWebhook, Webhook, WebhookTestResult
from .pagination import AsyncPage, Page

_Deliveries = tuple[list[Delivery], bool, str | None]


class Webhooks:
    """The webhooks API of a ``Client``."""

    def __init__(self, transport: SyncTransport) -> None:
        self._t = transport

    def create(
        self, *, url: str, events: Sequence[str], secret: str | None = None, description: str | None = None
    ) -> CreatedWebhook:
        """Subscribes ``url`` to event types (patterns: ``session.completed``, ``session.*``, ``*``).

        The answer holds the signing ``secret``, shown only now: keep it to verify deliveries
        (``verify_webhook``). ``secret``: ``whsec_`` + base64, or 24+ characters; omit it to get
        a strong generated one.
        """
        return self._t.send(calls.create_webhook(url=url, events=events, secret=secret, description=description))

    def list(self) -> Page[Webhook]:
        """The organization's webhooks, newest first (one page holds them all; never their secrets)."""
        data, has_more, next_cursor = self._t.send(calls.list_webhooks())
        return Page(data, has_more, next_cursor)

    def get(self, webhook_id: str) -> Webhook:
        """One webhook. ``NotFoundError`` for an unknown id or another organization's webhook."""
        return self._t.send(calls.get_webhook(webhook_id))

    def update(
        self,
        webhook_id: str,
        *,
        url: str = UNSET,
        events: Sequence[str] = UNSET,
        description: str | None = UNSET,
        enabled: bool = UNSET,
    ) -> Webhook:
        """Changes the fields given (``description=None`` clears it); the others stay as they are."""
        return self._t.send(
            calls.update_webhook(webhook_id, url=url, events=events, description=description, enabled=enabled)
        )

    def delete(self, webhook_id: str) -> None:
        """Deletes the subscription; deliveries to it stop."""
        self._t.send(calls.delete_webhook(webhook_id))

    def rotate_secret(self, webhook_id: str, *, secret: str | None = None) -> RotatedWebhook:
        """A new signing secret (generated, or ``secret``), shown in this answer only. The previous one
        keeps signing until ``previous_secret_expires_at``, so receivers can switch without a gap."""
        return self._t.send(calls.rotate_secret(webhook_id, secret=secret))

    def test(self, webhook_id: str) -> WebhookTestResult:
        """Sends one signed ``webhook.test`` event to the webhook's URL now and answers how it went."""
        return self._t.send(calls.send_test_delivery(webhook_id))

    def deliveries(
        self, webhook_id: str, *, limit: int | None = None, event_id: str | None = None, cursor: str | None = None
    ) -> Page[Delivery]:
        """One page of delivery attempts, newest first: status code, duration, error, attempt, next retry.
        Attempts are logged in batches: the newest can take about a second to appear."""
        return self._deliveries(calls.list_deliveries(webhook_id, limit=limit, event_id=event_id, cursor=cursor))

    def _deliveries(self, call: Call[_Deliveries]) -> Page[Delivery]:
        data, has_more, next_cursor = self._t.send(call)
        return Page(data, has_more, next_cursor, lambda cursor: self._deliveries(calls.at_cursor(call, cursor)))


class AsyncWebhooks:
    """The webhooks API of an ``AsyncClient``: the same calls as ``Webhooks``, awaitable."""

    def __init__(self, transport: AsyncTransport) -> None:
        self._t = transport

    async def create(
        self, *, url: str, events: Sequence[str], secret: str | None = None, description: str | None = None
    ) -> CreatedWebhook:
        """Subscribes ``url`` to event types; see ``Webhooks.create``."""
        return await self._t.send(calls.create_webhook(url=url, events=events, secret=secret, description=description))

    async def list(self) -> AsyncPage[Webhook]:
        """The organization's webhooks."""
        data, has_more, next_cursor = await self._t.send(calls.list_webhooks())
        return AsyncPage(data, has_more, next_cursor)

    async def get(self, webhook_id: str) -> Webhook:
        """One webhook."""
        return await self._t.send(calls.get_webhook(webhook_id))

    async def update(
        self,
        webhook_id: str,
        *,
        url: str = UNSET,
        events: Sequence[str] = UNSET,
        description: str | None = UNSET,
        enabled: bool = UNSET,
    ) -> Webhook:
        """Changes the fields given; see ``Webhooks.update``."""
        return await self._t.send(
            calls.update_webhook(webhook_id, url=url, events=events, description=description, enabled=enabled)
        )

    async def delete(self, webhook_id: str) -> None:
        """Deletes the subscription."""
        await self._t.send(calls.delete_webhook(webhook_id))

    async def rotate_secret(self, webhook_id: str, *, secret: str | None = None) -> RotatedWebhook:
        """A new signing secret; see ``Webhooks.rotate_secret``."""
        return await self._t.send(calls.rotate_secret(webhook_id, secret=secret))

    async def test(self, webhook_id: str) -> WebhookTestResult:
        """Sends one signed ``webhook.test`` event now."""
        return await self._t.send(calls.send_test_delivery(webhook_id))

    async def deliveries(
        self, webhook_id: str, *, limit: int | None = None, event_id: str | None = None, cursor: str | None = None
    ) -> AsyncPage[Delivery]:
        """One page of delivery attempts, newest first."""
        return await self._deliveries(calls.list_deliveries(webhook_id, limit=limit, event_id=event_id, cursor=cursor))

    async def _deliveries(self, call: Call[_Deliveries]) -> AsyncPage[Delivery]:
        data, has_more, next_cursor = await self._t.send(call)
        return AsyncPage(data, has_more, next_cursor, lambda cursor: self._deliveries(calls.at_cursor(call, cursor)))
