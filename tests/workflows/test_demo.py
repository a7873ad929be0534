"""`make demo`: the process flow on the embedded fake, and the guard around --live."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from komfortkasse import demo


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
