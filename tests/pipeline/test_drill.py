"""``tools/drill.py`` (``make drill``): each spec mutation changes the spec as intended and
keeps it valid OpenAPI 3.1, and the drill judges and reports what it ran correctly.

The drill itself (a copy of the project regenerated per mutation) runs as its own CI step
(``make drill``), not here.
"""

from __future__ import annotations

import copy
import importlib
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from openapi_spec_validator import OpenAPIV31SpecValidator

# The drill's own tests mutate the vendored spec; inside a drill copy it is mutated already.
pytestmark = pytest.mark.skipif(
    bool(os.environ.get("DRILL_COPY")), reason="inside a drill copy the spec is already mutated"
)
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "codegen"))
import error_table  # noqa: E402
import normalize as norm  # noqa: E402


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


drill = _load("drill")
api_surface = _load("api_surface")

ORIGINAL: dict[str, Any] = json.loads((ROOT / drill.SPEC).read_text("utf-8"))
BY_NAME = {m.name: m for m in drill.MUTATIONS}


def one(name: str) -> dict[str, Any]:
    return drill.mutated(ORIGINAL, [BY_NAME[name]])


def schemas(spec: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = spec["components"]["schemas"]
    return result


def order_read_extra(spec: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = schemas(spec)["OrderRead"]["allOf"][1]["properties"]
    return result


# --- the mutations -----------------------------------------------------------------------


def test_the_issue_lists_twelve_mutations_ten_additive() -> None:
    kinds = [m.kind for m in drill.MUTATIONS]
    assert (len(kinds), kinds.count(drill.ADDITIVE), kinds.count(drill.BREAKING)) == (12, 10, 2)
    assert len(BY_NAME) == 12
    assert len({m.label for m in drill.MUTATIONS}) == 12


@pytest.mark.parametrize("mutation", drill.MUTATIONS, ids=lambda m: m.name)
def test_each_mutation_keeps_the_spec_valid_openapi_3_1(mutation: Any) -> None:
    spec = drill.mutated(ORIGINAL, [mutation])
    assert spec != ORIGINAL
    OpenAPIV31SpecValidator(spec).validate()
    OpenAPIV31SpecValidator(norm.normalize(spec)).validate()


def test_mutations_leave_the_original_untouched_and_compose() -> None:
    before = json.dumps(ORIGINAL, sort_keys=True)
    additive = [m for m in drill.MUTATIONS if m.kind == drill.ADDITIVE]
    combined = drill.apply_all(ORIGINAL)
    assert json.dumps(ORIGINAL, sort_keys=True) == before
    OpenAPIV31SpecValidator(combined).validate()
    assert combined == drill.mutated(ORIGINAL, additive)
    # Each additive change is still there when all are applied together.
    for mutation in additive:
        assert drill.mutated(ORIGINAL, [m for m in additive if m is not mutation]) != combined


def test_new_optional_fields_top_level_and_nested() -> None:
    spec = one("optional-field")
    field = order_read_extra(spec)["trackingUrl"]
    assert field["type"] == "string"
    assert field["readOnly"] is True
    assert "trackingUrl" not in schemas(spec)["OrderRead"]["allOf"][1].get("required", [])
    nested = one("nested-optional-field")
    address = schemas(nested)["Address"]
    assert address["properties"]["state"] == {
        "type": "string",
        "description": "State, province or region.",
    }
    assert address["required"] == ["countryCode"]


def test_new_enum_value_and_array_item_enum() -> None:
    spec = one("enum-value")
    status = schemas(spec)["PaymentStatus"]
    assert status["enum"][-1] == "DISPUTED"
    assert status["enum"][:-1] == schemas(ORIGINAL)["PaymentStatus"]["enum"]
    assert "`DISPUTED`" in status["description"]
    items = one("array-item-enum")
    prop = schemas(items)["OrderWrite"]["properties"]["paymentMethods"]
    assert prop["type"] == "array"
    assert prop["items"] == {"type": "string", "enum": ["SEPA_TRANSFER", "CARD", "PAYPAL"]}
    # The normaliser leaves an inline array-item enum where it is (the template opens it).
    derived = norm.normalize(items)
    assert "enum" in schemas(derived)["OrderWrite"]["properties"]["paymentMethods"]["items"]


def test_new_get_operation_with_a_new_schema_tag_and_date_query() -> None:
    spec = one("get-operation")
    operation = spec["paths"]["/parcels"]["get"]
    assert operation["operationId"] == "readParcels"
    assert operation["tags"] == ["Parcels"]
    assert "Parcels" in {tag["name"] for tag in spec["tags"]}
    assert "Parcels" not in {tag["name"] for tag in ORIGINAL["tags"]}
    reply = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert reply["items"] == {"$ref": "#/components/schemas/Parcel"}
    assert "Parcel" in schemas(spec)
    assert "Parcel" not in schemas(ORIGINAL)
    assert "parameter:shippedSince" in norm.date_report(spec)[0]
    assert "parameter:carrier" not in norm.date_report(spec)[0]


def test_new_post_operation_with_a_body_model() -> None:
    spec = one("post-operation")
    path = spec["paths"]["/order/{orderNumber}/shipment"]
    operation = path["post"]
    assert operation["operationId"] == "createShipment"
    assert operation["tags"] == ["Single Order"]
    body = operation["requestBody"]["content"]["application/json"]
    assert body["schema"] == {"$ref": "#/components/schemas/ShipmentWrite"}
    assert body["example"]["carrier"] == "DHL"
    assert path["parameters"][0]["name"] == "orderNumber"
    assert "ShipmentWrite.shippingDate" in norm.date_report(spec)[0]
    reply = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert reply == {"$ref": "#/components/schemas/ShipmentRead"}


def test_new_error_row_with_a_new_placeholder() -> None:
    spec = one("error-row")
    rows = error_table.error_rows(spec)
    before = error_table.error_rows(ORIGINAL)
    assert len(rows) == len(before) + 1
    assert (400, "Invoice {invoiceNumber} already uploaded") in [(s, t) for s, t, _ in rows]
    assert drill.NEW_ERROR_ROW in spec["info"]["description"]


def test_error_row_refuses_a_table_without_its_anchor() -> None:
    spec = copy.deepcopy(ORIGINAL)
    spec["info"]["description"] = "no table"
    with pytest.raises(ValueError, match="no row"):
        drill.add_error_row(spec)


def test_new_amount_date_and_timestamp_fields_meet_the_rules() -> None:
    amount = schemas(one("amount-field"))["OrderWrite"]["properties"]["shippingCost"]
    assert amount["type"] == "number"
    assert "Format: `0.00`" in amount["description"]
    date_spec = one("date-field")
    date = schemas(date_spec)["OrderWrite"]["properties"]["deliveredOn"]
    assert "dd-MM-yyyy" in date["description"]
    assert not norm._DATE_NAME.match("deliveredOn")  # documented, not named, as a date
    assert "OrderWrite.deliveredOn" in norm.date_report(date_spec)[0]
    stamp_spec = one("timestamp-field")
    stamp = order_read_extra(stamp_spec)["lastChanged"]
    assert "dd-MM-yyyy HH:mm:ss" in stamp["description"]
    marked, near = norm.date_report(stamp_spec)
    assert "OrderRead.lastChanged" not in marked
    assert any(line.startswith("OrderRead.lastChanged (documents a time") for line in near)


def test_breaking_mutations_remove_and_retype_a_field() -> None:
    removed = one("field-removed")
    assert "referenceNumber" in order_read_extra(ORIGINAL)
    assert "referenceNumber" not in order_read_extra(removed)
    retyped = one("field-type-changed")
    assert order_read_extra(ORIGINAL)["dunningLevel"]["type"] == "integer"
    assert order_read_extra(retyped)["dunningLevel"]["type"] == "string"


def test_mutations_are_not_the_ones_the_suite_already_makes() -> None:
    """The issue's drill uses edits other than those of the pipeline tests (and of
    the API-surface tests), so that a test's own edit cannot collide with one here."""
    pipeline = ROOT / "tests" / "pipeline"
    text = "".join(
        (pipeline / name).read_text("utf-8")
        for name in ("test_codegen.py", "test_generated_package.py", "test_api_surface.py")
    )
    for new in ("trackingUrl", "DISPUTED", "paymentMethods", "readParcels", "createShipment",
                "shippingCost", "deliveredOn", "lastChanged", '"state"'):  # fmt: skip
        assert new not in text, new


def test_every_additive_mutation_has_smoke_checks_and_a_typed_use() -> None:
    smoke = _load("drill_smoke")
    additive = {m.name for m in drill.MUTATIONS if m.kind == drill.ADDITIVE}
    assert set(smoke.CHECKS) == additive
    assert {m.name for m in drill.MUTATIONS if m.typed} == additive - {"error-row"}
    assert all(m.api_names for m in drill.MUTATIONS if m.name != "error-row")


def test_typed_source_is_python_with_one_function_per_typed_mutation() -> None:
    source = drill.typed_source(drill.MUTATIONS)
    compile(source, "usage.py", "exec")
    for mutation in drill.MUTATIONS:
        defined = f"async def use_{mutation.name.replace('-', '_')}(" in source
        assert defined == bool(mutation.typed), mutation.name
    assert "assert_type(await aclient.parcels.read_parcels(" in source
    assert drill.typed_source([]).rstrip().endswith("Unset)")


# --- judging what ran -------------------------------------------------------------------------


def api_output(breaking: list[str], additions: list[str]) -> str:
    """What tools/api_surface.py prints for these differences (its own report)."""
    diff = api_surface.Diff(breaking=breaking, additions=additions)
    return api_surface.report(diff) + "\n(checked the komfortkasse imported from /x)\n"


ADDED = f"{api_surface.MODELS_MODULE}.OrderRead.tracking_url: optional field added (str)"
REMOVED = f"{api_surface.MODELS_MODULE}.OrderRead.reference_number: field removed"


def test_listed_reads_check_apis_own_report() -> None:
    output = api_output([REMOVED], [ADDED])
    assert drill.listed(output, drill.BREAKING_HEADER) == [REMOVED]
    assert drill.listed(output, drill.ADDITIONS_HEADER) == [ADDED]
    assert drill.listed("API check OK: ...", drill.ADDITIONS_HEADER) == []
    assert drill.EXIT_ADDITIONS == api_surface.EXIT_ADDITIONS


def test_check_api_verdicts() -> None:
    baseline = drill.api_accept([])
    assert baseline(0, "API check OK") is None
    assert "unchanged copy" in (baseline(3, api_output([], [ADDED])) or "")
    additive = drill.api_accept([BY_NAME["optional-field"]])
    assert additive(3, api_output([], [ADDED])) is None
    assert "does not name OrderRead.tracking_url" in (additive(3, api_output([], ["x"])) or "")
    assert REMOVED in (additive(1, api_output([REMOVED], [ADDED])) or "")
    assert additive(2, "Traceback ...\nKeyError: 'x'") == "exit 2: KeyError: 'x'"
    breaking = drill.api_accept([BY_NAME["field-removed"]])
    assert breaking(1, api_output([REMOVED], [])) is None
    assert "not caught" in (breaking(3, api_output([], [ADDED])) or "")
    assert "not caught" in (breaking(0, "API check OK") or "")
    assert "MAJOR" in (breaking(1, "API check: no snapshot") or "")
    other = f"{api_surface.MODELS_MODULE}.OrderRead.bank_account: field removed"
    assert "does not name" in (breaking(1, api_output([other], [])) or "")


PYTEST_OUTPUT = """\
..F.E
=========================== short test summary info ============================
FAILED tests/test_pipeline.py::test_make_generate_prints_the_date_report - AssertionError: x
FAILED tests/test_workflows.py::test_parse_refuses_bad_bodies[<html>-not JSON] - Assert
ERROR tests/test_errors.py - KeyError: 'invoiceNumber'
FAILED tests/fake/test_fake_operations.py::test_every_operation_answers_as_the_spec_says
2 failed, 3 passed, 1 error in 1.00s
"""


def test_failed_node_ids_from_pytests_summary() -> None:
    assert drill.failed_node_ids(PYTEST_OUTPUT) == [
        "tests/test_pipeline.py::test_make_generate_prints_the_date_report",
        "tests/test_workflows.py::test_parse_refuses_bad_bodies[<html>-not JSON]",
        "tests/test_errors.py",
        "tests/fake/test_fake_operations.py::test_every_operation_answers_as_the_spec_says",
    ]
    assert drill.pytest_accept(0, PYTEST_OUTPUT) is None
    verdict = drill.pytest_accept(1, PYTEST_OUTPUT) or ""
    assert verdict.startswith("4 failed: tests/test_pipeline.py::test_make_generate")
    assert verdict.endswith("(+1 more)")
    assert drill.pytest_accept(4, "no tests ran") == "exit 4: no tests ran"


RUFF = """\
/x/.venv/bin/ruff check overrides tests
SIM300 [*] Yoda condition detected
   --> tests/test_fault_matrix.py:426:12
    |
Found 1 error.
make: *** [Makefile:37: lint] Error 1
"""
MYPY = """\
/x/.venv/bin/mypy overrides codegen
overrides/komfortkasse/_workflows.py:12: error: "OrderRead" has no attribute "reference_number"
Found 1 error in 1 file (checked 68 source files)
make: *** [Makefile:40: lint] Error 1
"""


def test_make_failures_name_the_first_problem() -> None:
    assert drill.make_accept(0, RUFF) is None
    assert drill.make_accept(2, RUFF) == (
        "SIM300 [*] Yoda condition detected at tests/test_fault_matrix.py:426:12"
    )
    assert drill.make_accept(2, MYPY) == (
        'overrides/komfortkasse/_workflows.py:12: error: "OrderRead" has no attribute '
        '"reference_number"'
    )
    other = "generating\nopenapi-python-client failed (exit 1)\nmake: *** [generate] Error 1\n"
    assert drill.make_accept(2, other) == "exit 2: openapi-python-client failed (exit 1)"


def outcome(name: str, kind: str, *steps: Any, baseline: Any = None) -> Any:
    result = drill.Outcome(name, kind, f"label of {name}", list(steps))
    drill.conclude(result, breaking=kind == drill.BREAKING, baseline=baseline)
    return result


def test_a_step_the_baseline_fails_too_is_marked() -> None:
    baseline = outcome("baseline", "-", step("generate"), step("lint", ok=False, detail="x"))
    assert baseline.result == "FAIL at lint"
    line = outcome(
        "date-field",
        drill.ADDITIVE,
        step("generate"),
        step("lint", ok=False, detail="x"),
        step("quick tests", ok=False, detail="y"),
        baseline=baseline,
    )
    assert line.result == "FAIL at lint (as the baseline), quick tests"


def step(name: str, ok: bool = True, output: str = "", detail: str = "") -> Any:
    return drill.Step(name, ok, 1.25, detail if not ok else "", output)


def test_conclude_names_the_verdict() -> None:
    passed = outcome(
        "optional-field",
        drill.ADDITIVE,
        step("generate"),
        step("check-api", output=api_output([], [ADDED])),
        step("smoke"),
    )
    assert passed.passed
    assert passed.result == "pass (check-api 3: additions only)"
    assert passed.seconds == 3.75
    assert passed.ran == "generate, check-api, smoke"
    failed = outcome(
        "get-operation",
        drill.ADDITIVE,
        step("generate"),
        step("smoke", ok=False, detail="exit 1: fake"),
        step("quick tests", ok=False, detail="1 failed: t"),
    )
    assert not failed.passed
    assert failed.result == "FAIL at smoke, quick tests"
    caught = outcome(
        "field-removed",
        drill.BREAKING,
        step("generate"),
        step("check-api", output=api_output([REMOVED], [])),
    )
    assert caught.passed
    assert caught.result == f"caught: check-api exit 1, {REMOVED}"
    missed = outcome(
        "field-removed",
        drill.BREAKING,
        step("generate"),
        step("check-api", ok=False, detail="exit 3"),
    )
    assert not missed.passed
    assert missed.result == "NOT CAUGHT by check-api"
    unbuilt = outcome("field-removed", drill.BREAKING, step("generate", ok=False, detail="exit 1"))
    assert unbuilt.result == "FAIL at generate"
    clean = outcome("baseline", "-", step("generate"), step("check-api", output="API check OK"))
    assert clean.result == "pass (check-api 0)"


def test_render_table_has_a_line_per_outcome_totals_and_the_failures() -> None:
    rows = [
        outcome("baseline", "-", step("generate"), step("check-api", output="API check OK")),
        outcome(
            "field-removed",
            drill.BREAKING,
            step("generate"),
            step("check-api", ok=False, detail="exit 3: " + "x" * 300),
        ),
    ]
    rows[0].label = "a much longer label of the baseline"
    table = drill.render_table(rows, width=60).splitlines()
    assert table[0].split() == ["mutation", "kind", "ran", "result", "s"]
    assert table[1].startswith("a much longer label of the baseline  -")
    assert "pass (check-api 0)" in table[1]
    assert table[1].endswith("   2.5")
    assert table[2].startswith("label of field-removed ")
    assert "NOT CAUGHT by check-api" in table[2]
    # The columns line up.
    assert {table[0].index("kind"), table[1].index(" -  ") + 1, table[2].index("breaking")} == {
        len("a much longer label of the baseline  ")
    }
    assert table[3] == "1 of 2 lines as expected, 1 failed; 5.0 s of commands in the copy"
    assert table[4].startswith("  field-removed: check-api: exit 3: xxx")
    assert table[4].endswith("...")
    assert len(table[4]) == len("  field-removed: check-api: ") + 120
    assert len(table) == 5
    report = drill.failure_report(rows[1])
    assert report.startswith("--- field-removed: check-api (exit 3: x")


# --- the copy ---------------------------------------------------------------------------------


def test_copy_project_takes_what_git_tracks_or_would(tmp_path: Path) -> None:
    source = tmp_path / "source"
    (source / "pkg").mkdir(parents=True)
    (source / ".venv" / "bin").mkdir(parents=True)
    (source / ".gitignore").write_text(".venv/\nbuild/\n", "utf-8")
    (source / "pkg" / "tracked.py").write_text("x = 1\n", "utf-8")
    (source / "gone.py").write_text("", "utf-8")
    (source / ".venv" / "bin" / "python").write_text("", "utf-8")
    subprocess.run(["git", "init", "-q"], cwd=source, check=True)
    subprocess.run(["git", "add", "-A"], cwd=source, check=True)
    (source / "gone.py").unlink()  # tracked, deleted in the work tree
    (source / "new.py").write_text("y = 2\n", "utf-8")  # untracked, not ignored
    (source / "build").mkdir()
    (source / "build" / "out.txt").write_text("", "utf-8")
    target = tmp_path / "copy"
    (target / "stale").mkdir(parents=True)
    assert drill.copy_project(source, target) == 3
    copied = sorted(str(p.relative_to(target)) for p in target.rglob("*") if p.is_file())
    assert copied == [".gitignore", "new.py", "pkg/tracked.py"]


def test_copy_env_puts_the_copy_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHONPATH", "/checkout/overrides")
    monkeypatch.setenv("KOMFORTKASSE_API_KEY", "secret")
    monkeypatch.setenv("MAKEFLAGS", "-j4")
    project = tmp_path / "project"
    env = drill.copy_env(project, tmp_path)
    assert env["PYTHONPATH"].split(":") == [str(project / "overrides"), str(project / "generated")]
    assert env["MYPYPATH"] == env["PYTHONPATH"]
    assert env["KOMFORTKASSE_DRILL_ROOT"] == str(project)
    assert "KOMFORTKASSE_API_KEY" not in env
    assert "MAKEFLAGS" not in env  # an outer make (make ci) does not steer the copy's
    assert env["PATH"].startswith(str(drill.BIN))
    assert env["MYPY_CACHE_DIR"] == str(tmp_path / "mypy-cache")
    assert env["PYTHONUNBUFFERED"] == "1"  # one output stream, in the order written


def test_runner_records_steps_and_judges_them(tmp_path: Path) -> None:
    result = drill.Outcome("x", drill.ADDITIVE, "x")
    runner = drill.Runner(tmp_path, {"PATH": "/usr/bin:/bin", "PYTHONUNBUFFERED": "1"}, result)
    ok = runner.python("hello", "-c", "import sys; print('out'); print('err', file=sys.stderr)")
    assert (ok.ok, ok.output.split()) == (True, ["out", "err"])
    bad = runner.python("fails", "-c", "raise SystemExit('boom')")
    assert (bad.ok, bad.detail) == (False, "exit 1: boom")
    judged = runner.python("three", "-c", "raise SystemExit(3)", accept=lambda rc, out: None)
    assert judged.ok
    assert [s.name for s in result.steps] == ["hello", "fails", "three"]


def test_make_runs_the_copys_makefile_without_installing() -> None:
    assert drill.STAMP == ".venv/.installed-stamp"
    makefile = (ROOT / "Makefile").read_text("utf-8")
    assert "STAMP  := $(VENV)/.installed-stamp" in makefile
    assert "drill: $(STAMP)" in makefile
    ci = next(line for line in makefile.splitlines() if line.startswith("ci:"))
    assert ci.split().index("drill") == ci.split().index("check-api") + 1


def test_list_and_unknown_names(capsys: pytest.CaptureFixture[str]) -> None:
    assert drill.main(["--list"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in listed] == [m.name for m in drill.MUTATIONS]
    with pytest.raises(SystemExit) as exited:
        drill.main(["--only", "no-such-mutation"])
    assert exited.value.code == 2
    assert "no-such-mutation" in capsys.readouterr().err


def test_quick_tests_exist() -> None:
    for name in drill.QUICK_TESTS:
        assert (ROOT / name).is_file(), name


def test_sigterm_cleans_up_on_the_way_out(tmp_path: Path) -> None:
    """A cancelled drill kills its running step and removes its copy (``finally`` runs)."""
    script = (
        "import os, signal, subprocess, sys, time\n"
        f"sys.path.insert(0, {str(ROOT / 'tools')!r})\n"
        "import drill\n"
        "drill.exit_on_sigterm()\n"
        "try:\n"
        "    child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(30)'])\n"
        "    os.kill(os.getpid(), signal.SIGTERM)\n"
        "    time.sleep(30)\n"
        "finally:\n"
        "    child.kill()\n"
        "    print('cleaned up', flush=True)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=20, check=False
    )
    assert (done.returncode, done.stdout) == (143, "cleaned up\n"), done.stderr
