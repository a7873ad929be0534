"""Arguments checked before any request (exit 2), dates in either format, timeout and
retries handed to the client, and the Context that builds one client per run."""

from __future__ import annotations

import argparse
import datetime
from typing import Any

import pytest

from komfortkasse import (
    ConfigurationError,
    Komfortkasse,
)
from komfortkasse.cli._commands import Context
from komfortkasse.cli._input import parse_cli_date
from komfortkasse.cli._render import Output
from komfortkasse.testing import FakeKomfortkasse
from tests.cli.support import (
    one_error_line,
)
from tests.conftest import Run


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["orders", "list", "--max-age", "ten"], "not a whole number: 'ten'"),
        (["orders", "list", "--max-age", "0"], "must be at least 1, got 0"),
        (["--retries", "many", "orders", "list"], "not a whole number: 'many'"),
        (["--retries", "-1", "orders", "list"], "must not be negative, got -1"),
        (["fake-server", "--port", "65536"], "not a port number: 65536"),
        (["fake-server", "--port", "http"], "not a whole number: 'http'"),
        (["--timeout", "soon", "orders", "list"], "not a number of seconds: 'soon'"),
        (["--timeout", "inf", "orders", "list"], "must be a positive number of seconds"),
        (["orders", "list", "--status", "PAID,,UNPAID"], "empty status in 'PAID,,UNPAID'"),
        (
            ["orders", "list", "--min-posting-date", "31-02-2024"],
            "not a date (DD-MM-YYYY or YYYY-MM-DD): '31-02-2024'",
        ),
        (
            ["orders", "list", "--min-posting-date", "2024-13-01"],
            "not a date (DD-MM-YYYY or YYYY-MM-DD): '2024-13-01'",
        ),
        (["orders", "sync", "-", "--max-legacy", "ten%"], "not a count or fraction: 'ten%'"),
        (["orders", "sync", "-", "--max-legacy", "1.2.3"], "not a count or fraction: '1.2.3'"),
        (["orders", "sync", "-", "--max-legacy", "-5"], "must not be negative, got -5"),
    ],
)
def test_bad_arguments_exit_2_without_a_request(
    run: Run, argv: list[str], message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_client(self: Context) -> Komfortkasse:
        raise AssertionError("no client may be built for a usage error")

    monkeypatch.setattr(Context, "client", no_client)
    result = run(*argv)
    one_error_line(result, 2, message, "see 'komfortkasse")


def test_parse_cli_date_accepts_both_formats() -> None:
    assert parse_cli_date(" 29-02-2024 ") == datetime.date(2024, 2, 29)
    assert parse_cli_date("2024-02-29") == datetime.date(2024, 2, 29)
    with pytest.raises(ValueError, match="not a date"):
        parse_cli_date("2023-02-29")


@pytest.mark.parametrize("text", ["29-02-2023", "1-2-2024", "29.02.2024", "٢٩-٠٢-٢٠٢٤"])
def test_parse_cli_date_reads_dd_mm_yyyy_as_the_models_do(text: str) -> None:
    """The API's format is read by the models' own parser: what a response could not
    carry, the command line does not take either."""
    from komfortkasse_generated._wire import WireError, date_at

    with pytest.raises(WireError):
        date_at(text)
    with pytest.raises(ValueError, match="not a date"):
        parse_cli_date(text)


def test_timeout_and_retries_reach_the_client(
    run: Run, fake: FakeKomfortkasse, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[Any] = []
    real_init = Komfortkasse.__init__

    def spy(self: Komfortkasse, *args: Any, **kwargs: Any) -> None:
        seen.append(kwargs)
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(Komfortkasse, "__init__", spy)
    result = run("--base-url", fake.url, "--timeout", "2.5", "--retries", "0", "orders", "list")
    assert result.code == 0, result.err
    [options] = seen
    assert options["timeout"] == 2.5
    assert options["retry"].max_attempts == 1
    assert options["base_url"] == fake.url


def context(base_url: str | None = None) -> Context:
    args = argparse.Namespace(base_url=base_url, timeout=None, retries=None)
    return Context(args, Output(json_mode=False))


def test_context_builds_one_client_and_close_forgets_it(fake: FakeKomfortkasse) -> None:
    ctx = context(fake.url)
    first = ctx.client()
    assert ctx.client() is first
    ctx.close()
    second = ctx.client()
    assert second is not first
    ctx.close()
    ctx.close()  # closing twice is harmless


def test_context_without_a_key_is_a_configuration_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KOMFORTKASSE_API_KEY", "   ")
    with pytest.raises(ConfigurationError, match="KOMFORTKASSE_API_KEY"):
        context().client()
