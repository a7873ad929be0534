"""A reference generation with the generator's STOCK templates, built at run time.

Row 2a compares decoding through the public client with what a user gets by
running the pinned openapi-python-client on the same spec without our
templates. It is built the way ``codegen/generate.py`` builds the real package
(the normalised spec, ``--meta none``), with three differences:

* no ``--custom-template-path``: the generator's own templates;
* ``format: date`` is removed from the normalised spec: the stock date
  template parses ISO dates only and refuses the API's ``dd-MM-yyyy``, so
  dates stay ``str`` in the reference (it does less work than ours there);
* a temporary config names the package ``kk_stock_reference`` (so it cannot
  clash with ``komfortkasse_generated``) and runs no post-hooks (formatting
  does not change what the code does).

Everything lives in a temporary folder that is deleted afterwards: the
reference is never shipped, and nothing is written into the repository.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.metadata
import json
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "openapi" / "komfortkasse-v2.openapi.json"
NORMALIZE = ROOT / "codegen" / "normalize.py"
PACKAGE = "kk_stock_reference"
GENERATOR = "openapi-python-client"


class ReferenceBuildError(RuntimeError):
    """The stock generation failed; the message carries the generator's output."""


@dataclass(frozen=True)
class Reference:
    """The imported reference build: its ``OrderRead`` and how it was made."""

    order_read: Any
    generator_version: str
    dates_unformatted: int


def strip_date_format(schema: object) -> int:
    """Remove every ``format: date`` in ``schema`` (in place); return how many."""
    removed = 0
    if isinstance(schema, dict):
        if schema.get("format") == "date":
            del schema["format"]
            removed += 1
        for value in schema.values():
            removed += strip_date_format(value)
    elif isinstance(schema, list):
        for value in schema:
            removed += strip_date_format(value)
    return removed


def _run(command: list[str], cwd: Path) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=cwd)  # noqa: S603 -- this venv's tools, fixed arguments
    if done.returncode != 0:
        tail = (done.stdout + done.stderr).strip().splitlines()[-5:]
        raise ReferenceBuildError(f"{Path(command[0]).name} failed: {' / '.join(tail)}")


def build(folder: Path) -> int:
    """Generate ``folder/kk_stock_reference``; return how many date formats were stripped."""
    spec = folder / "spec.json"
    # The project's own normaliser, run as its command line (the one place that
    # knows the rewrites), then the reference's single deviation on top.
    _run([sys.executable, str(NORMALIZE), str(SPEC), str(spec)], folder)
    derived = json.loads(spec.read_text("utf-8"))
    stripped = strip_date_format(derived)
    spec.write_text(json.dumps(derived), "utf-8")
    config = folder / "config.yaml"
    config.write_text(
        f"package_name_override: {PACKAGE}\nproject_name_override: kk-stock-reference\n"
        "post_hooks: []\n",
        "utf-8",
    )
    generator = Path(sys.executable).parent / GENERATOR
    command = [str(generator), "generate", "--path", str(spec), "--config", str(config)]
    command += ["--meta", "none", "--output-path", str(folder / PACKAGE)]
    _run(command, folder)
    return stripped


@contextlib.contextmanager
def stock_reference() -> Iterator[Reference]:
    """Build, import and yield the reference; afterwards unload and delete it.

    Raises :class:`ReferenceBuildError` when the generator fails."""
    with tempfile.TemporaryDirectory(prefix="kk-stock-reference-") as tmp:
        folder = Path(tmp)
        stripped = build(folder)
        sys.path.insert(0, str(folder))
        importlib.invalidate_caches()
        try:
            models = importlib.import_module(f"{PACKAGE}.models")
            yield Reference(
                order_read=models.OrderRead,
                generator_version=importlib.metadata.version(GENERATOR),
                dates_unformatted=stripped,
            )
        finally:
            sys.path.remove(str(folder))
            for name in [n for n in sys.modules if n == PACKAGE or n.startswith(f"{PACKAGE}.")]:
                del sys.modules[name]
