"""Shared fixtures. Unit tests (tests/unit) need nothing; the integration tests (tests/integration)
run against a platform that ``npm test`` starts (test/integration/python-sdk.test.ts), named by
the environment:

- ``RG_TEST_API_URL``: the API's base URL;
- ``RG_TEST_API_KEYS``: JSON object of API keys by name, one organization each (``{"events": "key_..."}``),
  and ``admin``, a key that may act for any organization;
- ``RG_TEST_ORGANIZATIONS``: JSON object of the organizations' ids, by the same names;
- ``RG_EVENTS_GUIDE``: the events guide (markdown) whose Python blocks tests/integration runs.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator

import pytest
from support.receiver import Receiver


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def _required(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        pytest.fail(
            f"{name} is not set: the integration tests run through `npm test` (test/integration/python-sdk.test.ts)"
        )
    return value


@pytest.fixture(scope="session")
def api_url() -> str:
    return _required("RG_TEST_API_URL")


@pytest.fixture(scope="session")
def api_keys() -> dict[str, str]:
    return json.loads(_required("RG_TEST_API_KEYS"))


@pytest.fixture(scope="session")
def organizations() -> dict[str, str]:
    return json.loads(_required("RG_TEST_ORGANIZATIONS"))


@pytest.fixture(scope="session")
def guide_path() -> str:
    return _required("RG_EVENTS_GUIDE")


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()
