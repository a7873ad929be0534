"""Write the ``TYPE_CHECKING`` imports and ``__all__`` of ``komfortkasse/__init__.py``
from the one table of public names, ``komfortkasse._exports.EXPORTS``.

``python tools/exports.py`` rewrites the block between the markers;
``--check`` fails (exit 1) when the file differs from what it would write.
The block is passed through ruff (check --fix, format) with the project's settings,
so what is written is what ``make lint`` accepts.
"""

from __future__ import annotations

import argparse
import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INIT = ROOT / "overrides" / "komfortkasse" / "__init__.py"
#: The path ruff reads its settings for (also when INIT is elsewhere, as in a test).
SETTINGS_FOR = INIT
TABLE = ROOT / "overrides" / "komfortkasse" / "_exports.py"
BEGIN = "# --- written by tools/exports.py from _exports.EXPORTS (`make exports`) ---\n"
END = "# --- end of the written block ---\n"
RUFF = Path(sys.executable).parent / "ruff"


def read_table() -> dict[str, tuple[str, ...]]:
    """``EXPORTS`` read from the source (no import: the tool runs before install too)."""
    tree = ast.parse(TABLE.read_text("utf-8"))
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", "") == "EXPORTS":
            table: dict[str, tuple[str, ...]] = ast.literal_eval(node.value)  # type: ignore[arg-type]
            return table
    raise SystemExit(f"exports: no EXPORTS table in {TABLE}")


def block(table: dict[str, tuple[str, ...]]) -> str:
    lines = [BEGIN, "if TYPE_CHECKING:\n"]
    for module, names in table.items():
        ours = module.startswith("komfortkasse.")
        source = module.removeprefix("komfortkasse") if ours else module
        lines.append(f"    from {source} import (\n")
        lines += [f"        {name},\n" for name in names]
        lines.append("    )\n")
    everything = [name for names in table.values() for name in names]
    lines.append("\n__all__ = [\n")
    lines += [f'    "{name}",\n' for name in everything]
    lines.append("]\n")
    lines.append(END)
    return "".join(lines)


def _ruff(args: list[str], text: str) -> str:
    done = subprocess.run(  # noqa: S603 (our own ruff, our own file)
        [str(RUFF), *args, "--stdin-filename", str(SETTINGS_FOR), "-"],
        input=text,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    if done.returncode not in (0, 1):
        raise SystemExit(f"exports: ruff failed: {done.stderr}")
    return done.stdout


def rendered() -> str:
    text = INIT.read_text("utf-8")
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        raise SystemExit(f"exports: {INIT} lacks the markers {BEGIN.strip()!r} ... {END.strip()!r}")
    text = text[:start] + block(read_table()) + text[end + len(END) :]
    text = _ruff(["check", "--fix", "--quiet", "--exit-zero"], text)
    return _ruff(["format", "--quiet"], text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail when __init__.py is stale")
    args = parser.parse_args(argv)
    want = rendered()
    if args.check:
        if INIT.read_text("utf-8") != want:
            print(
                f"exports: {INIT} is not what _exports.EXPORTS gives: run `make exports`",
                file=sys.stderr,
            )
            return 1
        return 0
    INIT.write_text(want, "utf-8")
    print(f"wrote {INIT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
