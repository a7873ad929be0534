"""Running an entry point in-process: as ``python -m`` would, with its stdout captured,
until a helper thread stops it with a signal (as Ctrl-C or a service manager would)."""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest


def run_as_script(package: str, path: str) -> None:
    """Execute ``path`` as ``python -m`` would: ``__name__`` is ``"__main__"``
    and relative imports resolve in ``package`` (runpy cannot be used here:
    pytest's import hook owns the package, as it is a pytest plugin)."""
    code = compile(Path(path).read_text(encoding="utf-8"), path, "exec")
    exec(code, {"__name__": "__main__", "__package__": package, "__file__": path})


class Lines:
    """A stdout that remembers what was written (thread-safe enough for one writer)."""

    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> int:
        self.text += text
        return len(text)

    def flush(self) -> None:
        pass


def capture_stdout(monkeypatch: pytest.MonkeyPatch) -> Lines:
    """Capture ``sys.stdout`` in :class:`Lines` for an entry point run in the main thread
    (where signals arrive)."""
    assert threading.current_thread() is threading.main_thread()
    stdout = Lines()
    monkeypatch.setattr(sys, "stdout", stdout)
    return stdout


def interrupt_main_thread_when(
    ready: Callable[[], bool],
    then: Callable[[], None],
    signum: signal.Signals = signal.SIGINT,
) -> threading.Thread:
    """A helper thread: wait (briefly polling) until ``ready``, run ``then``, and
    deliver ``signum`` to the main thread (where the entry point waits)."""
    main_thread = threading.main_thread().ident
    assert main_thread is not None

    def work() -> None:
        try:
            for _ in range(2000):
                if ready():
                    break
                threading.Event().wait(0.005)
            then()
        finally:
            signal.pthread_kill(main_thread, signum)

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    return thread


def banner(stdout: Lines) -> dict[str, str]:
    """The ``Name: value`` lines a server printed when it started."""
    return dict(line.split(": ", 1) for line in stdout.text.splitlines())
