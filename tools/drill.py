"""The spec-change drill (``make drill``): upstream changes the spec, nothing hand-written changes.

    python tools/drill.py [--full] [--only NAME ...] [--keep] [--list]

For each mutation in :data:`MUTATIONS` the drill makes a fresh copy of the project (the files git
tracks or would track: no ``.venv``, no build outputs) at one temporary path, edits the copy's
vendored ``openapi/komfortkasse-v2.openapi.json`` and runs, in the copy, what a maintainer runs:

* ``make generate``, then check-api (``tools/api_surface.py``): an *additive* mutation must report
  additions only (exit 3; 0 is fine too) naming what it added, after which the copy's snapshot is
  rewritten (``--write``, the README's step for an addition) so that the suite runs as it would
  after the update; a *breaking* mutation must fail it (exit 1) naming the changed field and
  asking for a MAJOR version bump, and its line ends there;
* ``make lint`` (ruff check, ruff format --check, mypy --strict on the hand-written code), and
  mypy --strict on a small typed use of what the mutation added (:attr:`Mutation.typed`);
* the smoke script ``tools/drill_smoke.py``: the public ``Komfortkasse``/``AsyncKomfortkasse``
  against the fake server and ``httpx.MockTransport``, with the checks of each mutation;
* tests: by default (CI) the :data:`QUICK_TESTS` and a collection of the whole suite run on the
  ``combined`` line (every additive mutation at once), and each mutation's line re-runs the tests
  that failed there, to say whose they are; ``--full`` (``make drill FULL=1``) runs the whole
  suite on every line instead.

Every step after generation runs even when an earlier one failed, so one failure does not hide
another. The copy runs with the checkout's virtualenv but imports its own code: its
``overrides/`` and ``generated/`` come first on ``PYTHONPATH`` (and ``MYPYPATH``), make runs with
``-o .venv/.installed-stamp`` so nothing is installed, and the smoke script checks that
``komfortkasse`` and ``komfortkasse_generated`` were imported from the copy. A ``baseline`` line
runs the unchanged copy first; a step that fails there too is marked so. The drill prints one
line per mutation, then each failed step with why, and exits 1 when an additive mutation fails
or a breaking one is not caught.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "ADDITIVE",
    "BREAKING",
    "MUTATIONS",
    "QUICK_TESTS",
    "Mutation",
    "Outcome",
    "Step",
    "apply_all",
    "main",
    "mutated",
    "render_table",
]

Json = dict[str, Any]

ROOT = Path(__file__).resolve().parent.parent
SPEC = Path("openapi") / "komfortkasse-v2.openapi.json"
#: The checkout's virtualenv: the copy never gets one of its own.
BIN = Path(sys.executable).parent
#: make's stamp for "the virtualenv is installed": never remade in the copy.
STAMP = ".venv/.installed-stamp"

ADDITIVE = "additive"
BREAKING = "breaking"

#: Fast test files that exercise what a spec change reaches: the models, the generation
#: pipeline, every operation on the wire, the errors, the fake's operations, the API tool.
QUICK_TESTS = (
    "tests/client/test_models.py",
    "tests/pipeline/test_codegen.py",
    "tests/pipeline/test_generated_package.py",
    "tests/client/test_operations.py",
    "tests/client/test_errors.py",
    "tests/fake/test_fake_operations.py",
    "tests/pipeline/test_api_surface.py",
)

#: The new error row (the message as the spec's table writes it, and its meaning).
NEW_ERROR = "Invoice <invoiceNumber> already uploaded"
NEW_ERROR_ROW = f"| `400`  | `{NEW_ERROR}` | An invoice with this number was already uploaded. |"
#: The table row the new one is inserted above.
ERROR_ROW_ANCHOR = "| `404`  | `Order '<n>' not found`"


# --------------------------------------------------------------------------- the mutations


def _schemas(spec: Json) -> Json:
    schemas: Json = spec["components"]["schemas"]
    return schemas


def _order_read(spec: Json) -> Json:
    """The properties OrderRead adds to OrderWriteWithNumber."""
    properties: Json = _schemas(spec)["OrderRead"]["allOf"][1]["properties"]
    return properties


def _order_write(spec: Json) -> Json:
    properties: Json = _schemas(spec)["OrderWrite"]["properties"]
    return properties


def _error_responses(spec: Json) -> Json:
    """The 400/401/404 answers of ``GET /postings``, for a new operation."""
    responses = spec["paths"]["/postings"]["get"]["responses"]
    return {status: copy.deepcopy(responses[status]) for status in ("400", "401", "404")}


def _json(schema: Json, example: object) -> Json:
    """A JSON content map with an example (every body and answer of the spec has one)."""
    return {"application/json": {"schema": schema, "example": example}}


def add_optional_field(spec: Json) -> None:
    _order_read(spec)["trackingUrl"] = {
        "type": "string",
        "description": "Where the customer can follow the parcel. Read-only.",
        "readOnly": True,
    }


def add_nested_optional_field(spec: Json) -> None:
    _schemas(spec)["Address"]["properties"]["state"] = {
        "type": "string",
        "description": "State, province or region.",
    }


def add_enum_value(spec: Json) -> None:
    status = _schemas(spec)["PaymentStatus"]
    status["enum"].append("DISPUTED")
    status["description"] += "\n- `DISPUTED` \u2014 the customer disputes the payment"


def add_array_item_enum(spec: Json) -> None:
    _order_write(spec)["paymentMethods"] = {
        "type": "array",
        "description": "Payment methods offered to the customer.",
        "items": {"type": "string", "enum": ["SEPA_TRANSFER", "CARD", "PAYPAL"]},
    }


def add_get_operation(spec: Json) -> None:
    """``GET /parcels`` (tag "Parcels", new) with a date query parameter, answering
    a list of the new ``Parcel``."""
    _schemas(spec)["Parcel"] = {
        "type": "object",
        "description": "A parcel shipped for an order.",
        "properties": {
            "orderNumber": {"type": "string", "description": "The order shipped."},
            "carrier": {"type": "string", "description": "Carrier name."},
            "trackingNumber": {"type": "string", "description": "The carrier's number."},
        },
        "required": ["orderNumber"],
    }
    spec["tags"].append({"name": "Parcels", "description": "Parcels shipped for orders."})
    parcels = {"type": "array", "items": {"$ref": "#/components/schemas/Parcel"}}
    example = [{"orderNumber": "123456", "carrier": "DHL", "trackingNumber": "00340434"}]
    responses = {
        "200": {"description": "List of parcels.", "content": _json(parcels, example)},
        **_error_responses(spec),
    }
    spec["paths"]["/parcels"] = {
        "get": {
            "operationId": "readParcels",
            "tags": ["Parcels"],
            "summary": "Read Parcels",
            "description": "Read the parcels shipped since a day.",
            "parameters": [
                {
                    "name": "shippedSince",
                    "in": "query",
                    "schema": {"type": "string"},
                    "description": "First day of shipping, inclusive. Format: `dd-MM-yyyy`.",
                },
                {
                    "name": "carrier",
                    "in": "query",
                    "schema": {"type": "string"},
                    "description": "Only parcels of this carrier.",
                },
            ],
            "responses": responses,
        }
    }


def add_post_operation(spec: Json) -> None:
    """``POST /order/{orderNumber}/shipment`` (tag "Single Order") with the new body
    ``ShipmentWrite`` (a date inside), answering the new ``ShipmentRead``."""
    schemas = _schemas(spec)
    schemas["ShipmentWrite"] = {
        "type": "object",
        "description": "A shipment of an order.",
        "properties": {
            "carrier": {"type": "string", "description": "Carrier name."},
            "trackingNumber": {"type": "string", "description": "The carrier's number."},
            "shippingDate": {"type": "string", "description": "Format: `dd-MM-yyyy`."},
        },
        "required": ["carrier"],
    }
    schemas["ShipmentRead"] = {
        "allOf": [
            {"$ref": "#/components/schemas/ShipmentWrite"},
            {
                "type": "object",
                "properties": {
                    "id": {"type": "string", "description": "Unique ID (given by Komfortkasse)."}
                },
            },
        ]
    }
    order_path = spec["paths"]["/order/{orderNumber}"]
    shipment = {"carrier": "DHL", "trackingNumber": "00340434", "shippingDate": "26-04-2018"}
    spec["paths"]["/order/{orderNumber}/shipment"] = {
        "parameters": copy.deepcopy(order_path["parameters"]),
        "post": {
            "operationId": "createShipment",
            "tags": ["Single Order"],
            "summary": "Record a shipment",
            "description": "Tell Komfortkasse that an order was shipped.",
            "requestBody": {
                "required": True,
                "content": _json({"$ref": "#/components/schemas/ShipmentWrite"}, shipment),
            },
            "responses": {
                "200": {
                    "description": "Shipment recorded.",
                    "content": _json(
                        {"$ref": "#/components/schemas/ShipmentRead"}, {**shipment, "id": "77"}
                    ),
                },
                **_error_responses(spec),
            },
        },
    }


def add_error_row(spec: Json) -> None:
    info = spec["info"]
    if ERROR_ROW_ANCHOR not in info["description"]:
        raise ValueError(f"the error table has no row {ERROR_ROW_ANCHOR!r} to insert above")
    info["description"] = info["description"].replace(
        ERROR_ROW_ANCHOR, f"{NEW_ERROR_ROW}\n{ERROR_ROW_ANCHOR}", 1
    )


def add_amount_field(spec: Json) -> None:
    _order_write(spec)["shippingCost"] = {
        "type": "number",
        "description": "Shipping cost included in the amount. Format: `0.00`.",
    }


def add_documented_date_field(spec: Json) -> None:
    _order_write(spec)["deliveredOn"] = {
        "type": "string",
        "description": "Day the goods were delivered. Format: `dd-MM-yyyy`.",
    }


def add_timestamp_field(spec: Json) -> None:
    _order_read(spec)["lastChanged"] = {
        "type": "string",
        "description": "When the order last changed. Format: `dd-MM-yyyy HH:mm:ss`. Read-only.",
        "readOnly": True,
    }


def remove_field(spec: Json) -> None:
    del _order_read(spec)["referenceNumber"]


def change_field_type(spec: Json) -> None:
    _order_read(spec)["dunningLevel"]["type"] = "string"


@dataclass(frozen=True)
class Mutation:
    """One change upstream might make to the spec."""

    name: str
    kind: str
    #: What it changes, for the report.
    label: str
    apply: Callable[[Json], None]
    #: Names ``check-api`` must mention: the additions it lists, or the breaking change.
    api_names: tuple[str, ...]
    #: A typed use of what it adds: the body of ``def use(client, aclient)``, which
    #: ``mypy --strict`` must accept in the mutated copy.
    typed: str = ""
    #: Whether the change can reach test collection (the whole suite is collected).
    collect: bool = False


MUTATIONS: tuple[Mutation, ...] = (
    Mutation(
        "optional-field",
        ADDITIVE,
        "new optional field OrderRead.trackingUrl",
        add_optional_field,
        ("OrderRead.tracking_url",),
        "order = client.orders.get('1')\nassert_type(order.tracking_url, str | Unset)",
    ),
    Mutation(
        "nested-optional-field",
        ADDITIVE,
        "new optional field Address.state",
        add_nested_optional_field,
        ("Address.state",),
        "address = Address(country_code='DE', last_name='M', state='BY')\n"
        "assert_type(address.state, str | Unset)",
    ),
    Mutation(
        "enum-value",
        ADDITIVE,
        "new enum value PaymentStatus.DISPUTED",
        add_enum_value,
        ("PaymentStatus.DISPUTED",),
        "orders = client.orders.list(payment_status=PaymentStatus.DISPUTED)\n"
        "assert_type(orders, list[OrderRead])",
    ),
    Mutation(
        "array-item-enum",
        ADDITIVE,
        "new array-of-enum OrderWrite.paymentMethods",
        add_array_item_enum,
        ("OrderWrite.payment_methods", "OrderWritePaymentMethodsItem"),
        "methods = OrderWrite.from_dict({}).payment_methods\n"
        "assert_type(methods, list[OrderWritePaymentMethodsItem | str] | Unset)",
    ),
    Mutation(
        "get-operation",
        ADDITIVE,
        "new GET /parcels (tag Parcels, Parcel, date query)",
        add_get_operation,
        ("Parcel", "parcels"),
        "day = datetime.date(2024, 5, 2)\n"
        "assert_type(client.parcels.read_parcels(shipped_since=day), list[Parcel])\n"
        "assert_type(await aclient.parcels.read_parcels(shipped_since=day), list[Parcel])",
    ),
    Mutation(
        "post-operation",
        ADDITIVE,
        "new POST /order/{n}/shipment (ShipmentWrite body)",
        add_post_operation,
        ("ShipmentWrite", "ShipmentRead", "create_shipment"),
        "body = ShipmentWrite(carrier='DHL', shipping_date=datetime.date(2024, 5, 2))\n"
        "assert_type(client.orders.create_shipment('1', body), ShipmentRead)\n"
        "assert_type(await aclient.orders.create_shipment('1', body), ShipmentRead)",
    ),
    Mutation(
        "error-row",
        ADDITIVE,
        f"new error row '{NEW_ERROR}'",
        add_error_row,
        (),
        collect=True,
    ),
    Mutation(
        "amount-field",
        ADDITIVE,
        "new amount OrderWrite.shippingCost (0.00)",
        add_amount_field,
        ("OrderWrite.shipping_cost",),
        "cost = OrderWrite.from_dict({}).shipping_cost\nassert_type(cost, Decimal | Unset)",
    ),
    Mutation(
        "date-field",
        ADDITIVE,
        "new date OrderWrite.deliveredOn (dd-MM-yyyy)",
        add_documented_date_field,
        ("OrderWrite.delivered_on",),
        "day = OrderWrite.from_dict({}).delivered_on\nassert_type(day, datetime.date | Unset)",
    ),
    Mutation(
        "timestamp-field",
        ADDITIVE,
        "new timestamp OrderRead.lastChanged (HH:mm:ss)",
        add_timestamp_field,
        ("OrderRead.last_changed",),
        "order = client.orders.get('1')\nassert_type(order.last_changed, str | Unset)",
    ),
    Mutation(
        "field-removed",
        BREAKING,
        "field removed OrderRead.referenceNumber",
        remove_field,
        ("OrderRead.reference_number",),
    ),
    Mutation(
        "field-type-changed",
        BREAKING,
        "type changed OrderRead.dunningLevel int -> str",
        change_field_type,
        ("OrderRead.dunning_level",),
    ),
)


def mutated(spec: Json, mutations: Sequence[Mutation]) -> Json:
    """A deep copy of ``spec`` with ``mutations`` applied in order."""
    result = copy.deepcopy(spec)
    for mutation in mutations:
        mutation.apply(result)
    return result


def apply_all(spec: Json) -> Json:
    """Every additive mutation at once (the ``combined`` line)."""
    return mutated(spec, [m for m in MUTATIONS if m.kind == ADDITIVE])


#: The imports the typed snippets may use.
TYPED_HEADER = '''"""A typed use of what the drill's mutations added (written by tools/drill.py)."""

import datetime
from decimal import Decimal
from typing import assert_type

from komfortkasse import Address, AsyncKomfortkasse, Komfortkasse, OrderRead, PaymentStatus
from komfortkasse_generated.models import *  # noqa: F403
from komfortkasse_generated.types import Unset

_ = (datetime, Decimal, Address, OrderRead, PaymentStatus, Unset)


'''


def typed_source(mutations: Sequence[Mutation]) -> str:
    """The module ``mypy --strict`` checks in the copy: one function per mutation."""
    parts = [TYPED_HEADER]
    for mutation in mutations:
        if not mutation.typed:
            continue
        body = "\n".join(f"    {line}" for line in mutation.typed.splitlines())
        name = mutation.name.replace("-", "_")
        parts.append(
            f"async def use_{name}(client: Komfortkasse, aclient: AsyncKomfortkasse) -> None:\n"
            f"{body}\n\n\n"
        )
    return "".join(parts).rstrip() + "\n"


# --------------------------------------------------------------------------- running a copy


@dataclass
class Step:
    """One command run in the copy, and whether its result was the expected one."""

    name: str
    ok: bool
    seconds: float
    #: Why not, in one line (empty when ``ok``).
    detail: str = ""
    output: str = ""


@dataclass
class Outcome:
    """One line of the drill: what ran and whether it all went as expected."""

    name: str
    kind: str
    label: str
    steps: list[Step] = field(default_factory=list)
    passed: bool = False
    result: str = ""
    seconds: float = 0.0
    #: The pytest node ids that failed (to re-run them per mutation).
    failed_tests: list[str] = field(default_factory=list)

    @property
    def ran(self) -> str:
        return ", ".join(step.name for step in self.steps)


def copy_project(source: Path, target: Path) -> int:
    """Copy the files git tracks (or would: untracked but not ignored) from ``source``
    to a fresh ``target``; return how many."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],  # noqa: S607
        cwd=source,
        check=True,
        capture_output=True,
    ).stdout.decode("utf-8")
    if target.exists():
        shutil.rmtree(target)
    count = 0
    for name in sorted(set(filter(None, listed.split("\0")))):
        origin = source / name
        if not origin.is_file():  # deleted in the work tree
            continue
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(origin, destination)
        count += 1
    return count


#: Variables of the caller's environment that would point the copy elsewhere (an outer
#: make's flags included: ``make ci`` runs the drill).
_DROPPED_ENV = frozenset(
    {"PYTHONPATH", "MYPYPATH", "PYTHONHOME", "VIRTUAL_ENV", "MAKEFLAGS", "MFLAGS", "MAKELEVEL"}
)


def copy_env(project: Path, work: Path) -> dict[str, str]:
    """The environment of every command run in the copy: the copy's code first."""
    code = os.pathsep.join(str(project / part) for part in ("overrides", "generated"))
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in _DROPPED_ENV and not key.startswith("KOMFORTKASSE_")
    }
    env.update(
        # Tests of the drill itself mutate the upstream spec: meaningless in a mutated copy.
        DRILL_COPY="1",
        PYTHONPATH=code,
        MYPYPATH=code,
        # One cache for every line: the copy's path stays the same, so mypy
        # rechecks only what a mutation changed.
        MYPY_CACHE_DIR=str(work / "mypy-cache"),
        RUFF_CACHE_DIR=str(work / "ruff-cache"),
        PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        PYTHONDONTWRITEBYTECODE="1",
        PYTHONUNBUFFERED="1",
        KOMFORTKASSE_DRILL_ROOT=str(project),
    )
    return env


Accept = Callable[[int, str], str | None]


class Runner:
    """Runs the commands of one drill line in the copy."""

    def __init__(self, project: Path, env: dict[str, str], outcome: Outcome) -> None:
        self.project = project
        self.env = env
        self.outcome = outcome

    def run(self, name: str, argv: Sequence[str], accept: Accept | None = None) -> Step:
        """Run ``argv`` in the copy; ``accept(rc, output)`` is ``None`` when the result
        is as expected, else why not (by default exit 0 is expected)."""
        started = time.monotonic()
        try:
            done = subprocess.run(  # noqa: S603 -- our own commands, in our copy
                list(argv),
                cwd=self.project,
                env=self.env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,  # one stream, in the order it was written
                text=True,
                timeout=STEP_TIMEOUT,
                check=False,
            )
            rc, output = done.returncode, done.stdout
        except subprocess.TimeoutExpired:
            rc, output = -1, f"timed out after {STEP_TIMEOUT:.0f} s"
        problem = (accept or exit_zero)(rc, output)
        step = Step(name, problem is None, time.monotonic() - started, problem or "", output)
        self.outcome.steps.append(step)
        return step

    def make(self, target: str) -> Step:
        """``make <target>`` of the copy's Makefile, with the checkout's virtualenv and
        never (re)installing it."""
        argv = ["make", "--no-print-directory", "-o", STAMP, f"BIN={BIN}", target]
        return self.run(target, argv, make_accept)

    def python(self, name: str, *args: str, accept: Accept | None = None) -> Step:
        return self.run(name, [str(BIN / "python"), *args], accept)

    def pytest(self, name: str, *args: str) -> Step:
        # A module that fails to collect must not keep the rest of the suite from running.
        argv = ["-m", "pytest", "-q", "-rfE", "--continue-on-collection-errors", *args]
        step = self.python(name, *argv, accept=pytest_accept)
        self.outcome.failed_tests += failed_node_ids(step.output)
        return step


#: No step of a drill line may take longer (the full suite takes about 2 minutes).
STEP_TIMEOUT = 1200.0


def exit_zero(rc: int, output: str) -> str | None:
    return None if rc == 0 else f"exit {rc}: {last_line(output)}"


def make_accept(rc: int, output: str) -> str | None:
    """Exit 0, else the first problem the tools reported (a mypy error, a ruff finding
    with its place), or the last line that is not make's own."""
    if rc == 0:
        return None
    lines = [line.strip() for line in output.splitlines()]
    for index, line in enumerate(lines):
        if ": error:" in line:
            return line[:200]
        if line.startswith("--> "):
            what = next((text for text in reversed(lines[:index]) if text), "")
            return f"{what} at {line[4:]}"[:200]
    own = "\n".join(line for line in lines if not line.startswith("make"))
    return f"exit {rc}: {last_line(own)}"


def last_line(output: str) -> str:
    lines = [line.strip() for line in output.strip().splitlines() if line.strip()]
    return lines[-1][:200] if lines else "(no output)"


def api_accept(mutations: Sequence[Mutation]) -> Accept:
    """What ``check-api`` must say: no difference (no mutation), additions only naming
    what was added (additive), or breaking changes naming the field and asking for a
    MAJOR version bump (breaking)."""
    breaking = any(m.kind == BREAKING for m in mutations)
    names = [name for m in mutations for name in m.api_names]

    def accept(rc: int, output: str) -> str | None:
        if not mutations:
            return None if rc == 0 else f"exit {rc} on the unchanged copy: {last_line(output)}"
        if breaking:
            if rc != 1:
                return f"exit {rc}: the breaking change was not caught"
            if "MAJOR" not in output:
                return "exit 1, but the message does not ask for a MAJOR version bump"
        elif rc not in (0, EXIT_ADDITIONS):
            found = "; ".join(listed(output, BREAKING_HEADER))
            return f"exit {rc}: {found or last_line(output)}"
        shown = listed(output, BREAKING_HEADER if breaking else ADDITIONS_HEADER)
        missing = [name for name in names if not any(name in line for line in shown)]
        if missing:
            return f"exit {rc}, but the report does not name {', '.join(missing)}"
        return None

    return accept


#: ``tools/api_surface.py``: its exit status for additions only, and how it introduces
#: its lists of breaking changes and of additions.
EXIT_ADDITIONS = 3
BREAKING_HEADER = "API check FAILED"
ADDITIONS_HEADER = "API check: "


def listed(output: str, header: str) -> list[str]:
    """The ``  - item`` lines under the line of check-api's output that starts with ``header``."""
    items: list[str] = []
    inside = False
    for line in output.splitlines():
        if line.startswith(header):
            inside = True
        elif inside and line.startswith("  - "):
            items.append(line[4:].strip())
        else:
            inside = False
    return items


_SUMMARY = re.compile(r"^(?:FAILED|ERROR) (\S+?(?:\[.*?\])?)(?: - .*)?$")


def failed_node_ids(output: str) -> list[str]:
    """The node ids in pytest's short summary (``-rfE``: failures and errors)."""
    found = (_SUMMARY.match(line) for line in output.splitlines())
    return list(dict.fromkeys(match.group(1) for match in found if match))


def pytest_accept(rc: int, output: str) -> str | None:
    if rc == 0:
        return None
    failed = failed_node_ids(output)
    if not failed:
        return f"exit {rc}: {last_line(output)}"
    more = f" (+{len(failed) - 3} more)" if len(failed) > 3 else ""
    return f"{len(failed)} failed: {', '.join(failed[:3])}{more}"


@dataclass(frozen=True)
class Plan:
    """What a drill line runs besides generation and check-api."""

    #: "full" (the whole suite), "quick" (:data:`QUICK_TESTS`) or "none".
    tests: str = "none"
    #: Collect the whole suite (when the tests run are not the whole suite).
    collect: bool = False
    #: Node ids to re-run (the combined line's failures, to attribute them).
    rerun: tuple[str, ...] = ()


def drive(
    project: Path, env: dict[str, str], outcome: Outcome, mutations: Sequence[Mutation], plan: Plan
) -> None:
    """Run one drill line in ``project``, whose spec is already mutated: generation
    first (nothing else can run without it), then every other step, each on its own
    so that one failure does not hide another."""
    runner = Runner(project, env, outcome)
    if runner.make("generate").ok:
        api = runner.python("check-api", "tools/api_surface.py", accept=api_accept(mutations))
        if not any(m.kind == BREAKING for m in mutations):
            if api.ok and listed(api.output, ADDITIONS_HEADER):
                # The README's step for an addition, so the suite's snapshot test agrees.
                runner.python("snapshot", "tools/api_surface.py", "--write")
            _check(runner, project, mutations, plan)


def _check(runner: Runner, project: Path, mutations: Sequence[Mutation], plan: Plan) -> None:
    runner.make("lint")
    if any(m.typed for m in mutations):
        folder = project / "drill_typed"
        folder.mkdir(exist_ok=True)
        (folder / "usage.py").write_text(typed_source(mutations), "utf-8")
        runner.python("typed", "-m", "mypy", "drill_typed/usage.py")
    runner.python("smoke", "tools/drill_smoke.py", *(m.name for m in mutations))
    if plan.tests == "full":
        runner.pytest("full suite")
    elif plan.tests == "quick":
        runner.pytest("quick tests", *QUICK_TESTS)
    if plan.rerun:
        runner.pytest(f"re-run {len(plan.rerun)}", *plan.rerun)
    if plan.collect and plan.tests != "full":
        runner.pytest("collect", "--collect-only")


def conclude(outcome: Outcome, *, breaking: bool, baseline: Outcome | None = None) -> None:
    """Set the outcome's verdict and its one-line result from its steps; a step that
    also failed on the ``baseline`` is marked so (the checkout fails it, not the mutation)."""
    outcome.seconds = sum(step.seconds for step in outcome.steps)
    failed = [step for step in outcome.steps if not step.ok]
    outcome.passed = not failed
    if failed:
        caught = not breaking or failed[0].name != "check-api"
        what = "FAIL at" if caught else "NOT CAUGHT by"
        on_baseline = {s.name for s in baseline.steps if not s.ok} if baseline else set()
        names = [f"{s.name} (as the baseline)" if s.name in on_baseline else s.name for s in failed]
        outcome.result = f"{what} {', '.join(names)}"
        return
    api = next(step for step in outcome.steps if step.name == "check-api")
    if breaking:
        outcome.result = "caught: check-api exit 1, " + "; ".join(
            listed(api.output, BREAKING_HEADER)
        )
    elif listed(api.output, ADDITIONS_HEADER):
        outcome.result = f"pass (check-api {EXIT_ADDITIONS}: additions only)"
    else:
        outcome.result = "pass (check-api 0)"


# --------------------------------------------------------------------------- the report


def render_table(outcomes: Sequence[Outcome], *, width: int = 110) -> str:
    """The drill's table: one line per mutation (result cut at ``width``), the totals,
    then each failed step with why."""
    header = ("mutation", "kind", "ran", "result", "s")
    rows = [(o.label, o.kind, o.ran, _cut(o.result, width), f"{o.seconds:.1f}") for o in outcomes]
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(4)]
    lines = [
        "  ".join([*(row[i].ljust(widths[i]) for i in range(4)), row[4].rjust(6)])
        for row in (header, *rows)
    ]
    failed = [o for o in outcomes if not o.passed]
    total = sum(o.seconds for o in outcomes)
    lines.append(
        f"{len(outcomes) - len(failed)} of {len(outcomes)} lines as expected, "
        f"{len(failed)} failed; {total:.1f} s of commands in the copy"
    )
    for outcome in failed:
        for step in outcome.steps:
            if not step.ok:
                lines.append(f"  {outcome.name}: {step.name}: {_cut(step.detail, 2 * width)}")
    return "\n".join(lines)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


def failure_report(outcome: Outcome, lines: int = 40) -> str:
    """The output of each failed step of ``outcome`` (its last ``lines`` lines)."""
    parts = []
    for step in outcome.steps:
        if not step.ok:
            tail = "\n".join(step.output.rstrip().splitlines()[-lines:])
            parts.append(f"--- {outcome.name}: {step.name} ({step.detail})\n{tail}")
    return "\n".join(parts)


# --------------------------------------------------------------------------- main


def write_spec(project: Path, spec: Json) -> None:
    (project / SPEC).write_text(json.dumps(spec, indent=2, ensure_ascii=False) + "\n", "utf-8")


class Drill:
    """Runs drill lines one after the other in one copy at ``work/project``."""

    def __init__(self, work: Path, spec: Json) -> None:
        self.project = work / "project"
        self.env = copy_env(self.project, work)
        self.spec = spec
        #: The unchanged copy's line, once it ran.
        self.baseline: Outcome | None = None

    def line(
        self, name: str, kind: str, label: str, mutations: Sequence[Mutation], plan: Plan
    ) -> Outcome:
        """A fresh copy with ``mutations`` applied to its spec, driven through ``plan``."""
        copy_project(ROOT, self.project)
        write_spec(self.project, mutated(self.spec, mutations))
        outcome = Outcome(name, kind, label)
        drive(self.project, self.env, outcome, mutations, plan)
        conclude(outcome, breaking=kind == BREAKING, baseline=self.baseline)
        mark = "ok  " if outcome.passed else "FAIL"
        print(f"{mark} {label}: {outcome.result} [{outcome.seconds:.1f} s]", flush=True)
        if not outcome.passed:
            print(failure_report(outcome), file=sys.stderr, flush=True)
        return outcome

    def run(self, chosen: Sequence[Mutation], *, full: bool) -> list[Outcome]:
        """The baseline, the combined additive line (first, so that its failed tests
        can be re-run per mutation) and one line per mutation; in report order."""
        suite = "full" if full else "none"
        self.baseline = self.line(
            "baseline", "-", "baseline (spec unchanged)", [], Plan(suite, True)
        )
        outcomes = [self.baseline]
        additive = [m for m in chosen if m.kind == ADDITIVE]
        combined = None
        if len(additive) > 1:
            label = f"combined: the {len(additive)} additive mutations at once"
            plan = Plan("full" if full else "quick", collect=True)
            combined = self.line("combined", ADDITIVE, label, additive, plan)
        for mutation in chosen:
            if full:
                plan = Plan("full")
            elif combined is None and mutation.kind == ADDITIVE:
                plan = Plan("quick", collect=mutation.collect)
            else:
                rerun = tuple(combined.failed_tests) if combined else ()
                plan = Plan(collect=mutation.collect, rerun=rerun)
            outcomes.append(
                self.line(mutation.name, mutation.kind, mutation.label, [mutation], plan)
            )
        if combined is not None:
            outcomes.append(combined)
        return outcomes


def exit_on_sigterm() -> None:
    """Turn SIGTERM (a cancelled CI job, a ``kill``) into ``SystemExit(143)``, so that the
    running step's process is killed and the temporary copy removed on the way out."""

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="the whole suite on every line")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="just these mutations")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--list", action="store_true", help="list the mutations and exit")
    args = parser.parse_args(argv)
    if args.list:
        for mutation in MUTATIONS:
            print(f"{mutation.name:22} {mutation.kind:9} {mutation.label}")
        return 0
    unknown = sorted(set(args.only or ()) - {m.name for m in MUTATIONS})
    if unknown:
        parser.error(f"unknown mutation(s): {', '.join(unknown)}")
    chosen = [m for m in MUTATIONS if not args.only or m.name in args.only]
    exit_on_sigterm()
    work = Path(tempfile.mkdtemp(prefix="kk-drill-"))
    mode = "the full suite on every line" if args.full else "quick tests on the combined line"
    print(f"drill: {len(chosen)} mutation(s), {mode}, in {work}", flush=True)
    started = time.monotonic()
    try:
        outcomes = Drill(work, json.loads((ROOT / SPEC).read_text("utf-8"))).run(
            chosen, full=args.full
        )
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print()
    print(render_table(outcomes))
    print(f"drill: {time.monotonic() - started:.1f} s wall time")
    return 0 if all(o.passed for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
