"""`make demo`: the process flow on the embedded fake, and the guard around --live."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from komfortkasse import (
    OrderWriteWithNumber,
    demo,
)
from komfortkasse.testing import FakeKomfortkasse
from tests.entry_points import run_as_script
from tests.samples import RECENT


def test_demo_runs_the_process_flow(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert demo.main(["--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "embedded fake Komfortkasse" in out
    summary = out.split("Summary", 1)[1]
    statuses = re.findall(r"\b(PAID_PARTIAL|PAID|UNPAID|CANCELLED)\b", summary)
    assert statuses == ["PAID", "PAID_PARTIAL", "UNPAID", "CANCELLED", "PAID"]
    assert "refund KKBT" in out
    pngs = sorted(tmp_path.glob("*-qrcode.png"))
    assert len(pngs) == 5
    assert all(p.read_bytes().startswith(b"\x89PNG\r\n\x1a\n") for p in pngs)


def test_live_needs_confirmation_and_a_key(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("KOMFORTKASSE_API_KEY", raising=False)
    assert demo.main(["--live"]) == 2
    assert "creates REAL orders" in capsys.readouterr().err
    assert demo.main(["--live", "--i-know-this-creates-real-orders"]) == 2
    assert "KOMFORTKASSE_API_KEY" in capsys.readouterr().err


def test_table_aligns_columns() -> None:
    text = demo.table([["a", "bbb"], ["cc", "d"]], ["h1", "h2"])
    assert text.splitlines() == ["h1  h2 ", "--  ---", "a   bbb", "cc  d  "]


LIVE = ["--live", "--i-know-this-creates-real-orders"]


def run_live(monkeypatch: pytest.MonkeyPatch, fake: FakeKomfortkasse, key: str, out: Path) -> int:
    """``demo --live`` with ``key``, pointed at ``fake`` as if it were the real API."""
    monkeypatch.setenv("KOMFORTKASSE_API_KEY", key)
    monkeypatch.setenv("KOMFORTKASSE_BASE_URL", fake.url)
    return demo.main([*LIVE, "--out", str(out)])


def test_demo_live_runs_against_the_configured_api_without_simulating_payments(
    monkeypatch: pytest.MonkeyPatch,
    fake: FakeKomfortkasse,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = run_live(monkeypatch, fake, fake.api_key, tmp_path)
    out = capsys.readouterr().out
    assert code == 0
    assert f"Running against {fake.url}" in out
    assert "live API: no payment simulation" in out
    statuses = {order.number: order.payment_status for order in fake.orders()}
    assert len(statuses) == 5
    assert sorted(statuses.values()) == ["CANCELLED", "UNPAID", "UNPAID", "UNPAID", "UNPAID"]
    assert len(list(tmp_path.glob("*-qrcode.png"))) == 5


def test_demo_live_with_a_refused_key_exits_1(
    monkeypatch: pytest.MonkeyPatch,
    fake: FakeKomfortkasse,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = run_live(monkeypatch, fake, "not-the-key-2", tmp_path)
    assert fake.orders() == []
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("error: ")
    assert "not-the-key-2" not in err


def test_python_dash_m_demo_exits_with_mains_code(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", ["python -m komfortkasse.demo", "--live"])
    with pytest.raises(SystemExit) as exited:
        run_as_script("komfortkasse", demo.__file__)
    assert exited.value.code == 2
    assert "creates REAL orders" in capsys.readouterr().err


def test_demo_orders_are_valid_submissions() -> None:
    orders = demo.demo_orders("T-", RECENT)
    assert all(isinstance(order, OrderWriteWithNumber) for order in orders)
    assert [order.number[:2] for order in orders] == ["T-"] * len(orders)
