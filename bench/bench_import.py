"""Benchmark 5: the cost of ``import komfortkasse`` compared with ``import httpx``.

Each round starts a fresh interpreter (the venv's, the one running this file)
for each side, alternating, and times the whole process: interpreter start-up
is in both, which is what a command-line user waits for. When the target is
missed, one ``-X importtime`` run names the biggest contributors.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from bench._harness import Row, Target, interleaved, ratio

ROOT = Path(__file__).resolve().parent.parent
TARGET = Target("<=", 1.5)


def _python(code: str, *options: str) -> subprocess.CompletedProcess[str]:
    # Run outside the repository so the current directory adds nothing to sys.path.
    return subprocess.run(  # noqa: S603 -- this interpreter, fixed arguments
        [sys.executable, *options, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=os.path.dirname(sys.executable),
    )


#: httpx imports its command line (click, rich, pygments) whenever those are
#: installed, as they are in this venv (the [cli] and dev extras). Marking
#: them absent shows what an application without them pays.
WITHOUT_CLI = "import sys; sys.modules.update(click=None, rich=None, pygments=None); "


def _wall(module: str, prefix: str = "") -> float:
    start = time.perf_counter()
    _python(f"{prefix}import {module}")
    return time.perf_counter() - start


def _importtime(module: str) -> list[tuple[int, str, list[str]]]:
    """``(self us, name, ancestors)`` for each module ``import module`` loads."""
    lines = _python(f"import {module}", "-X", "importtime").stderr.splitlines()
    entries: list[tuple[int, str, list[str]]] = []
    # Children are printed before their parent, indented two spaces per level:
    # read backwards to know each entry's ancestors.
    ancestors: list[str] = []
    for line in reversed(lines):
        fields = line.removeprefix("import time:").split("|")
        if len(fields) != 3 or not fields[0].strip().isdigit():
            continue  # the header line, or anything else on stderr
        raw = fields[2].rstrip()
        name = raw.strip()
        depth = (len(raw) - len(raw.lstrip()) - 1) // 2
        del ancestors[depth:]
        entries.append((int(fields[0]), name, list(ancestors)))
        ancestors.append(name)
    return entries


def import_profile(
    module: str, baseline: str = "httpx", runs: int = 3
) -> tuple[dict[str, int], dict[str, int]]:
    """Self time (us) of the modules ``import module`` loads that ``import
    baseline`` does not load: summed per top-level package, and per module.
    These are what komfortkasse adds on top of httpx. Each module's figure is
    its fastest of ``runs`` runs, as a single run is noisy on a busy machine."""
    shared = {name for _, name, _ in _importtime(baseline)}
    per_module: dict[str, int] = {}
    for _ in range(runs):
        for own, name, ancestors in _importtime(module):
            if name in shared or (ancestors[:1] != [module] and name != module):
                continue
            per_module[name] = min(own, per_module.get(name, own))
    per_package: dict[str, int] = {}
    for name, own in per_module.items():
        top = name.split(".")[0]
        per_package[top] = per_package.get(top, 0) + own
    return per_package, per_module


def _top(figures: dict[str, int], count: int) -> str:
    ranked = sorted(figures.items(), key=lambda item: -item[1])[:count]
    return ", ".join(f"{name} {us / 1e3:.1f}" for name, us in ranked)


def run(rounds: int) -> list[Row]:
    """Wall time of a process that imports komfortkasse vs httpx; and, as a
    diagnostic, the same without httpx's optional command-line dependencies."""
    _wall("komfortkasse")  # warm the OS file cache and the bytecode caches
    _wall("httpx")
    ours, theirs = interleaved(lambda: _wall("komfortkasse"), lambda: _wall("httpx"), rounds)
    ours, theirs = ours.scaled(1e3), theirs.scaled(1e3)
    bare = min(_wall("sys") for _ in range(3)) * 1e3
    figure = ratio(ours, theirs)
    notes = [
        f"a bare interpreter (python -c 'import sys') takes {bare:.0f} ms of each figure; "
        f"import alone: komfortkasse {ours.median - bare:.0f} ms vs httpx "
        f"{theirs.median - bare:.0f} ms",
    ]
    if not TARGET.met(figure):
        packages, modules = import_profile("komfortkasse")
        notes.append(
            "-X importtime (best of 3), self ms of modules that import httpx does not load, "
            "by package: "
            f"{_top(packages, 6)}; slowest modules: {_top(modules, 6)}"
        )
    lean_ours, lean_theirs = interleaved(
        lambda: _wall("komfortkasse", WITHOUT_CLI),
        lambda: _wall("httpx", WITHOUT_CLI),
        max(2, rounds // 3),
    )
    lean_ours, lean_theirs = lean_ours.scaled(1e3), lean_theirs.scaled(1e3)
    return [
        Row(
            name="5a. python -c 'import komfortkasse' vs 'import httpx'",
            unit="ms",
            ours=ours,
            baseline=theirs,
            figure=figure,
            target=TARGET,
            notes=tuple(notes),
        ),
        Row(
            name="5b. the same without click/rich/pygments (httpx's CLI deps)",
            unit="ms",
            ours=lean_ours,
            baseline=lean_theirs,
            figure=ratio(lean_ours, lean_theirs),
            target=None,
            notes=(
                "this venv has them (komfortkasse[cli], dev extras), and then httpx imports its "
                f"CLI: {theirs.median - lean_theirs.median:.0f} ms of row 5a's baseline; an "
                "application without them sees this ratio",
            ),
        ),
    ]


if __name__ == "__main__":
    by_package, by_module = import_profile(sys.argv[1] if len(sys.argv) > 1 else "komfortkasse")
    print("by package:", _top(by_package, 15))
    print("by module: ", _top(by_module, 25))
