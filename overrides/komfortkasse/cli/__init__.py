"""The ``komfortkasse`` command line (``pip install 'komfortkasse[cli]'``).

``main(argv)`` parses, runs one command and returns its exit code (see
:data:`komfortkasse.cli._errors.EXIT_CODES`, also printed by ``--help``).
Every error ends as one ``error: ...`` line on stderr, never a traceback; the
API key (read only from ``$KOMFORTKASSE_API_KEY``) is never printed.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

__all__ = ["main"]

CLI_HINT = "error: the komfortkasse command needs rich: pip install 'komfortkasse[cli]'"


def _redact(text: str) -> str:
    """``text`` with the API key blanked out, in case an error ever echoes it."""
    from komfortkasse._core import API_KEY_ENV

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


def _run(argv: list[str]) -> int:
    """Parse, run the command, and turn whatever it raises into an exit code."""
    from ._commands import Context
    from ._errors import USAGE, UsageError, describe, exit_code_for
    from ._parser import build_parser
    from ._render import Output

    output = Output(json_mode=False)
    try:
        args = build_parser().parse_args(argv)
    except UsageError as error:
        output.error(_redact(describe(error)))
        return USAGE
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
        output.error(
            "interrupted" if isinstance(error, KeyboardInterrupt) else _redact(describe(error))
        )
        return found
    finally:
        context.close()
    return code
