"""The clients: ``Client`` (blocking calls, plus ``async for`` over ``events.subscribe``) and ``AsyncClient``."""

from __future__ import annotations

from types import TracebackType

import httpx

from ._events import AsyncEvents, Events
from ._transport import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_SECONDS, AsyncTransport, SyncTransport, make_settings
from ._webhooks import AsyncWebhooks, Webhooks


class Client:
    """A client of the events API, as the events guide uses it: ``client.events.list(...)``,
    ``client.webhooks.create(...)``, ``client.events.replay(...)`` block until the answer, and
    ``async for event in client.events.subscribe(...)`` streams live events.

    Args:
        api_key: sent as ``Authorization: Bearer ...``.
        base_url: the API, without ``/api/v1``. Default ``http://127.0.0.1:8080``.
        organization_id: for admin keys, the organization to act on (``RG-Organization-Id``).
        timeout_seconds: timeout of one request (connecting, sending, each read), in seconds. Default 30.
        max_retries: retries of a request answered 429 or 503, or failing on the network, with
            exponential backoff and ``Retry-After``. Only requests safe to repeat are retried:
            GET, PATCH, DELETE, cancelling a replay, and a publish whose events all carry an ``id``.
            Default 2.
        http_client: an ``httpx.Client`` of your own (proxies, certificates); not closed by ``close()``.
    """

    def __init__(
        self,
        api_key: str,
        *,
        base_url: str | None = None,
        organization_id: str | None = None,
        timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_client: httpx.Client | None = None,
    ) -> None:
        settings = make_settings(api_key, base_url, organization_id, timeout_seconds, max_retries)
        self._transport = SyncTransport(settings, http_client)
        #: Publish, history, the live stream, replays.
        self.events = Events(self._transport)
        #: Webhook subscriptions and their deliveries.
        self.webhooks = Webhooks(self._transport)

    @property
    def base_url(self) -> str:
        return self._transport.settings.base_url

    def close(self) -> None:
        """Closes the connections of the blocking calls (each subscription closes its own when it ends)."""
        self._transport.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class AsyncClient:
    """The same API for asyncio code: every call is awaited (``await client.events.list(...)``), and
    ``async for event in client.events.subscribe(...)`` streams live events. Arguments as ``Client``'s;
    ``http_client`` is an ``httpx.AsyncClient``."""

    def __init__(
        self,
        api_key: str,
        *,
        base_url: str | None = None,
        organization_id: str | None = None,
        timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        settings = make_settings(api_key, base_url, organization_id, timeout_seconds, max_retries)
        self._transport = AsyncTransport(settings, http_client)
        self.events = AsyncEvents(self._transport, self._transport.http)
        self.webhooks = AsyncWebhooks(self._transport)

    @property
    def base_url(self) -> str:
        return self._transport.settings.base_url

    async def aclose(self) -> None:
        """Closes the client's connections."""
        await self._transport.aclose()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()
