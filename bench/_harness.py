"""Rounds, medians, targets and the results table shared by every benchmark.

Each benchmark file only says *what* it times; this module decides *how*:
sides are run alternately within each round (ours, baseline, then baseline,
ours in the next round) so a slow drift of the machine hits both sides alike,
and every figure is reported as the median with its min-max spread.
"""

from __future__ import annotations

import cProfile
import datetime
import functools
import gc
import math
import os
import platform
import pstats
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: A side of a comparison: runs once and returns its figure (seconds, bytes, ...).
Side = Callable[[], float]


@dataclass(frozen=True)
class Sample:
    """The figures one side produced over all rounds, already in display units."""

    values: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def low(self) -> float:
        return min(self.values)

    @property
    def high(self) -> float:
        return max(self.values)

    @property
    def count(self) -> int:
        return len(self.values)

    def scaled(self, factor: float) -> Sample:
        """The same figures multiplied by ``factor`` (e.g. seconds -> microseconds)."""
        return Sample(tuple(value * factor for value in self.values))

    def show(self, unit: str) -> str:
        """``median unit (min-max, n=N)``: the spread over the N repeats (for times
        the min is the best run); a single figure is shown without a spread."""
        if len(self.values) == 1:
            return f"{_num(self.median)} {unit}"
        return f"{_num(self.median)} {unit} ({_num(self.low)}-{_num(self.high)}, n={self.count})"


def _num(value: float) -> str:
    if math.isinf(value) or math.isnan(value):
        return str(value)
    if value == int(value) and abs(value) < 1e6:
        return str(int(value))
    if abs(value) >= 100:
        return f"{value:.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


@dataclass(frozen=True)
class Target:
    """A bound on a row's figure: ``figure <op> value``, shown with ``unit``."""

    op: str
    value: float
    unit: str = "x"

    def met(self, figure: float) -> bool:
        if self.op == "<=":
            return figure <= self.value
        if self.op == ">=":
            return figure >= self.value
        if self.op == "==":
            return figure == self.value
        raise ValueError(f"unknown target operator {self.op!r}")

    def show(self) -> str:
        return f"{self.op} {_num(self.value)}{self.unit}"


@dataclass(frozen=True)
class Row:
    """One line of the results table.

    ``figure`` is what the target is checked against: usually the ratio of the
    medians (ours / baseline, or baseline / ours for a speed-up), sometimes a
    plain count; ``figure_unit`` says which ("x", " conn", ...).
    """

    name: str
    unit: str
    ours: Sample
    baseline: Sample | None
    figure: float
    #: ``None`` for a diagnostic row (a figure to read, no target to meet).
    target: Target | None
    baseline_unit: str | None = None
    notes: tuple[str, ...] = field(default=())
    #: How ``figure`` is shown when there is no target to take the unit from.
    figure_unit: str = "x"

    @property
    def met(self) -> bool | None:
        return None if self.target is None else self.target.met(self.figure)


def ratio(ours: Sample, baseline: Sample) -> float:
    """Ratio of the medians, ours / baseline (infinite when the baseline is 0)."""
    if baseline.median == 0:
        return float("inf")
    return ours.median / baseline.median


def ratio_of_best(ours: Sample, baseline: Sample) -> float:
    """Ratio of the smallest figures (the best runs), ours / baseline: for timings
    whose noise only ever adds, such as a fresh interpreter's start-up."""
    if baseline.low == 0:
        return float("inf")
    return ours.low / baseline.low


def speedup(faster: Sample, slower: Sample) -> float:
    """How many times faster, from the medians: slower / faster."""
    if faster.median == 0:
        return float("inf")
    return slower.median / faster.median


def timed(action: Callable[[], object], clock: Callable[[], float] = time.perf_counter) -> float:
    """Seconds one call of ``action`` takes by ``clock`` (wall time unless told,
    e.g. ``time.process_time`` for pure CPU work), after a full garbage
    collection (so one side does not pay for the other's garbage)."""
    gc.collect()
    start = clock()
    action()
    return clock() - start


def interleaved(ours: Side, baseline: Side, rounds: int) -> tuple[Sample, Sample]:
    """Run both sides ``rounds`` times, alternating which goes first."""
    mine: list[float] = []
    theirs: list[float] = []
    for index in range(rounds):
        if index % 2 == 0:
            mine.append(ours())
            theirs.append(baseline())
        else:
            theirs.append(baseline())
            mine.append(ours())
    return Sample(tuple(mine)), Sample(tuple(theirs))


@dataclass
class Tally:
    """Wall-clock and process CPU seconds one side accumulated within a round."""

    wall: float = 0.0
    cpu: float = 0.0

    def run(self, action: Callable[[], object]) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        action()
        self.wall += time.perf_counter() - wall
        self.cpu += time.process_time() - cpu


def alternate(
    ours: Callable[[int], object], baseline: Callable[[int], object], calls: int, blocks: int
) -> tuple[Tally, Tally]:
    """Run ``calls`` calls of each side as ``blocks`` alternating blocks (ours,
    baseline, baseline, ours, ...), so a burst of load from elsewhere on a shared
    machine hits both sides alike; ``side(n)`` makes ``n`` calls."""
    size = max(1, calls // blocks)
    mine, theirs = Tally(), Tally()
    gc.collect()
    for block in range(blocks):
        pair = ((mine, ours), (theirs, baseline))
        for tally, side in pair if block % 2 == 0 else reversed(pair):
            tally.run(functools.partial(side, size))
    return mine, theirs


async def alternate_async(
    ours: Callable[[int], Awaitable[object]],
    baseline: Callable[[int], Awaitable[object]],
    calls: int,
    blocks: int,
) -> tuple[Tally, Tally]:
    """The coroutine twin of :func:`alternate` (both sides on one event loop)."""
    size = max(1, calls // blocks)
    mine, theirs = Tally(), Tally()
    gc.collect()
    for block in range(blocks):
        pair = ((mine, ours), (theirs, baseline))
        for tally, side in pair if block % 2 == 0 else reversed(pair):
            wall, cpu = time.perf_counter(), time.process_time()
            await side(size)
            tally.wall += time.perf_counter() - wall
            tally.cpu += time.process_time() - cpu
    return mine, theirs


def self_time_by_file(action: Callable[[], object], top: int = 5) -> str:
    """Profile one call of ``action`` and name the files its own time is spent in,
    as ``file share%`` (cProfile inflates times, the shares are what matter)."""
    profiler = cProfile.Profile()
    profiler.runcall(action)
    per_file: dict[str, float] = {}
    raw: dict[tuple[str, int, str], tuple[Any, ...]] = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    for (filename, _, function), figures in raw.items():
        name = function if filename == "~" else "/".join(Path(filename).parts[-2:])
        per_file[name] = per_file.get(name, 0.0) + float(figures[2])
    total = sum(per_file.values()) or 1.0
    ranked = sorted(per_file.items(), key=lambda item: -item[1])[:top]
    return ", ".join(f"{name} {seconds / total:.0%}" for name, seconds in ranked)


def code_line(root: Path) -> str:
    """Which code was measured: the commit, and the files changed but not committed
    (outside ``bench/``), since uncommitted work changes the figures too."""
    try:
        head = subprocess.run(  # noqa: S603 -- fixed arguments
            ["git", "-C", str(root), "rev-parse", "--short", "HEAD"],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        status = subprocess.run(  # noqa: S603 -- fixed arguments
            ["git", "-C", str(root), "status", "--porcelain"],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()
    except (OSError, subprocess.CalledProcessError):
        return "code: (not a git checkout)"
    changed = [line[3:] for line in status if not line[3:].startswith("bench/")]
    if not changed:
        return f"code: {head}, clean"
    return f"code: {head} + uncommitted changes in {', '.join(changed)}"


def _cpu_model() -> str:
    """The CPU's model name where the OS tells it (Linux), else the architecture."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.partition(":")[2].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine_line() -> str:
    """Where and when the figures come from: date, platform, CPU, interpreter."""
    cpus = os.cpu_count()
    load = ""
    if hasattr(os, "getloadavg"):
        # Other work on the machine shows up as spread; say how busy it was.
        load = " | load avg {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"machine: {now} | {platform.platform()} | {_cpu_model()} | {cpus} CPU(s) | "
        f"Python {platform.python_version()} ({sys.implementation.name}) | "
        f"{sys.executable}{load}"
    )


HEADERS = (
    "benchmark",
    "ours: median (min-max, n runs)",
    "baseline: median (min-max, n runs)",
    "figure",
    "target",
)


def format_table(rows: Sequence[Row]) -> str:
    """The results as a plain-text table, followed by each row's notes."""
    lines: list[list[str]] = []
    for row in rows:
        baseline = (
            "-"
            if row.baseline is None
            else row.baseline.show(row.baseline_unit if row.baseline_unit else row.unit)
        )
        lines.append(
            [
                row.name,
                row.ours.show(row.unit),
                baseline,
                f"{_num(row.figure)}{row.figure_unit if row.target is None else row.target.unit}",
                "-" if row.target is None else row.target.show(),
                {True: "yes", False: "NO", None: "-"}[row.met],
            ]
        )
    header = [*HEADERS, "met?"]
    widths = [max(len(cell) for cell in column) for column in zip(header, *lines, strict=True)]

    def render(cells: Sequence[str]) -> str:
        return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True))

    out = [render(header), render(["-" * width for width in widths])]
    out.extend(render(line) for line in lines)
    notes = [(row.name, note) for row in rows for note in row.notes]
    if notes:
        out.append("")
        out.extend(f"- {name}: {note}" for name, note in notes)
    return "\n".join(line.rstrip() for line in out)
