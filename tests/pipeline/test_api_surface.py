"""``tools/api_surface.py`` (``make check-api``): the committed snapshot is today's public API,
and the comparison calls each kind of change what it is for a pinned user.

Mutations are made to a copy of the described surface (plain dicts), not to the library.
"""

from __future__ import annotations

import copy
import functools
import importlib.util
import json
import sys
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from komfortkasse import AsyncKomfortkasse, Komfortkasse, LockError, PaymentStatus
from komfortkasse_generated.models import OrderRead
from tests.repo import ROOT


def _load_tool() -> Any:
    spec = importlib.util.spec_from_file_location("api_surface", ROOT / "tools" / "api_surface.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["api_surface"] = module
    spec.loader.exec_module(module)
    return module


api = _load_tool()
MODELS = "komfortkasse_generated.models"
ORDERS = "komfortkasse.Orders"  # the resource class behind Komfortkasse.orders (exported)


@pytest.fixture(scope="module")
def surface() -> dict[str, Any]:
    described: dict[str, Any] = api.describe()
    return described


def mutated(surface: dict[str, Any], change: Callable[[dict[str, Any]], object]) -> Any:
    """The comparison of ``surface`` (as the snapshot) with a changed copy of it."""
    new = copy.deepcopy(surface)
    change(new)
    return api.compare(surface, new)


def orders_get(surface: dict[str, Any]) -> dict[str, Any]:
    method: dict[str, Any] = surface["modules"]["komfortkasse"]["Orders"]["attributes"]["get"]
    return method


def param(method: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = next(p for p in method["params"] if p["name"] == name)
    return found


def model(surface: dict[str, Any], name: str) -> dict[str, Any]:
    entry: dict[str, Any] = surface["modules"][MODELS][name]
    return entry


def assert_breaking(diff: Any, *needles: str) -> str:
    text: str = api.report(diff)
    assert diff.breaking, text
    assert "MAJOR version bump" in text
    assert "make api-snapshot" in text
    for needle in needles:
        assert any(needle in line for line in diff.breaking), (needle, text)
    return text


def assert_addition_only(diff: Any, *needles: str) -> str:
    text: str = api.report(diff)
    assert not diff.breaking, text
    assert diff.additions
    assert "MAJOR" not in text
    assert "minor change" in text
    assert "make api-snapshot" in text
    for needle in needles:
        assert any(needle in line for line in diff.additions), (needle, text)
    return text


# ---------------------------------------------------------------- the snapshot


def test_committed_snapshot_is_todays_surface(surface: dict[str, Any]) -> None:
    snapshot_text = api.SNAPSHOT.read_text(encoding="utf-8")
    diff = api.compare(json.loads(snapshot_text), surface)
    assert not diff, api.report(diff)
    # Byte for byte what `make api-snapshot` writes: sorted, indented, deterministic.
    assert api.dumps(surface) == snapshot_text
    assert api.dumps(api.describe()) == snapshot_text
    assert " at 0x" not in snapshot_text


def test_surface_covers_the_exports_of_each_public_module(surface: dict[str, Any]) -> None:
    import komfortkasse
    import komfortkasse.callbacks
    import komfortkasse.testing
    import komfortkasse_generated.models

    for module in (komfortkasse, komfortkasse.callbacks, komfortkasse.testing):
        assert set(surface["modules"][module.__name__]) == set(module.__all__)
    assert set(surface["modules"][MODELS]) == set(komfortkasse_generated.models.__all__)
    # A class exported twice is described where it is defined, and re-exported elsewhere.
    assert surface["modules"]["komfortkasse"]["OrderRead"] == {
        "kind": "reexport",
        "of": f"{MODELS}.OrderRead",
    }


@pytest.mark.parametrize("client", [Komfortkasse, AsyncKomfortkasse])
@pytest.mark.parametrize("attribute", ["orders", "postings", "images"])
def test_resources_are_found_from_the_client_annotations(
    surface: dict[str, Any], client: type, attribute: str
) -> None:
    cls = typing.get_type_hints(client)[attribute]
    entry = surface["modules"]["komfortkasse"][cls.__name__]  # exported: described there
    public = {name for name in dir(cls) if not name.startswith("_")}
    assert public
    assert public <= set(entry["attributes"])
    client_entry = surface["modules"]["komfortkasse"][client.__name__]
    assert client_entry["attributes"][attribute] == {
        "kind": "attribute",
        "type": f"komfortkasse.{cls.__name__}",
    }


def test_signatures_fields_enums_and_bases_are_described(surface: dict[str, Any]) -> None:
    get = orders_get(surface)
    assert get["returns"] == "komfortkasse.OrderRead"
    assert param(get, "order_number") == {
        "name": "order_number",
        "kind": "positional or keyword",
        "type": "str",
    }
    assert param(get, "include_postings") == {
        "name": "include_postings",
        "kind": "keyword-only",
        "type": "bool",
        "default": "False",
    }
    async_get = surface["modules"]["komfortkasse"]["AsyncOrders"]["attributes"]["get"]
    assert async_get["async"] is True
    # Union members are sorted, so `str | None` and `None | str` read the same.
    init = surface["modules"]["komfortkasse"]["Komfortkasse"]["attributes"]["__init__"]
    assert param(init, "api_key")["type"] == "None | str"
    # A sentinel default is named, never printed with its address.
    with_options = surface["modules"]["komfortkasse"]["Komfortkasse"]["attributes"]["with_options"]
    assert param(with_options, "timeout")["default"] == "UNSET"

    fields = model(surface, "OrderRead")["fields"]
    assert fields.keys() == {field.name for field in __import__("attrs").fields(OrderRead)}
    assert fields["currency"] == {"type": "str", "required": True}
    assert fields["payment_status"]["required"] is False
    assert "komfortkasse.Unset" in fields["payment_status"]["type"]

    status = model(surface, "PaymentStatus")
    assert status["members"] == {member.name: member.value for member in PaymentStatus}

    lock = surface["modules"]["komfortkasse"]["LockError"]
    assert lock["bases"] == [
        f"komfortkasse.{base.__name__}"
        if base.__module__.startswith("komfortkasse")
        else base.__name__
        for base in LockError.__mro__[1:-1]
    ]


# ---------------------------------------------------------------- breaking changes


def test_removed_export_is_breaking(surface: dict[str, Any]) -> None:
    diff = mutated(surface, lambda s: s["modules"]["komfortkasse"].pop("money"))
    text = assert_breaking(diff, "komfortkasse.money: exported function removed")
    assert text.count("\n  - ") == 1


def test_removed_method_is_breaking(surface: dict[str, Any]) -> None:
    diff = mutated(
        surface, lambda s: s["modules"]["komfortkasse"]["Orders"]["attributes"].pop("set_paid")
    )
    assert_breaking(diff, f"{ORDERS}.set_paid: method removed")


def test_removed_resource_is_reported_once(surface: dict[str, Any]) -> None:
    def change(s: dict[str, Any]) -> None:
        del s["modules"]["komfortkasse"]["Komfortkasse"]["attributes"]["images"]

    diff = mutated(surface, change)
    assert_breaking(diff, "komfortkasse.Komfortkasse.images: attribute removed")
    assert len(diff.breaking) == 1


def test_resource_class_removed_behind_its_attribute_is_breaking(surface: dict[str, Any]) -> None:
    diff = mutated(surface, lambda s: s["modules"]["komfortkasse"].pop("Images"))
    assert any("komfortkasse.Images" in line for line in diff.breaking)


def test_field_type_change_is_breaking(surface: dict[str, Any]) -> None:
    def change(s: dict[str, Any]) -> None:
        model(s, "OrderRead")["fields"]["amount"]["type"] = "float"

    diff = mutated(surface, change)
    assert_breaking(
        diff, f"{MODELS}.OrderRead.amount: field type changed from decimal.Decimal to float"
    )
    # Described once (at its definition), so reported once, not also as komfortkasse.OrderRead.
    assert len(diff.breaking) == 1


def test_removed_field_and_required_field_added_are_breaking(surface: dict[str, Any]) -> None:
    def change(s: dict[str, Any]) -> None:
        fields = model(s, "OrderWrite")["fields"]
        del fields["currency"]
        fields["shop_id"] = {"type": "str", "required": True}

    diff = mutated(surface, change)
    assert_breaking(
        diff,
        f"{MODELS}.OrderWrite.currency: field removed",
        f"{MODELS}.OrderWrite.shop_id: required field added (str)",
    )


def test_renamed_parameter_is_breaking(surface: dict[str, Any]) -> None:
    def change(s: dict[str, Any]) -> None:
        param(orders_get(s), "order_number")["name"] = "number"

    diff = mutated(surface, change)
    assert_breaking(diff, f"{ORDERS}.get: parameter 'order_number' renamed to 'number'")
    assert len(diff.breaking) == 1


def test_parameter_type_default_and_kind_changes_are_breaking(surface: dict[str, Any]) -> None:
    def change(s: dict[str, Any]) -> None:
        get = orders_get(s)
        param(get, "include_refunds")["type"] = "int"
        param(get, "include_postings")["default"] = "True"
        param(get, "order_number")["kind"] = "keyword-only"
        del param(get, "include_collection_history")["default"]

    diff = mutated(surface, change)
    assert_breaking(
        diff,
        "parameter 'include_refunds': type changed from bool to int",
        "parameter 'include_postings': default changed from False to True",
        "parameter 'order_number': kind changed from positional or keyword to keyword-only",
        "parameter 'include_collection_history': default False removed (now required)",
    )
    assert len(diff.breaking) == 4


def test_signature_shape_changes_are_breaking(surface: dict[str, Any]) -> None:
    def change(s: dict[str, Any]) -> None:
        get = orders_get(s)
        get["returns"] = "komfortkasse.OrderWrite"
        get["async"] = True
        get["params"].insert(0, {"name": "shop", "kind": "positional or keyword", "type": "str"})
        get["params"].append({"name": "extra", "kind": "keyword-only", "type": "int"})
        params = s["modules"]["komfortkasse"]["money"]["params"]
        params[0], params[1] = params[1], params[0]

    diff = mutated(surface, change)
    assert_breaking(
        diff,
        f"{ORDERS}.get: return type changed from komfortkasse.OrderRead to komfortkasse.OrderWrite",
        f"{ORDERS}.get: now async",
        "new required parameter 'shop'",
        "new required parameter 'extra'",
    )


def test_positional_reorder_is_breaking(surface: dict[str, Any]) -> None:
    def change(s: dict[str, Any]) -> None:
        params = s["modules"]["komfortkasse"]["Komfortkasse"]["attributes"]["__exit__"]["params"]
        params[0], params[1] = params[1], params[0]

    diff = mutated(surface, change)
    assert_breaking(diff, "komfortkasse.Komfortkasse.__exit__: order of positional parameters")


def test_removed_enum_member_and_changed_value_are_breaking(surface: dict[str, Any]) -> None:
    def change(s: dict[str, Any]) -> None:
        members = model(s, "PaymentStatus")["members"]
        del members["LEGACY"]
        members["PAID"] = "paid"

    diff = mutated(surface, change)
    assert_breaking(
        diff,
        f"{MODELS}.PaymentStatus.LEGACY: enum member removed",
        f"{MODELS}.PaymentStatus.PAID: enum value changed from PAID to paid",
    )


def test_exception_hierarchy_change_is_breaking(surface: dict[str, Any]) -> None:
    def change(s: dict[str, Any]) -> None:
        s["modules"]["komfortkasse"]["LockError"]["bases"].remove("komfortkasse.BadRequestError")

    diff = mutated(surface, change)
    assert_breaking(
        diff, "komfortkasse.LockError: no longer a subclass of komfortkasse.BadRequestError"
    )


def test_kind_and_property_changes_are_breaking(surface: dict[str, Any]) -> None:
    def change(s: dict[str, Any]) -> None:
        attributes = s["modules"]["komfortkasse"]["Komfortkasse"]["attributes"]
        attributes["base_url"] = {"kind": "method", "params": [], "returns": "str"}
        attributes["retry"]["type"] = "Any"

    diff = mutated(surface, change)
    assert_breaking(
        diff,
        "komfortkasse.Komfortkasse.base_url: was a property, now a method",
        "komfortkasse.Komfortkasse.retry: type changed from komfortkasse.RetryPolicy to Any",
    )


# ---------------------------------------------------------------- additions


def test_new_export_asks_for_a_snapshot_update(surface: dict[str, Any]) -> None:
    def change(s: dict[str, Any]) -> None:
        s["modules"]["komfortkasse"]["SHOP_LIMIT"] = {
            "kind": "constant",
            "type": "str",
            "value": "2.0.0",
        }

    assert_addition_only(
        mutated(surface, change), "komfortkasse.SHOP_LIMIT: exported constant added"
    )


def test_additions_are_minor(surface: dict[str, Any]) -> None:
    def change(s: dict[str, Any]) -> None:
        get = orders_get(s)
        get["params"].append(
            {"name": "include_items", "kind": "keyword-only", "type": "bool", "default": "False"}
        )
        model(s, "OrderRead")["fields"]["shop_note"] = {
            "type": "komfortkasse.Unset | str",
            "required": False,
        }
        model(s, "PaymentStatus")["members"]["ON_HOLD"] = "ON_HOLD"
        s["modules"]["komfortkasse"]["Orders"]["attributes"]["archive"] = {
            "kind": "method",
            "params": [],
            "returns": "None",
        }
        s["modules"]["komfortkasse"]["LockError"]["bases"].insert(0, "komfortkasse.RetryableError")

    text = assert_addition_only(
        mutated(surface, change),
        f"{ORDERS}.get: new optional parameter 'include_items'",
        f"{MODELS}.OrderRead.shop_note: optional field added (komfortkasse.Unset | str)",
        f"{MODELS}.PaymentStatus.ON_HOLD: enum member added (value ON_HOLD)",
        f"{ORDERS}.archive: method added",
        "komfortkasse.LockError: now also a subclass of komfortkasse.RetryableError",
    )
    assert text.count("\n  - ") == 5


def test_widening_changes_are_minor(surface: dict[str, Any]) -> None:
    def change(s: dict[str, Any]) -> None:
        get = orders_get(s)
        param(get, "include_postings")["kind"] = "positional or keyword"  # still by keyword
        model(s, "OrderRead")["fields"]["currency"]["required"] = False

    assert_addition_only(
        mutated(surface, change),
        "kind changed from keyword-only to positional or keyword",
        f"{MODELS}.OrderRead.currency: field is now optional",
    )


def test_a_parameter_accepting_more_is_minor_but_a_field_or_return_is_not(
    surface: dict[str, Any],
) -> None:
    def widen(s: dict[str, Any]) -> None:
        parse = s["modules"]["komfortkasse.callbacks"]["parse"]
        param(parse, "body")["type"] += " | memoryview[int]"
        param(orders_get(s), "order_number")["type"] = "int | str"

    text = assert_addition_only(
        mutated(surface, widen),
        "parameter 'body': type changed from bytes to bytes | memoryview[int] (accepts more)",
        "parameter 'order_number': type changed from str to int | str (accepts more)",
    )
    assert text.count("\n  - ") == 2

    def narrow_or_widen_elsewhere(s: dict[str, Any]) -> None:
        param(orders_get(s), "include_postings")["type"] = "None"  # narrowed: not a superset
        orders_get(s)["returns"] += " | None"
        model(s, "OrderRead")["fields"]["currency"]["type"] = "int | str"

    assert_breaking(
        mutated(surface, narrow_or_widen_elsewhere),
        "parameter 'include_postings': type changed from bool to None",
        f"{ORDERS}.get: return type changed",
        f"{MODELS}.OrderRead.currency: field type changed from str to int | str",
    )
    assert api._union_members("a | b[c | d] | e") == {"a", "b[c | d]", "e"}


# ---------------------------------------------------------------- the report


def test_report_lists_every_difference_on_its_own_line(surface: dict[str, Any]) -> None:
    def change(s: dict[str, Any]) -> None:
        s["modules"]["komfortkasse"].pop("to_decimal")
        s["modules"]["komfortkasse.callbacks"].pop("parse")
        del model(s, "ImageType")["members"]["QRCODE"]
        model(s, "Posting")["fields"]["note"] = {"type": "str", "required": False}
        s["modules"]["komfortkasse.testing"]["NewHelper"] = {"kind": "function", "params": []}

    diff = mutated(surface, change)
    text = api.report(diff)
    lines = text.splitlines()
    items = [line for line in lines if line.startswith("  - ")]
    assert len(items) == len(diff.breaking) + len(diff.additions) == 5
    assert lines[0].startswith("API check FAILED: 3 breaking change(s)")
    assert "MAJOR version bump" in lines[0]
    minor_header = next(line for line in lines if "addition(s)" in line)
    assert minor_header.startswith("API check: 2 addition(s)")
    assert "make api-snapshot" in minor_header


def test_no_difference_is_empty(surface: dict[str, Any]) -> None:
    diff = api.compare(surface, copy.deepcopy(surface))
    assert not diff
    assert api.report(diff) == ""


def test_main_writes_and_checks_a_snapshot(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    snapshot = tmp_path / "api" / "public-api.json"
    assert api.main(["--snapshot", str(snapshot)]) == 1
    assert "no snapshot" in capsys.readouterr().err

    assert api.main(["--write", "--snapshot", str(snapshot)]) == 0
    assert snapshot.read_text(encoding="utf-8") == api.SNAPSHOT.read_text(encoding="utf-8")
    capsys.readouterr()

    assert api.main(["--snapshot", str(snapshot)]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1
    assert out[0].startswith("API check OK")

    current = json.loads(snapshot.read_text(encoding="utf-8"))
    stale = copy.deepcopy(current)
    stale["modules"]["komfortkasse"]["removed_helper"] = {"kind": "function", "params": []}
    snapshot.write_text(api.dumps(stale), encoding="utf-8")
    assert api.main(["--snapshot", str(snapshot)]) == 1
    err = capsys.readouterr().err
    assert "komfortkasse.removed_helper: exported function removed" in err
    assert "MAJOR" in err

    # Additions only: a distinct exit status, so a drill can tell "stale" from "breaking".
    del current["modules"]["komfortkasse"]["money"]
    snapshot.write_text(api.dumps(current), encoding="utf-8")
    assert api.main(["--snapshot", str(snapshot)]) == api.EXIT_ADDITIONS == 3
    err = capsys.readouterr().err
    assert "komfortkasse.money: exported function added" in err
    assert "MAJOR" not in err


def test_type_and_value_spelling_is_normalised() -> None:
    describer = api._Describer()
    spell = describer.type_str
    assert spell(int | None) == spell(typing.Optional[int]) == "None | int"  # noqa: UP045
    assert spell(str | int) == spell(int | str)
    assert spell(list[OrderRead]) == "list[komfortkasse.OrderRead]"
    assert spell(typing.Literal["b", "a"]) == "Literal['a', 'b']"
    assert spell(typing.Annotated[int, "meta"]) == "int"
    assert spell("NotResolvable") == "NotResolvable"
    sentinel = object()
    assert describer.value_str(sentinel, [{"_MISSING": sentinel}]) == "_MISSING"
    assert describer.value_str(object(), [{}]) == "<object instance>"
    assert describer.value_str(frozenset({"b", "a"}), [{}]) == "frozenset({'a', 'b'})"
    assert describer.value_str(PaymentStatus.PAID, [{}]) == "komfortkasse.PaymentStatus.PAID"


_MISSING = object()


class _Sample:
    """Every kind of member the describer distinguishes."""

    limit: int = 3

    def __init__(self, size: int, *, mode: str = "fast", sentinel: object = _MISSING) -> None:
        self.size = size

    @property
    def name(self) -> str:
        return "sample"

    @name.setter
    def name(self, value: str) -> None:
        del value

    @functools.cached_property
    def total(self) -> int:
        return self.size

    @staticmethod
    def build(size: int) -> _Sample:
        return _Sample(size)

    @classmethod
    def make(cls, size: int = 1) -> _Sample:
        return cls(size)

    async def fetch(self, *keys: str, **options: int) -> list[str]:
        return list(keys)

    scaled = functools.partial(int, base=10)

    def _private(self) -> None: ...


def test_each_kind_of_member_is_described(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(api, "OUR_PACKAGES", api.OUR_PACKAGES | {__name__.split(".")[0]})
    entry = api._Describer().describe_class(_Sample)
    members = entry["attributes"]
    assert set(members) == {
        "__init__",
        "build",
        "fetch",
        "limit",
        "make",
        "name",
        "scaled",
        "total",
    }
    assert members["__init__"]["params"] == [
        {"name": "size", "kind": "positional or keyword", "type": "int"},
        {"name": "mode", "kind": "keyword-only", "type": "str", "default": "'fast'"},
        {"name": "sentinel", "kind": "keyword-only", "type": "object", "default": "_MISSING"},
    ]
    assert members["name"] == {"kind": "property", "type": "str", "settable": True}
    assert members["total"] == {"kind": "property", "type": "int"}
    assert members["build"]["kind"] == "staticmethod"
    assert members["build"]["params"][0]["name"] == "size"
    assert members["make"]["kind"] == "classmethod"
    assert [p["name"] for p in members["make"]["params"]] == ["size"]
    assert members["fetch"]["async"] is True
    assert [p["kind"] for p in members["fetch"]["params"]] == [
        "variadic positional",
        "variadic keyword",
    ]
    assert members["scaled"]["kind"] == "method"
    assert members["limit"] == {"kind": "attribute", "type": "int"}
    assert entry["bases"] == []


# ---------------------------------------------------------------- overloads


def orders_submit_many(surface: dict[str, Any]) -> dict[str, Any]:
    method: dict[str, Any] = surface["modules"]["komfortkasse"]["Orders"]["attributes"][
        "submit_many"
    ]
    return method


def test_overloads_are_described_as_a_type_checker_sees_them(surface: dict[str, Any]) -> None:
    overloads = orders_submit_many(surface)["overloads"]
    assert [o["returns"] for o in overloads] == [
        "list[komfortkasse.OrderRead]",
        "list[komfortkasse.OrderAck]",
        "list[komfortkasse.OrderAck] | list[komfortkasse.OrderRead]",  # sorted
    ]
    assert param(overloads[1], "acknowledge_only")["type"] == "Literal[True]"


def test_an_overload_that_keeps_the_old_signature_is_an_addition(surface: dict[str, Any]) -> None:
    """The old plain signature is met by the first overload: old calls type-check alike."""
    old = copy.deepcopy(surface)
    plain = orders_submit_many(old)
    first = plain["overloads"][0]
    plain["params"] = [p for p in first["params"] if p["name"] != "acknowledge_only"]
    plain["returns"] = first["returns"]
    del plain["overloads"]
    diff = api.compare(old, surface)
    assert_addition_only(diff, "submit_many: 2 new overload(s)", "new optional parameter")


def test_overloads_none_of_which_keeps_the_old_signature_are_breaking(
    surface: dict[str, Any],
) -> None:
    def change(s: dict[str, Any]) -> None:
        for overload in orders_submit_many(s)["overloads"]:
            overload["returns"] = "int"

    diff = mutated(surface, change)
    assert_breaking(
        diff, "submit_many: return type changed from list[komfortkasse.OrderRead] to int"
    )


def test_a_type_argument_loosened_to_any_accepts_more_and_a_parameterised_return_refines() -> None:
    assert api._widens("list[komfortkasse.OrderRead]", "list[Any]")
    assert not api._widens("list[Any]", "list[komfortkasse.OrderRead]")
    assert not api._widens("dict[str, int]", "list[Any]")
    assert api._refines("komfortkasse._bulk.Stream", "komfortkasse._bulk.Stream[komfortkasse.X]")
    assert not api._refines("komfortkasse._bulk.Stream", "komfortkasse._bulk.StreamOther")
