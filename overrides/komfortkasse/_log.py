"""The library's log: the ``komfortkasse`` logger, ``$KOMFORTKASSE_LOG``, and
server text made safe for a log line."""

from __future__ import annotations

import logging
import os
import sys
import unicodedata
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ._exceptions import APIError, KomfortkasseError

if TYPE_CHECKING:
    from ._call import Call

logger = logging.getLogger("komfortkasse")
#: A library does not print: without the application's own logging set-up, nothing
#: reaches stderr (Python's last-resort handler stays out of it).
logger.addHandler(logging.NullHandler())
#: ``KOMFORTKASSE_LOG=debug`` or ``info`` prints the library's log to stderr.
LOG_ENV = "KOMFORTKASSE_LOG"
_LOG_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO}


def log_to_stderr_from_env(environ: Mapping[str, str] = os.environ) -> logging.Handler | None:
    """Honour ``$KOMFORTKASSE_LOG`` (``debug`` or ``info``): a stderr handler at that
    level on the ``komfortkasse`` logger. Run once at import; returns the handler."""
    level = _LOG_LEVELS.get(environ.get(LOG_ENV, "").strip().lower())
    if level is None:
        return None
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(level)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(level)
    return handler


log_to_stderr_from_env()


_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def log_text(text: str) -> str:
    """Server text made safe for a log line: newlines and other control or
    line-breaking characters escaped, so an answer cannot forge log lines."""
    return "".join(_escaped(c) for c in text)


def _escaped(char: str) -> str:
    if char in _ESCAPES:
        return _ESCAPES[char]
    category = unicodedata.category(char)
    if category[0] == "C" or category in ("Zl", "Zp"):
        return f"\\u{ord(char):04x}"
    return char


def reason(error: KomfortkasseError) -> str:
    if isinstance(error, APIError):
        return log_text(f"HTTP {error.status_code} {error.message}")
    return type(error).__name__


def log_request(call: Call[Any], attempt: int) -> None:
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug("komfortkasse: %s %s (attempt %d)", call.operation, call.describe(), attempt)
