"""``python -m komfortkasse.testing``: run the fake in the foreground until interrupted.

Prints the base URL, the default shop's API key, the control URL and the control
token (one ``Name: value`` line each, flushed), so a script or another process --
a test suite in any language -- can read them, point its client at the fake and
drive it through the control endpoints (see :mod:`komfortkasse.testing._control`).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import signal
import sys
import threading
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m komfortkasse.testing",
        description="Run a fake Komfortkasse API v2 server on 127.0.0.1.",
    )
    parser.add_argument("--port", type=int, default=0, help="port (default: any free port)")
    parser.add_argument("--api-key", help="API key of the default shop (default: random)")
    parser.add_argument(
        "--today",
        type=datetime.date.fromisoformat,
        help="first day of the fake clock, YYYY-MM-DD (default: today)",
    )
    parser.add_argument(
        "--control-token", help="token the /_fake control endpoints require (default: random)"
    )
    args = parser.parse_args(argv)

    from . import FakeKomfortkasse
    from ._control import banner_lines

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with FakeKomfortkasse(
        port=args.port, api_key=args.api_key, today=args.today, control_token=args.control_token
    ) as fake:
        for line in banner_lines(fake):
            print(line, flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            stop.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
