"""The command line's environment (the sample key, or the fake's when a test uses the
fake; no base URL and no terminal width from the machine running the suite), and
``api``, the scripted server's base URL that checks every expected request arrived."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer

from tests.samples import KEY


@pytest.fixture(autouse=True)
def environment(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    uses_fake = "fake" in request.fixturenames
    key = request.getfixturevalue("fake").api_key if uses_fake else KEY
    monkeypatch.setenv("KOMFORTKASSE_API_KEY", key)
    monkeypatch.delenv("KOMFORTKASSE_BASE_URL", raising=False)
    monkeypatch.delenv("COLUMNS", raising=False)


@pytest.fixture
def api(api_url: str, httpserver: HTTPServer) -> Iterator[str]:
    """The scripted server's ``api_url``; every expected request must arrive."""
    yield api_url
    httpserver.check_assertions()
