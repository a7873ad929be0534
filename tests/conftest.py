"""Fixtures shared by the whole suite.

* ``client`` / ``async_client``: the clients on a scripted server (pytest-httpserver's
  ``httpserver``, its API under ``api_url``), with the sample key and ``retry_policy``
  (quick retries, unless a module overrides it);
* ``fake``: a started :class:`~komfortkasse.testing.FakeKomfortkasse` per test,
  ``module_fake`` one per module (``reset()`` it between examples); both are made from
  ``fake_options``, which a folder's conftest or a module overrides;
* ``fake_client``: a client on ``fake`` (``retry_policy`` too);
* ``run``: the ``komfortkasse`` command line, run in-process.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from pytest_httpserver import HTTPServer

from komfortkasse import AsyncKomfortkasse, Komfortkasse, RetryPolicy
from komfortkasse.testing import FakeKomfortkasse
from tests.samples import BASE_PATH, FAST, KEY


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


# -- a scripted server ------------------------------------------------------------------


@pytest.fixture
def api_url(httpserver: HTTPServer) -> str:
    """The base URL of the API on the scripted server."""
    return httpserver.url_for(BASE_PATH)


@pytest.fixture
def retry_policy() -> RetryPolicy:
    """The retries of ``client``, ``async_client`` and ``fake_client``: the default
    number of attempts without waiting (a module overrides this fixture to change it)."""
    return FAST


@pytest.fixture
def client(api_url: str, retry_policy: RetryPolicy) -> Iterator[Komfortkasse]:
    """A client on the scripted server with the sample key."""
    with Komfortkasse(KEY, base_url=api_url, retry=retry_policy) as kk:
        yield kk


@pytest.fixture
def async_client(api_url: str, retry_policy: RetryPolicy) -> AsyncKomfortkasse:
    """The async twin of ``client``; the test enters it (``async with async_client as
    kk``), inside its own event loop."""
    return AsyncKomfortkasse(KEY, base_url=api_url, retry=retry_policy)


# -- the fake -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fake_options() -> dict[str, Any]:
    """The ``FakeKomfortkasse`` arguments of ``fake`` and ``module_fake`` (override it)."""
    return {}


@pytest.fixture
def fake(fake_options: dict[str, Any]) -> Iterator[FakeKomfortkasse]:
    with FakeKomfortkasse(**fake_options) as server:
        yield server


@pytest.fixture(scope="module")
def module_fake(fake_options: dict[str, Any]) -> Iterator[FakeKomfortkasse]:
    """One fake for the whole module (many examples, one server): reset it as needed."""
    with FakeKomfortkasse(**fake_options) as server:
        yield server


@pytest.fixture
def fake_client(fake: FakeKomfortkasse, retry_policy: RetryPolicy) -> Iterator[Komfortkasse]:
    """A client on ``fake`` (its key and URL)."""
    with Komfortkasse(fake.api_key, base_url=fake.url, retry=retry_policy) as kk:
        yield kk


# -- the command line ---------------------------------------------------------------------


class Result(NamedTuple):
    """What one run of the command line ended with."""

    code: int
    out: str
    err: str

    def json(self) -> Any:
        import json

        return json.loads(self.out)


Run = Callable[..., Result]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], request: pytest.FixtureRequest) -> Run:
    """``run(*argv)``: call the CLI's ``main`` in-process and capture its output, which
    may hold neither the sample key nor the key of the fake the test uses."""
    from komfortkasse.cli import main

    secrets = [KEY]
    if "fake" in request.fixturenames:
        secrets.append(request.getfixturevalue("fake").api_key)

    def invoke(*argv: str | Path) -> Result:
        code = main([str(arg) for arg in argv])
        captured = capsys.readouterr()
        for secret in secrets:
            assert secret not in captured.out
            assert secret not in captured.err
        return Result(code, captured.out, captured.err)

    return invoke
