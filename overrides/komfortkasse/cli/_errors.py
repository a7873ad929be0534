"""The command line's exit codes: the one table that maps errors to them.

The top-level ``--help`` epilog is rendered from :data:`EXIT_CODES`, so the
documentation and the behaviour cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from komfortkasse import (
    APIError,
    BulkSubmitError,
    ConfigurationError,
    SyncRefusedError,
    TransportError,
    UnexpectedResponseError,
    ValidationError,
)

__all__ = [
    "EXIT_CODES",
    "INTERRUPTED",
    "OK",
    "USAGE",
    "ExitCode",
    "UsageError",
    "describe",
    "error_json",
    "exit_code_for",
]


class UsageError(Exception):
    """A problem the user can fix locally: a bad argument argparse cannot check,
    an unreadable or malformed input file, an unwritable output path.

    ``details`` are further lines printed after the ``error:`` line (more
    problems of the same file, what was not done).
    """

    def __init__(self, message: str, *, details: list[str] | None = None) -> None:
        super().__init__(message)
        self.details = list(details or [])


@dataclass(frozen=True)
class ExitCode:
    """One row of the exit code table."""

    code: int
    meaning: str
    #: The errors that end the program with ``code``.
    errors: tuple[type[BaseException], ...] = ()


#: Every exit code the command line uses. A bulk submit that stopped exits
#: with the code of the error that stopped it (usually 1: the API refused a chunk).
EXIT_CODES: tuple[ExitCode, ...] = (
    ExitCode(0, "success"),
    ExitCode(
        1,
        "the API refused the request (API error, bulk submit stopped, sync refused)",
        (APIError, BulkSubmitError, SyncRefusedError),
    ),
    ExitCode(
        2,
        "usage or client-side validation error (bad arguments, invalid order, "
        "missing API key, unreadable input file)",
        (UsageError, ValidationError, ConfigurationError),
    ),
    ExitCode(3, "could not reach the API (connection failed or timed out)", (TransportError,)),
    ExitCode(
        4,
        "unexpected response (not the API's: HTML page, redirect, JSON off the schema)",
        (UnexpectedResponseError,),
    ),
    ExitCode(130, "interrupted (Ctrl-C)", (KeyboardInterrupt,)),
)

OK = EXIT_CODES[0].code
USAGE = 2
INTERRUPTED = EXIT_CODES[-1].code


def exit_code_for(error: BaseException) -> int | None:
    """The exit code for ``error``, or ``None`` when the table does not know it
    (a bug: let it surface with its traceback)."""
    if isinstance(error, BulkSubmitError):
        # Not sent because the network is down (3) is not the same news as
        # refused by the API (1): report what actually stopped the upload.
        code = exit_code_for(error.error)
        if code is not None:
            return code
    for row in EXIT_CODES:
        if row.errors and isinstance(error, row.errors):
            return row.code
    return None


def describe(error: BaseException) -> str:
    """One line for ``error: ...``: the message plus any notes (retry count)."""
    text = str(error) or type(error).__name__
    notes = getattr(error, "__notes__", None) or []
    line = "; ".join([text, *[str(note) for note in notes]])
    return " ".join(line.split())


def error_json(error: BaseException, code: int, message: str | None = None) -> dict[str, object]:
    """The ``--json`` form of an error: message, exit code, error class, and what
    else is known (the HTTP status, the invalid field, further problems)."""
    found: dict[str, object] = {
        "message": describe(error) if message is None else message,
        "exitCode": code,
        "type": type(error).__name__,
    }
    status = getattr(error, "status_code", None)
    if isinstance(status, int):
        found["status"] = status
    for name in ("field", "rule"):
        value = getattr(error, name, None)
        if isinstance(value, str):
            found[name] = value
    details = getattr(error, "details", None)
    if details:
        found["details"] = list(details)
    return found
