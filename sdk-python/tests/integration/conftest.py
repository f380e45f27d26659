"""Fixtures of the tests against the running platform: clients by organization, the guide's example
payloads (read from the guide's own JSON blocks), history that is ready to be read."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from resonant_events import AsyncClient, Client

# Generous: the shared 2-core machine can make Kafka slow to acknowledge and the sink slow to insert.
TIMEOUT_SECONDS = 60.0


@pytest.fixture(scope="session")
def guide_text(guide_path: str) -> str:
    return Path(guide_path).read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def examples(guide_text: str) -> dict[str, dict[str, Any]]:
    """The guide's example ``data`` of each event type: the JSON block under its ``### <type>`` heading."""
    found: dict[str, dict[str, Any]] = {}
    for heading, block in re.findall(r"^### ([\w.]+)\n[^#`]*```json\n(.*?)```", guide_text, re.S | re.M):
        value = json.loads(block)
        if value.get("type") == heading and isinstance(value.get("data"), dict):
            found[heading] = value["data"]
    return found


@pytest.fixture(scope="session")
def make_client(api_url: str, api_keys: dict[str, str]) -> Iterator[Callable[..., Client]]:
    """``make_client("events")``: a client of that organization (its own key)."""
    made: list[Client] = []

    def make(name: str, **options: Any) -> Client:
        client = Client(
            api_key=api_keys[name],
            base_url=options.pop("base_url", api_url),
            timeout_seconds=options.pop("timeout_seconds", TIMEOUT_SECONDS),
            max_retries=options.pop("max_retries", 5),
            **options,
        )
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


@pytest.fixture(scope="session")
def make_async_client(api_url: str, api_keys: dict[str, str]) -> Callable[..., AsyncClient]:
    def make(name: str, **options: Any) -> AsyncClient:
        return AsyncClient(
            api_key=api_keys[name],
            base_url=options.pop("base_url", api_url),
            timeout_seconds=options.pop("timeout_seconds", TIMEOUT_SECONDS),
            max_retries=options.pop("max_retries", 5),
            **options,
        )

    return make
