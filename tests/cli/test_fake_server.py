"""``komfortkasse fake-server``: it announces where it listens (text or JSON), serves until
Ctrl-C or SIGTERM, restores the signal handlers, and says what to install without the
testing extra."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from komfortkasse.cli import _commands, main
from komfortkasse.cli._commands import wait_for_interrupt
from tests.cli.support import (
    one_error_line,
)
from tests.conftest import Run
from tests.entry_points import capture_stdout, interrupt_main_thread_when
from tests.samples import KEY

# -- fake-server command ---------------------------------------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_fake_server_json_announces_then_serves_until_ctrl_c(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stdout = capture_stdout(monkeypatch)
    answers: list[Any] = []

    def query() -> None:
        announced = json.loads(stdout.text.splitlines()[0])
        request = urllib.request.Request(
            announced["url"] + "/orders", headers={"X-Komfortkasse-API-Key": announced["apiKey"]}
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            answers.append((response.status, json.loads(response.read())))

    before = signal.getsignal(signal.SIGTERM)
    thread = interrupt_main_thread_when(
        # announced, and waiting (its SIGTERM handler is set right before the wait)
        lambda: "\n" in stdout.text and signal.getsignal(signal.SIGTERM) is not before,
        query,
    )
    code = main(["--json", "fake-server", "--port", "0", "--api-key", "announced-key-42"])
    thread.join(5)
    assert code == 0
    announced = json.loads(stdout.text)  # exactly one compact line
    assert announced["apiKey"] == "announced-key-42"
    assert announced["url"].startswith("http://127.0.0.1:")
    assert answers == [(200, [])]
    assert "fake Komfortkasse stopped" in capsys.readouterr().err
    assert signal.getsignal(signal.SIGTERM) is before


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_wait_for_interrupt_returns_on_sigterm_and_restores_the_handler() -> None:
    before = signal.getsignal(signal.SIGTERM)
    main_thread = threading.main_thread().ident
    assert main_thread is not None

    def terminate_once_waiting() -> None:
        for _ in range(2000):  # its handler is installed right before the wait
            if signal.getsignal(signal.SIGTERM) is not before:
                break
            threading.Event().wait(0.002)
        signal.pthread_kill(main_thread, signal.SIGTERM)

    helper = threading.Thread(target=terminate_once_waiting, daemon=True)
    helper.start()
    wait_for_interrupt()  # returns instead of the process being terminated
    helper.join(5)
    assert signal.getsignal(signal.SIGTERM) is before


def test_wait_for_interrupt_in_a_worker_thread_installs_no_signal_handler(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """signal.signal only works in the main thread; elsewhere the wait must not
    try it (which would raise ValueError)."""
    events: list[threading.Event] = []

    class Threading:
        current_thread = staticmethod(threading.current_thread)
        main_thread = staticmethod(threading.main_thread)

        @staticmethod
        def Event() -> threading.Event:
            event = threading.Event()
            events.append(event)
            return event

    monkeypatch.setattr(_commands, "threading", Threading)
    before = signal.getsignal(signal.SIGTERM)
    failures: list[BaseException] = []

    def worker() -> None:
        try:
            wait_for_interrupt()
        except BaseException as exc:  # pragma: no cover - reported below
            failures.append(exc)

    thread = threading.Thread(target=worker)
    thread.start()
    for _ in range(1000):
        if events:
            break
        threading.Event().wait(0.002)
    assert thread.is_alive()
    events[0].set()
    thread.join(5)
    assert not thread.is_alive()
    assert failures == []
    assert signal.getsignal(signal.SIGTERM) is before


def test_fake_server_without_the_testing_extra_is_a_usage_error(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    from komfortkasse import testing

    monkeypatch.delattr(testing, "FakeKomfortkasse", raising=False)
    for name in [m for m in sys.modules if m.startswith("komfortkasse.testing._")]:
        if name != "komfortkasse.testing._protocol":
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "jsonschema", None)  # the extra is not installed
    result = run("fake-server")
    one_error_line(
        result, 2, "the fake server needs the testing extra", "komfortkasse[testing]", "jsonschema"
    )


# -- how main ends ---------------------------------------------------------------------------


def test_fake_server_command_serves_until_interrupted(
    run: Run, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from komfortkasse.cli import _commands

    answers: list[Any] = []

    def use_then_interrupt() -> None:
        # The fake is up while the command waits: query it, then "press Ctrl-C".
        url = capsys.readouterr().out.splitlines()[0].removeprefix("URL: ")
        monkeypatch.setenv("KOMFORTKASSE_API_KEY", "its-own-key-123")
        answers.append(main(["--base-url", url, "--json", "orders", "list"]))
        answers.append(json.loads(capsys.readouterr().out))
        raise KeyboardInterrupt

    monkeypatch.setattr(_commands, "wait_for_interrupt", use_then_interrupt)
    result = run("fake-server", "--api-key", "its-own-key-123")
    assert result.code == 0
    assert answers == [0, []]
    assert "fake Komfortkasse stopped" in result.err


def test_fake_server_command_runs_until_interrupted(tmp_path: Path) -> None:
    env = {**os.environ, "KOMFORTKASSE_API_KEY": KEY}
    command = [sys.executable, "-m", "komfortkasse.cli", "--json", "fake-server"]
    command += ["--api-key", "printed-fake-key-1"]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    ) as process:
        assert process.stdout is not None
        line = process.stdout.readline()
        announced = json.loads(line)
        assert announced["apiKey"] == "printed-fake-key-1"
        assert announced["url"].startswith("http://127.0.0.1:")
        client_env = {**env, "KOMFORTKASSE_API_KEY": "printed-fake-key-1"}
        listed = subprocess.run(
            [sys.executable, "-m", "komfortkasse.cli", "--base-url", announced["url"], "--json",
             "orders", "list"],
            capture_output=True, text=True, env=client_env, check=False, timeout=60,
        )  # fmt: skip
        assert listed.returncode == 0, listed.stderr
        assert json.loads(listed.stdout) == []
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
    assert process.returncode == 0
    assert "fake Komfortkasse stopped" in err
    assert KEY not in line + err
