"""``python -m komfortkasse.testing``: run the fake in the foreground until interrupted.

Prints the base URL and the default shop's API key (one per line, flushed), so a
script or another process can read them and point a client at the fake.
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
    args = parser.parse_args(argv)

    from ._fake import FakeKomfortkasse

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with FakeKomfortkasse(port=args.port, api_key=args.api_key, today=args.today) as fake:
        print(f"URL: {fake.url}", flush=True)
        print(f"API key: {fake.api_key}", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            stop.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
