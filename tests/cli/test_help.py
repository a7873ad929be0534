"""``--help`` for every command and group: the key, the exit codes, each subcommand with
a summary, the CSV columns; the console script runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from komfortkasse.cli._errors import EXIT_CODES
from komfortkasse.cli._fake import COMMANDS as FAKE_COMMANDS
from tests.conftest import Run
from tests.samples import KEY

COMMANDS = [
    [],
    ["orders"],
    ["orders", "get"],
    ["orders", "list"],
    ["orders", "submit"],
    ["orders", "set-paid"],
    ["orders", "set-unpaid"],
    ["orders", "cancel"],
    ["orders", "remove"],
    ["orders", "sync"],
    ["orders", "changes"],
    ["postings"],
    ["postings", "list"],
    ["postings", "reconcile"],
    ["image"],
    ["image", "save"],
    ["invoice"],
    ["invoice", "upload"],
    ["fake-server"],
    ["fake"],
    *[["fake", name] for name in FAKE_COMMANDS],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "top")
def test_help_for_every_command(run: Run, command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.code == 0
    assert result.out.startswith(f"usage: komfortkasse {' '.join(command)}".rstrip())
    assert result.err == ""


def test_top_level_help_documents_key_and_every_exit_code(run: Run) -> None:
    result = run("--help")
    assert "KOMFORTKASSE_API_KEY" in result.out
    for row in EXIT_CODES:
        assert f"  {row.code} " in result.out
    for group in ("orders", "postings", "image", "invoice", "fake-server"):
        assert group in result.out


def test_group_help_lists_each_subcommand_with_a_summary(run: Run) -> None:
    out = run("orders", "--help").out
    for name, summary in [
        ("sync", "send the complete list of open orders"),
        ("set-paid", "mark an order paid manually"),
        ("changes", "orders whose payment status changed"),
    ]:
        assert name in out
        assert summary in out


def test_submit_help_documents_the_csv_columns(run: Run) -> None:
    out = run("orders", "submit", "--help").out
    for column in ("billing_country_code", "due_date", "shipping_last_name", "billing_company"):
        assert column in out
    assert "--rest-file" in out


def test_console_script_runs() -> None:
    script = Path(sys.executable).parent / "komfortkasse"
    env = {**os.environ, "KOMFORTKASSE_API_KEY": KEY}
    done = subprocess.run(
        [str(script), "--help"], capture_output=True, text=True, env=env, check=False, timeout=60
    )
    assert done.returncode == 0
    assert "usage: komfortkasse" in done.stdout
    assert "exit codes:" in done.stdout
    assert KEY not in done.stdout + done.stderr


def test_top_level_help_points_to_the_csv_columns(run: Run) -> None:
    out = run("--help").out
    assert "orders submit --help" in out
    assert "fake" in out
    for row in EXIT_CODES:
        assert f"  {row.code} " in out


def test_fake_group_help(run: Run) -> None:
    out = run("fake", "--help").out
    for name in ("pay", "advance", "lock", "fault", "requests", "reset", "callback"):
        assert name in out
    fault = run("fake", "fault", "--help").out
    assert "502_html" in fault  # the kinds, from the fake's own table
