"""Normalise the vendored spec and generate ``komfortkasse_generated`` from it.

    python codegen/generate.py [--spec SPEC] [--out DIR]

writes ``DIR/komfortkasse_generated`` (default ``generated/``) with ``py.typed``
and a verbatim copy of the spec as ``openapi.json``, replacing the folder
whole, so a file the generator no longer writes cannot linger. Generation
fails on any generator warning. The pinned generator and ruff are taken from
the Python environment running this script.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PACKAGE = "komfortkasse_generated"
DEFAULT_SPEC = ROOT / "openapi" / "komfortkasse-v2.openapi.json"

sys.path.insert(0, str(HERE))
from error_table import error_rows  # noqa: E402
from error_table import render as render_errors  # noqa: E402
from normalize import date_report, dumps, normalize  # noqa: E402


def generate(spec: Path, out: Path) -> Path:
    """Generate the package from ``spec`` into ``out/PACKAGE``; return its path."""
    bin_dir = Path(sys.executable).parent
    env = dict(os.environ)
    # The post-hooks call `ruff`: make sure it is the pinned one next to us.
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    with tempfile.TemporaryDirectory(prefix="kk-generate-") as tmp:
        work = Path(tmp)
        original = json.loads(spec.read_text("utf-8"))
        derived = work / "spec.json"
        derived.write_text(dumps(normalize(original)), "utf-8")
        staged = work / PACKAGE
        command = [
            str(bin_dir / "openapi-python-client"),
            "generate",
            "--path", str(derived),
            "--config", str(ROOT / "generator-config.yaml"),
            "--custom-template-path", str(HERE / "templates"),
            "--meta", "none",
            "--output-path", str(staged),
            "--fail-on-warning",
        ]  # fmt: skip
        result = subprocess.run(
            command, check=False, cwd=work, env=env, capture_output=True, text=True
        )
        if staged.exists():
            _refuse_template_errors(staged)  # before ruff's complaint about the marker
        if result.returncode != 0 or "Warning" in result.stdout + result.stderr:
            sys.stderr.write(result.stdout + result.stderr)
            raise SystemExit(f"openapi-python-client failed (exit {result.returncode})")
        # The runtime the templates call: hand-written, stdlib only.
        for module in sorted((HERE / "runtime").glob("*.py")):
            shutil.copyfile(module, staged / module.name)
        _refuse_template_errors(staged)
        _drop_unused(staged)
        version = str(original.get("info", {}).get("version", ""))
        (staged / "error_table.py").write_text(
            render_errors(error_rows(original), version), "utf-8"
        )
        # What we added is formatted like the rest (the generator's hooks ran before).
        subprocess.run(
            [str(bin_dir / "ruff"), "format", "--isolated", "--no-cache", "--quiet", str(staged)],
            check=True,
            env=env,
        )
        (staged / "py.typed").write_text("", "utf-8")
        # Ship the verbatim spec the package was generated from: the fake
        # server validates against it, and it travels inside the wheel.
        shutil.copyfile(spec, staged / "openapi.json")
        target = out / PACKAGE
        if target.exists():
            shutil.rmtree(target)
        out.mkdir(parents=True, exist_ok=True)
        shutil.copytree(staged, target)
    return target


#: What our templates write where they meet a construct they do not handle.
TEMPLATE_ERROR = "KK_TEMPLATE_ERROR"


def _refuse_template_errors(package: Path) -> None:
    """Fail generation when a template met something it cannot render."""
    problems = []
    for path in sorted(package.rglob("*.py")):
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if TEMPLATE_ERROR in line:
                problems.append(f"{path.relative_to(package)}:{number}: {line.strip()}")
    if problems:
        sys.stderr.write("\n".join(problems) + "\n")
        raise SystemExit(f"the templates cannot render {len(problems)} construct(s) of this spec")


#: What our templates write for a file the generator always emits but nobody uses.
DROP = "KK_DROP"


def _drop_unused(package: Path) -> None:
    """Remove the files our templates mark as unused (the stock client and errors)."""
    for path in sorted(package.rglob("*.py")):
        if path.read_text("utf-8").strip() == DROP:
            path.unlink()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", type=Path, default=DEFAULT_SPEC)
    parser.add_argument("--out", type=Path, default=ROOT / "generated")
    args = parser.parse_args(argv)
    marked, near = date_report(json.loads(args.spec.read_text("utf-8")))
    print(f"dates ({len(marked)}): {', '.join(marked)}")
    print(f"not dates, near misses ({len(near)}): {'; '.join(near) or 'none'}")
    print(f"generated {generate(args.spec, args.out)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
