"""Logging: silent unless the application sets it up or ``KOMFORTKASSE_LOG`` asks for
stderr, and log text that cannot forge a line."""

from __future__ import annotations

import logging
import os
import subprocess
import sys

import pytest

from komfortkasse._log import (
    log_text,
    log_to_stderr_from_env,
    logger,
)


def test_log_text_escapes_line_breaks_and_controls() -> None:
    assert log_text("a\nb\rc\td\x1b[31m\u2028é ß") == "a\\nb\\rc\\td\\u001b[31m\\u2028é ß"


def _python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k != "KOMFORTKASSE_LOG"}
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )


PROBE = (
    "import logging, komfortkasse._log as core\n"
    "core.logger.warning('probe-warning')\n"
    "core.logger.info('probe-info')\n"
    "core.logger.debug('probe-debug')\n"
)


def test_without_logging_set_up_the_library_prints_nothing() -> None:
    assert _python(PROBE).stderr == ""


@pytest.mark.parametrize(
    ("level", "shown", "hidden"),
    [("debug", ["probe-debug", "probe-info"], []), ("INFO", ["probe-info"], ["probe-debug"])],
)
def test_komfortkasse_log_prints_to_stderr(level: str, shown: list[str], hidden: list[str]) -> None:
    stderr = _python(PROBE, KOMFORTKASSE_LOG=level).stderr
    assert all(word in stderr for word in shown)
    assert not any(word in stderr for word in hidden)
    assert "probe-warning" in stderr


def test_log_switch_in_process() -> None:
    assert log_to_stderr_from_env({}) is None
    assert log_to_stderr_from_env({"KOMFORTKASSE_LOG": "loud"}) is None
    before = logger.level
    handler = log_to_stderr_from_env({"KOMFORTKASSE_LOG": " Debug "})
    try:
        assert handler is not None
        assert handler.level == logging.DEBUG
        assert logger.level == logging.DEBUG
    finally:
        logger.removeHandler(handler)  # type: ignore[arg-type]
        logger.setLevel(before)
    assert any(isinstance(h, logging.NullHandler) for h in logger.handlers)
