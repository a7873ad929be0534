"""Benchmark 5: what a fresh interpreter pays before and at the first call.

5a times ``python -c "from komfortkasse import Komfortkasse"`` (the import a
user writes; ``import komfortkasse`` alone loads nothing, its exports are lazy)
against ``python -c "import httpx"``; 5b does the same with httpx's optional
command-line dependencies marked absent. Each round starts a fresh interpreter
(the venv's, the one running this file) for each side, alternating, and times
the whole process: interpreter start-up is in both, which is what a
command-line user waits for. Start-up noise only ever adds time, so the ratio
is that of the best runs (the medians are shown too). When the target is
missed, ``-X importtime`` runs name the biggest contributors.

5c is the first call: in a fresh interpreter, after the import, construct the
client on an ``httpx.MockTransport`` and make the first ``orders.get`` (which
loads the models), timed inside the child; the baseline does the same with a
raw ``httpx.Client`` and ``json.loads``. In every child trio is marked absent
(httpcore imports it when installed, +90 ms; it is here for the tests only).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from bench._harness import Row, Sample, Target, interleaved, ratio, ratio_of_best
from bench._mock import API_KEY, BASE_URL, request_headers
from bench._orders import order_read_body

ROOT = Path(__file__).resolve().parent.parent
#: Issue 13: ``from komfortkasse import Komfortkasse`` <= 1.2x ``import httpx``.
TARGET = Target("<=", 1.2)
OURS = "from komfortkasse import Komfortkasse"
HTTPX = "import httpx"


#: The children may write bytecode caches (an installed package has them): with
#: ``PYTHONDONTWRITEBYTECODE`` inherited, every run would compile every changed module.
_ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


#: httpcore imports trio whenever it is installed, as it is in this venv (the dev
#: extra tests the async client on it); an application on asyncio rarely has it.
#: Every child marks it absent, on both sides.
WITHOUT_TRIO = "import sys; sys.modules['trio'] = None; "


def _python(code: str, *options: str) -> subprocess.CompletedProcess[str]:
    # Run outside the repository so the current directory adds nothing to sys.path.
    return subprocess.run(  # noqa: S603 -- this interpreter, fixed arguments
        [sys.executable, *options, "-c", WITHOUT_TRIO + code],
        capture_output=True,
        text=True,
        check=True,
        cwd=os.path.dirname(sys.executable),
        env=_ENV,
    )


#: httpx imports its command line (click, rich, pygments) whenever those are
#: installed, as they are in this venv (the [cli] and dev extras). Marking
#: them absent shows what an application without them pays.
WITHOUT_CLI = "import sys; sys.modules.update(click=None, rich=None, pygments=None); "


def _wall(statement: str, prefix: str = "") -> float:
    start = time.perf_counter()
    _python(f"{prefix}{statement}")
    return time.perf_counter() - start


def _importtime(statement: str) -> list[tuple[int, str, list[str]]]:
    """``(self us, name, ancestors)`` for each module ``statement`` loads."""
    lines = _python(statement, "-X", "importtime").stderr.splitlines()
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
    statement: str = OURS, baseline: str = HTTPX, runs: int = 3
) -> tuple[dict[str, int], dict[str, int]]:
    """Self time (us) of the modules ``statement`` loads that ``baseline`` does
    not load: summed per top-level package, and per module. These are what
    komfortkasse adds on top of httpx. Each module's figure is its fastest of
    ``runs`` runs, as a single run is noisy on a busy machine."""
    shared = {name for _, name, _ in _importtime(baseline)}
    per_module: dict[str, int] = {}
    for _ in range(runs):
        for own, name, _ancestors in _importtime(statement):
            if name not in shared:
                per_module[name] = min(own, per_module.get(name, own))
    per_package: dict[str, int] = {}
    for name, own in per_module.items():
        top = name.split(".")[0]
        per_package[top] = per_package.get(top, 0) + own
    return per_package, per_module


def _top(figures: dict[str, int], count: int) -> str:
    ranked = sorted(figures.items(), key=lambda item: -item[1])[:count]
    return ", ".join(f"{name} {us / 1e3:.1f}" for name, us in ranked)


def _both(ours: Sample, theirs: Sample) -> str:
    return f"ratio of the best runs; of the medians {ratio(ours, theirs):.2f}x"


def run(rounds: int) -> list[Row]:
    """5a and 5b: wall time of a process that runs ``from komfortkasse import
    Komfortkasse`` vs ``import httpx``, with and without httpx's CLI deps."""
    _wall(OURS)  # warm the OS file cache and the bytecode caches
    _wall(HTTPX)
    ours, theirs = interleaved(lambda: _wall(OURS), lambda: _wall(HTTPX), rounds)
    ours, theirs = ours.scaled(1e3), theirs.scaled(1e3)
    bare = min(_wall("import sys") for _ in range(min(3, rounds))) * 1e3
    figure = ratio_of_best(ours, theirs)
    notes = [
        _both(ours, theirs),
        f"a bare interpreter (python -c 'import sys') takes {bare:.0f} ms of each figure; "
        f"import alone (best): komfortkasse {ours.low - bare:.0f} ms vs httpx "
        f"{theirs.low - bare:.0f} ms",
    ]
    if not TARGET.met(figure):
        packages, modules = import_profile(runs=min(3, rounds))
        notes.append(
            f"-X importtime (best of {min(3, rounds)}), self ms of modules that import httpx "
            "does not load, by package: "
            f"{_top(packages, 6)}; slowest modules: {_top(modules, 6)}"
        )
    lean_ours, lean_theirs = interleaved(
        lambda: _wall(OURS, WITHOUT_CLI),
        lambda: _wall(HTTPX, WITHOUT_CLI),
        max(1, rounds // 2),
    )
    lean_ours, lean_theirs = lean_ours.scaled(1e3), lean_theirs.scaled(1e3)
    return [
        Row(
            name=f"5a. python -c '{OURS}' vs '{HTTPX}'",
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
            figure=ratio_of_best(lean_ours, lean_theirs),
            target=None,
            notes=(
                _both(lean_ours, lean_theirs),
                "this venv has them (komfortkasse[cli], dev extras), and then httpx imports its "
                f"CLI: {theirs.low - lean_theirs.low:.0f} ms of row 5a's baseline (best runs); "
                "an application without them sees this ratio",
            ),
        ),
    ]


#: The child of row 5c: ``{IMPORT}`` then ``{CALL}``, timed inside; prints
#: ``[import seconds, first-call seconds]``.
_FIRST_CALL = """\
import time
_start = time.perf_counter()
{imports}
_imported = time.perf_counter()
import json
def handle(request):
    return httpx.Response(200, content={body!r}, headers={{"Content-Type": "application/json"}})
{call}
_called = time.perf_counter()
print(json.dumps([_imported - _start, _called - _imported]))
"""
_OURS_CALL = f"""\
client = Komfortkasse(api_key={API_KEY!r}, base_url={BASE_URL!r},
                      http_client=httpx.Client(transport=httpx.MockTransport(handle)))
client.orders.get("1001")
"""
_RAW_CALL = f"""\
http = httpx.Client(transport=httpx.MockTransport(handle))
json.loads(http.get({BASE_URL + "/order/1001"!r}, headers={request_headers()!r}).content)
"""


def _first_call(imports: str, call: str) -> tuple[float, float]:
    code = _FIRST_CALL.format(imports=imports, body=order_read_body(1), call=call)
    figures = json.loads(_python(code).stdout)
    return float(figures[0]), float(figures[1])


def first_call(rounds: int) -> list[Row]:
    """5c: construct + first ``orders.get`` on a MockTransport in a fresh
    interpreter vs the same with raw httpx (milliseconds, after the import)."""
    runs: dict[str, list[tuple[float, float]]] = {"ours": [], "raw": []}

    def ours() -> float:
        runs["ours"].append(_first_call(f"import httpx\n{OURS}", _OURS_CALL))
        return runs["ours"][-1][1]

    def raw() -> float:
        runs["raw"].append(_first_call(HTTPX, _RAW_CALL))
        return runs["raw"][-1][1]

    mine, theirs = interleaved(ours, raw, rounds)
    mine, theirs = mine.scaled(1e3), theirs.scaled(1e3)
    total_ours = min(a + b for a, b in runs["ours"]) * 1e3
    total_raw = min(a + b for a, b in runs["raw"]) * 1e3
    return [
        Row(
            name="5c. first call in a fresh interpreter: construct + orders.get vs raw httpx",
            unit="ms",
            ours=mine,
            baseline=theirs,
            figure=ratio_of_best(mine, theirs),
            target=None,
            notes=(
                _both(mine, theirs),
                "timed inside the child after its imports, on a MockTransport; the first "
                "orders.get pays for what the lazy exports left for it. With the import (best): "
                f"ours {total_ours:.0f} ms vs raw httpx {total_raw:.0f} ms",
            ),
        )
    ]


if __name__ == "__main__":
    by_package, by_module = import_profile(sys.argv[1] if len(sys.argv) > 1 else OURS)
    print("by package:", _top(by_package, 15))
    print("by module: ", _top(by_module, 25))
