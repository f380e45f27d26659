"""Python client of the ResonantGenesis Events API: publish, history, live stream, webhooks, replay.

from resonant_events import Client

client = Client(api_key="rg_...", base_url="http://127.0.0.1:8080")
for event in client.events.list(types=["session.*"], limit=100):
    print(event.type, event.data)
"""

from .client import AsyncClient, Client
from .errors import (
    ApiConnectionError,
    ApiError,
    ApiTimeoutError,
    AuthenticationError,
    ConflictError,
    ErrorDetail,
    InvalidRequestError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResonantEventsError,
    ServiceUnavailableError,
    WebhookVerificationError,
)
from .ids import new_event_id
from .models import (
    CreatedWebhook,
    Delivery,
    Event,
    EventMetadata,
    PublishedEvent,
    Replay,
    RotatedWebhook,
    TypedEvent,
    Webhook,
    WebhookTestResult,
    parse_event,
)
from .pagination import AsyncPage, Page
from .subscription import Subscription
from .webhooks_verify import sign_webhook, verify_signature, verify_webhook

__version__ = "0.1.0"

__all__ = [
    "ApiConnectionError",
    "ApiError",
    "ApiTimeoutError",
    "AsyncClient",
    "AsyncPage",
    "AuthenticationError",
    "Client",
    "ConflictError",
    "CreatedWebhook",
    "Delivery",
    "ErrorDetail",
    "Event",
    "EventMetadata",
    "InvalidRequestError",
    "NotFoundError",
    "Page",
    "PermissionDeniedError",
    "PublishedEvent",
    "RateLimitError",
    "Replay",
    "ResonantEventsError",
    "RotatedWebhook",
    "ServiceUnavailableError",
    "Subscription",
    "TypedEvent",
    "Webhook",
    "WebhookTestResult",
    "WebhookVerificationError",
    "new_event_id",
    "parse_event",
    "sign_webhook",
    "verify_signature",
    "verify_webhook",
]
