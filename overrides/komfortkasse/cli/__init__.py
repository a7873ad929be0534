"""The ``komfortkasse`` command line (``pip install 'komfortkasse[cli]'``).

``main(argv)`` parses, runs one command and returns its exit code (see
:data:`komfortkasse.cli._errors.EXIT_CODES`, also printed by ``--help``).
Every error ends as one ``error: ...`` line on stderr (with ``--json``: one
``{"error": {...}}`` object on stdout), never a traceback; the API key (read
only from ``$KOMFORTKASSE_API_KEY``) is never printed.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._render import Output

__all__ = ["main"]

CLI_HINT = "error: the komfortkasse command needs rich: pip install 'komfortkasse[cli]'"


def _redact(text: str) -> str:
    """``text`` with the API key blanked out, in case an error ever echoes it."""
    from komfortkasse._secret import API_KEY_ENV

    key = os.environ.get(API_KEY_ENV, "").strip()
    return text.replace(key, "***") if len(key) >= 4 else text


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail
    again on the closed pipe (the recipe in Python's ``signal`` docs)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (captured output)
        pass


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``komfortkasse`` with ``argv`` (default: ``sys.argv[1:]``); return the exit code."""
    try:
        import rich  # noqa: F401
    except ImportError:
        print(CLI_HINT, file=sys.stderr)
        return 2
    try:
        return _run(list(sys.argv[1:] if argv is None else argv))
    except BrokenPipeError:
        # `komfortkasse orders list | head`: the reader has what it wanted.
        _silence_stdout()
        return 0


def _wants_json(argv: list[str]) -> bool:
    """``--json`` anywhere before a ``--`` (known even when parsing fails)."""
    head = argv[: argv.index("--")] if "--" in argv else argv
    return "--json" in head


def _fail(output: Output, error: BaseException, code: int) -> int:
    """Report ``error`` (one ``error:`` line and its details; in ``--json`` mode one
    JSON object on stdout) and return ``code``."""
    from ._errors import describe, error_json

    interrupted = isinstance(error, KeyboardInterrupt)
    message = "interrupted" if interrupted else _redact(describe(error))
    details = [_redact(line) for line in getattr(error, "details", [])]
    if output.json_mode:
        found = error_json(error, code, message)
        if details:
            found["details"] = details
        output.json({"error": found})
        return code
    output.error(message)
    for line in details:
        output.message(line)
    return code


def _run(argv: list[str]) -> int:
    """Parse, run the command, and turn whatever it raises into an exit code."""
    from ._commands import Context
    from ._errors import USAGE, UsageError, exit_code_for
    from ._parser import build_parser
    from ._render import Output

    output = Output(json_mode=_wants_json(argv))
    try:
        args = build_parser().parse_args(argv)
    except UsageError as error:
        return _fail(output, error, USAGE)
    except SystemExit as done:  # --help
        return done.code if isinstance(done.code, int) else USAGE
    output = Output(json_mode=args.json)
    context = Context(args, output)
    try:
        code: int = args.handler(args, context)
    except (Exception, KeyboardInterrupt) as error:
        found = exit_code_for(error)
        if found is None:
            raise
        return _fail(output, error, found)
    finally:
        context.close()
    return code
