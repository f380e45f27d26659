"""Verifying webhook deliveries (Standard Webhooks): HMAC-SHA256 over ``{id}.{timestamp}.{body}``,
a timestamp within the tolerance, a constant-time comparison."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from collections.abc import Iterable, Mapping
from typing import Any

from .errors import WebhookVerificationError
from .models import Event, parse_event

#: How far the ``webhook-timestamp`` may be from now, in seconds (replay protection).
DEFAULT_TOLERANCE_SECONDS = 300


def secret_bytes(secret: str) -> bytes:
    """The HMAC key: the decoded base64 of a ``whsec_`` secret, the UTF-8 bytes of any other."""
    if secret.startswith("whsec_"):
        try:
            return base64.b64decode(secret[len("whsec_") :], validate=True)
        except binascii.Error as error:
            raise ValueError("a whsec_ secret must be whsec_ followed by base64") from error
    return secret.encode("utf-8")


def sign_webhook(secret: str, msg_id: str, timestamp: int, body: str | bytes) -> str:
    """The signature ``v1,<base64>`` the platform sends for this delivery (for tests and forwarding)."""
    payload = body if isinstance(body, bytes) else body.encode("utf-8")
    signed = f"{msg_id}.{timestamp}.".encode() + payload
    digest = hmac.new(secret_bytes(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def _header(headers: Any, name: str) -> str | None:
    """A header from any mapping (``dict``, ``httpx.Headers``, Flask or Starlette headers), by name in any case."""
    value = headers.get(name) if hasattr(headers, "get") else None
    if value is None and isinstance(headers, Mapping):
        for key, item in headers.items():
            if isinstance(key, str) and key.lower() == name:
                value = item
                break
    if isinstance(value, list | tuple):
        value = value[0] if value else None
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    return value if isinstance(value, str) else None


def verify_signature(
    body: str | bytes,
    headers: Mapping[str, Any] | Any,
    secret: str | Iterable[str],
    *,
    tolerance_seconds: float = DEFAULT_TOLERANCE_SECONDS,
    now: float | None = None,
) -> None:
    """Checks a delivery's signature and timestamp as Standard Webhooks defines them, whatever its
    body; raises ``WebhookVerificationError`` when they do not hold. ``verify_webhook`` also reads
    the event."""
    msg_id = _header(headers, "webhook-id")
    timestamp = _header(headers, "webhook-timestamp")
    signatures = _header(headers, "webhook-signature")
    if not msg_id or not timestamp or not signatures:
        raise WebhookVerificationError("missing webhook-id, webhook-timestamp or webhook-signature header")
    if not timestamp.isascii() or not timestamp.isdigit():
        raise WebhookVerificationError("invalid webhook-timestamp")
    sent_at = int(timestamp)
    current = time.time() if now is None else now
    if sent_at < current - tolerance_seconds:
        raise WebhookVerificationError("webhook-timestamp is too old")
    if sent_at > current + tolerance_seconds:
        raise WebhookVerificationError("webhook-timestamp is too far in the future")

    offered = []
    for part in signatures.split(" "):
        version, _, value = part.partition(",")
        if version == "v1" and value:
            try:
                offered.append(base64.b64decode(value, validate=True))
            except binascii.Error:
                continue
    secrets = [secret] if isinstance(secret, str) else list(secret)
    if not secrets:
        raise ValueError("secret is required: the webhook's signing secret (or several, during a rotation)")
    for candidate in secrets:
        expected = base64.b64decode(sign_webhook(candidate, msg_id, sent_at, body)[3:])
        if any(hmac.compare_digest(expected, given) for given in offered):
            return
    raise WebhookVerificationError("no matching signature")


def verify_webhook(
    body: str | bytes,
    headers: Mapping[str, Any] | Any,
    secret: str | Iterable[str],
    *,
    tolerance_seconds: float = DEFAULT_TOLERANCE_SECONDS,
    now: float | None = None,
) -> Event[Any]:
    """Checks a delivery and returns the event it carries; raises ``WebhookVerificationError`` otherwise.

    ``body`` is the raw request body, exactly as received (before any JSON parsing); ``headers``
    any mapping of the request's headers. ``secret`` may be several secrets (during a rotation:
    the new and the old one); any one matching is enough. ``now`` (unix seconds) is for tests.
    The event's id is also the ``webhook-id`` header: retries repeat it, so deduplicate on it.
    """
    verify_signature(body, headers, secret, tolerance_seconds=tolerance_seconds, now=now)
    try:
        value = json.loads(body)
        if not isinstance(value, dict):
            raise ValueError("not a JSON object")
        return parse_event(value)
    except ValueError as error:  # pydantic's ValidationError is a ValueError
        raise WebhookVerificationError(f"the signed body is not an event: {error}") from error
