"""``make bench`` still runs: every benchmark on tiny sizes, rows produced and formatted.

No timing assertions (the figures of so small a run mean nothing); this only
catches bench code that no longer fits the library, so it fails in ``make
test`` instead of in the next full benchmark run.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from tests.repo import ROOT

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # the ``bench`` package lives at the repository root

from bench import run
from bench._harness import Row, Sample, Target, format_table

#: Every row the issues ask for, by the start of its name.
EXPECTED = (
    "1a. per-call get, loopback, sync",
    "1b. per-call get, loopback, async",
    "1c. per-call get, in-process (MockTransport), sync",
    "1d. per-call get, in-process (MockTransport), async",
    "1e. raw async httpx per call",
    "2a. decode GET /orders",
    "2b. decode GET /orders",
    "2c. decode GET /orders",  # the dev venv has the speedups extra
    "3a. bulk sync,",
    "3a. bulk sync: client CPU/order",
    *(f"3a. bulk async c={c}: wall, speed-up over sync" for c in (1, 2, 4, 8, 16)),
    *(f"3a. bulk async c={c}: client CPU/order vs raw httpx c={c}" for c in (1, 2, 4, 8, 16)),
    *(f"3a. raw httpx floor c={c}: wall" for c in (1, 2, 4, 8, 16)),
    "3f. bulk acknowledge_only, sync: client CPU/order",
    *(f"3f. bulk acknowledge_only, async c={c}: wall" for c in (8, 16)),
    "3b. bulk peak memory",
    "3c. bulk working memory",
    "3d. bulk input streaming",
    "3e. bulk peak memory with submit_iter",
    "4. connections, 5 sequential gets, sync",
    "4. connections, 5 sequential gets, async",
    "5a. python -c 'from komfortkasse import Komfortkasse' vs 'import httpx'",
    "5b. the same without click/rich/pygments",
    "5c. first call in a fresh interpreter",
    "6. retry, lock held for 2 writes, sync: time vs backoff",
    "6. retry, lock held for 2 writes, async: time vs backoff",
    "6. retry, lock held for 2 writes, sync, in-process",
    "6. retry, lock held for 2 writes, async, in-process",
)


@pytest.fixture(scope="module")
def rows() -> list[Row]:
    collected: list[Row] = []
    for _, step in run.steps(run.SMOKE, trace=True):
        collected.extend(step())
    return collected


def test_every_expected_row_is_produced_once(rows: list[Row]) -> None:
    names = [row.name for row in rows]
    assert len(names) == len(set(names)), "row names must be unique (notes are keyed by them)"
    for start in EXPECTED:
        assert sum(name.startswith(start) for name in names) == 1, start
    assert len(rows) == len(EXPECTED)


def test_targets_are_the_issues(rows: list[Row]) -> None:
    by_name = {row.name: row for row in rows}

    def target(start: str) -> Target | None:
        return next(row.target for name, row in by_name.items() if name.startswith(start))

    assert target("1a.") == target("1b.") == Target("<=", 1.10)
    assert target("1c.") == target("1d.") == Target("<=", 1.15)
    assert target("2a.") == Target("<=", 0.8)
    assert target("3a. bulk async c=8: wall") == Target(">=", 6.0)
    assert target("3a. bulk async c=16: wall") == Target(">=", 10.0)
    assert target("3a. bulk async c=4: wall") is None
    assert target("3a. bulk sync: client CPU") == Target("<=", 30, " us")
    for c in (1, 2, 4, 8, 16):
        assert target(f"3a. bulk async c={c}: client CPU") == Target("<=", 30, " us")
    assert target("5a.") == Target("<=", 1.2)


def test_the_stock_reference_was_built_and_compared(rows: list[Row]) -> None:
    row = next(row for row in rows if row.name.startswith("2a."))
    assert row.baseline is not None, row.notes
    assert any("'format: date' removed" in note for note in row.notes)


def test_figures_are_real_and_no_diagnostic_broke(rows: list[Row]) -> None:
    for row in rows:
        assert row.ours.values, row.name
        assert all(value >= 0 for value in row.ours.values), row.name
        assert row.figure == row.figure, f"{row.name}: figure is NaN"
        for note in row.notes:
            assert "unavailable" not in note
            assert "build failed" not in note


def test_table_shows_each_row_with_spread_target_and_verdict(rows: list[Row]) -> None:
    table = format_table(rows)
    lines = table.splitlines()
    assert lines[0].startswith("benchmark")
    assert "median (min-max, n runs)" in lines[0]
    for row in rows:
        line = next(line for line in lines if line.startswith(row.name + " "))
        verdict = line.split()[-1]
        assert verdict == {True: "yes", False: "NO", None: "-"}[row.met]
        if row.ours.count > 1:
            assert f"n={row.ours.count})" in line
    assert re.search(r"^- 2a\. .*stock templates", table, flags=re.MULTILINE)


def test_spread_and_verdict_formatting() -> None:
    sample = Sample((3.0, 1.0, 2.0))
    assert sample.show("ms") == "2 ms (1-3, n=3)"
    assert Sample((1.5,)).show("s") == "1.50 s"
    assert Target(">=", 6.0).met(6.0)
    assert not Target("<=", 30, " us").met(30.5)


def test_main_prints_header_table_and_tally(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The steps ran above: here main() gets one trivial step, for its header and tally.
    def one_step(plan: run.Plan, trace: bool) -> list[tuple[str, object]]:
        assert plan is run.SMOKE
        row = Row("x. dummy", "ms", Sample((1.0, 2.0)), None, 1.0, Target("<=", 2.0))
        return [("dummy", lambda: [row])]

    monkeypatch.setattr(run, "steps", one_step)
    assert run.main(["--smoke"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("machine: ")
    assert re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC", out[0])
    assert "CPU(s)" in out[0]
    assert out[1].startswith("code: ")
    assert any(line.startswith("x. dummy") and line.endswith("yes") for line in out)
    assert out[-1].startswith("1 of 1 targets met")


def test_strip_date_format_removes_only_date_formats() -> None:
    from bench._reference import strip_date_format

    schema = {
        "properties": {
            "date": {"type": "string", "format": "date"},
            "items": {"type": "array", "items": [{"format": "date"}, {"format": "email"}]},
        }
    }
    assert strip_date_format(schema) == 2
    assert schema["properties"]["date"] == {"type": "string"}
    assert schema["properties"]["items"]["items"] == [{}, {"format": "email"}]


def test_a_failed_reference_build_is_reported_not_fatal(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from bench import _reference, bench_decode

    monkeypatch.setattr(_reference, "SPEC", tmp_path / "missing.json")
    (row,) = bench_decode.stock(1, 10)
    assert row.baseline is None
    assert row.target is None
    assert any(note.startswith("reference build failed") for note in row.notes)
    assert "kk_stock_reference" not in sys.modules
