"""The generation pipeline: normalisation rules, the generated package, the spec-change drill."""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
import typing
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import pytest
import referencing
import yaml
from openapi_python_client.config import ConfigFile
from openapi_spec_validator import OpenAPIV31SpecValidator

from komfortkasse_generated import models
from komfortkasse_generated._wire import WireError
from komfortkasse_generated.types import Unset
from tests.repo import ROOT, SPEC_PATH

sys.path.insert(0, str(ROOT / "codegen"))
import normalize as norm

ORIGINAL: dict[str, Any] = json.loads(SPEC_PATH.read_text("utf-8"))
DERIVED = norm.normalize(ORIGINAL)


def schema_validator(spec: dict[str, Any], name: str) -> jsonschema.Draft202012Validator:
    """A JSON-Schema validator for one component schema, $refs resolved within the spec."""
    resource = referencing.Resource.from_contents(
        spec, default_specification=referencing.jsonschema.DRAFT202012
    )
    registry = referencing.Registry().with_resource("urn:spec", resource)
    return jsonschema.Draft202012Validator(
        {"$ref": f"urn:spec#/components/schemas/{name}"}, registry=registry
    )


# --- the derived spec -----------------------------------------------------------------


def test_vendored_spec_is_the_upstream_file_verbatim() -> None:
    upstream = ROOT.parent / "shared" / "spec" / "komfortkasse-v2.openapi.json"
    if not upstream.exists():
        pytest.skip("upstream shared/ folder not beside this checkout")
    assert SPEC_PATH.read_bytes() == upstream.read_bytes()


def test_generated_package_ships_the_verbatim_spec() -> None:
    shipped = Path(models.__file__).parent.parent / "openapi.json"
    assert shipped.read_bytes() == SPEC_PATH.read_bytes()


def test_derived_spec_is_valid_openapi_3_1() -> None:
    OpenAPIV31SpecValidator(DERIVED).validate()
    assert DERIVED["openapi"].startswith("3.1")


def test_normalize_leaves_its_input_untouched_and_is_idempotent() -> None:
    before = json.dumps(ORIGINAL, sort_keys=True)
    once = norm.normalize(ORIGINAL)
    assert json.dumps(ORIGINAL, sort_keys=True) == before
    assert norm.normalize(once) == once
    assert norm.dumps(once) == norm.dumps(norm.normalize(ORIGINAL))


def test_rule_address_any_of_moves_into_all_of() -> None:
    original = ORIGINAL["components"]["schemas"]["Address"]
    derived = DERIVED["components"]["schemas"]["Address"]
    assert "anyOf" in original
    assert "anyOf" not in derived
    assert {"anyOf": original["anyOf"]} in derived["allOf"]


ADDRESSES: list[dict[str, Any]] = [
    {"countryCode": "DE", "lastName": "Muster"},
    {"countryCode": "DE", "company": "ACME"},
    {"countryCode": "DE", "lastName": "Muster", "company": "ACME"},
    {"countryCode": "DE", "firstName": "Max"},
    {"countryCode": "DE"},
    {"lastName": "Muster"},
    {},
    {"countryCode": "AT", "lastName": 5},
    {"countryCode": "AT", "company": "X", "gender": "male"},
]


@pytest.mark.parametrize("address", ADDRESSES)
def test_address_rule_means_the_same_to_a_json_schema_validator(address: dict[str, Any]) -> None:
    original = schema_validator(ORIGINAL, "Address").is_valid(address)
    derived = schema_validator(DERIVED, "Address").is_valid(address)
    assert original == derived


def test_address_rule_is_enforced_by_the_derived_schema() -> None:
    validator = schema_validator(DERIVED, "Address")
    assert validator.is_valid({"countryCode": "DE", "company": "ACME"})
    assert not validator.is_valid({"countryCode": "DE", "firstName": "Max"})


def test_order_examples_validate_the_same_under_both_specs() -> None:
    for path_item in ORIGINAL["paths"].values():
        for operation in path_item.values():
            if not isinstance(operation, dict):
                continue
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body and "$ref" in body["schema"]:
                name = body["schema"]["$ref"].rsplit("/", 1)[1]
                example = body["example"]
                assert schema_validator(ORIGINAL, name).is_valid(example)
                assert schema_validator(DERIVED, name).is_valid(example)
                required = ORIGINAL["components"]["schemas"][name]["required"][0]
                broken = {k: v for k, v in example.items() if k != required}
                assert not schema_validator(DERIVED, name).is_valid(broken)


def test_rule_dates_get_format_date() -> None:
    schemas = DERIVED["components"]["schemas"]
    expected = {
        ("OrderWrite", "date"),
        ("OrderWrite", "dueDate"),
        ("Posting", "postingDate"),
        ("Posting", "valuationDate"),
        ("Refund", "plannedDate"),
        ("OrderReminder", "date"),
    }
    for schema, prop in expected:
        assert schemas[schema]["properties"][prop]["format"] == "date", (schema, prop)
    refund_read_extra = schemas["RefundRead"]["allOf"][1]["properties"]
    assert refund_read_extra["executionDate"]["format"] == "date"
    # A timestamp is not a date and is left alone.
    assert "format" not in schemas["OrderCollectionHistory"]["properties"]["timestamp"]
    params = {
        p["name"]: p["schema"]
        for path in ("/orders", "/postings")
        for p in DERIVED["paths"][path]["get"]["parameters"]
        if "name" in p
    }
    assert params["minPostingDate"]["format"] == "date"
    assert params["createdMin"]["format"] == "date"
    assert params["createdMax"]["format"] == "date"
    assert "format" not in params["maxAge"]


def test_rule_dates_become_datetime_date_in_wire_format() -> None:
    refund = models.Refund.from_dict(
        {"externalReference": "R1", "amount": 1.5, "currency": "EUR", "plannedDate": "01-05-2018"}
    )
    assert refund.planned_date == datetime.date(2018, 5, 1)
    assert refund.to_dict()["plannedDate"] == "01-05-2018"


def test_malformed_date_from_server_names_the_field() -> None:
    with pytest.raises(WireError, match="plannedDate") as caught:
        models.Refund.from_dict(
            {
                "externalReference": "R1",
                "amount": 1,
                "currency": "EUR",
                "plannedDate": "2018-05-01",
            }
        )
    assert (caught.value.wire_path, caught.value.python_path) == ("plannedDate", "planned_date")
    assert isinstance(caught.value, ValueError)


def test_rule_documented_nulls_become_nullable() -> None:
    extra = DERIVED["components"]["schemas"]["RefundRead"]["allOf"][1]["properties"]
    assert extra["executionDate"]["type"] == ["string", "null"]
    read = models.RefundRead.from_dict(
        {
            "externalReference": "R1",
            "amount": 1,
            "currency": "EUR",
            "plannedDate": "01-05-2018",
            "executionDate": None,
        }
    )
    assert read.execution_date is None
    done = models.RefundRead.from_dict({**read.to_dict(), "executionDate": "03-05-2018"})
    assert done.execution_date == datetime.date(2018, 5, 3)


def test_rule_inline_enum_is_hoisted_under_its_generated_name() -> None:
    schemas = DERIVED["components"]["schemas"]
    assert schemas["AddressGender"]["enum"] == ["male", "female", "company", "unknown"]
    gender = schemas["Address"]["properties"]["gender"]
    assert gender["$ref"] == "#/components/schemas/AddressGender"


def test_enums_in_models_are_open_by_the_model_template() -> None:
    """The spec keeps its enums closed; the model template types each enum field
    ``Enum | str`` and keeps an unknown value as the string it came as."""
    hints = typing.get_type_hints(models.OrderRead)
    assert hints["payment_status"] == models.PaymentStatus | str | Unset
    assert hints["type_"] == models.OrderType | str
    assert typing.get_type_hints(models.Address)["gender"] == (models.AddressGender | str | Unset)
    # The query parameter of GET /image stays a closed enum: it is only ever sent.
    image_param = DERIVED["paths"]["/image/{orderNumber}"]["get"]["parameters"][0]
    assert image_param["schema"] == {"$ref": "#/components/schemas/ImageType"}


def test_rule_read_only_fields_are_annotated_for_the_template() -> None:
    order_read = DERIVED["components"]["schemas"]["OrderRead"]
    assert "paymentStatus" in order_read["x-komfortkasse-read-only"]
    assert "number" not in order_read["x-komfortkasse-read-only"]
    assert models.OrderRead.__read_only__ == frozenset(order_read["x-komfortkasse-read-only"])
    assert models.OrderWrite.__read_only__ == frozenset()


MINIMAL_ORDER: dict[str, Any] = {
    "number": "1",
    "date": "25-04-2018",
    "type": "INVOICE",
    "amount": 22.38,
    "currency": "EUR",
    "billing": {"lastName": "Muster", "countryCode": "DE"},
}


def test_unknown_enum_values_in_a_response_parse() -> None:
    order = models.OrderRead.from_dict(
        {
            **MINIMAL_ORDER,
            "type": "CRYPTO",
            "paymentStatus": "SOMETHING_NEW",
            "billing": {"lastName": "M", "countryCode": "DE", "gender": "diverse"},
            "refunds": [
                {
                    "externalReference": "R",
                    "amount": 1,
                    "currency": "EUR",
                    "plannedDate": "01-05-2018",
                    "status": "ON_HOLD",
                }
            ],
        }
    )
    assert order.payment_status == "SOMETHING_NEW"
    assert order.type_ == "CRYPTO"
    assert isinstance(order.billing, models.Address)
    assert order.billing.gender == "diverse"
    assert not isinstance(order.refunds, Unset)
    assert order.refunds[0].status == "ON_HOLD"
    image = models.Image.from_dict({"type": "HOLOGRAM", "format": "webp", "data": ""})
    assert (image.type_, image.format_) == ("HOLOGRAM", "webp")
    # Known values still come out as enum members.
    known = models.OrderRead.from_dict({**MINIMAL_ORDER, "paymentStatus": "PAID"})
    assert known.payment_status is models.PaymentStatus.PAID


def test_unknown_fields_are_kept() -> None:
    order = models.OrderRead.from_dict({**MINIMAL_ORDER, "loyaltyPoints": 12})
    assert order.additional_properties == {"loyaltyPoints": 12}


# --- the generated package is typed ---------------------------------------------------


def _hints(cls: type) -> dict[str, Any]:
    """Resolve a model's annotations; TYPE_CHECKING-only imports come from ``models``."""
    namespace = {**vars(models), **vars(sys.modules[cls.__module__])}
    return typing.get_type_hints(cls, globalns=namespace)


def _model_classes() -> list[type]:
    return [
        cls
        for name in models.__all__
        if attrs.has(cls := getattr(models, name)) and isinstance(cls, type)
    ]


def test_every_component_schema_has_a_generated_class() -> None:
    names = set(models.__all__)
    for schema in ORIGINAL["components"]["schemas"]:
        assert schema in names, schema
    assert "Address" in names


def test_no_generated_model_field_is_any() -> None:
    classes = _model_classes()
    assert len(classes) >= 15
    offenders = []
    for cls in classes:
        hints = _hints(cls)
        for field in attrs.fields(cls):
            if field.name == "additional_properties":
                continue  # unknown fields from the server: Any by design
            if _contains_any(hints[field.name]):
                offenders.append(f"{cls.__name__}.{field.name}")
    assert offenders == []


def _contains_any(hint: object) -> bool:
    if hint is Any:
        return True
    return any(_contains_any(arg) for arg in typing.get_args(hint))


def test_billing_and_shipping_are_typed_addresses() -> None:
    hints = _hints(models.OrderWrite)
    assert hints["billing"] is models.Address
    assert set(typing.get_args(hints["shipping"])) == {models.Address, Unset}
    for name in ("date", "due_date"):
        assert datetime.date in {hints[name], *typing.get_args(hints[name])}


# --- the generator set-up -------------------------------------------------------------


def test_generator_config_uses_only_known_keys() -> None:
    config = yaml.safe_load((ROOT / "generator-config.yaml").read_text("utf-8"))
    unknown = set(config) - set(ConfigFile.model_fields)
    assert unknown == set()
    assert all("--isolated" in hook and "--no-cache" in hook for hook in config["post_hooks"])


def test_tool_pins_are_exact() -> None:
    text = (ROOT / "pyproject.toml").read_text("utf-8")
    assert '"openapi-python-client==0.29.1"' in text
    assert '"ruff==0.17.5"' in text


def _generate(spec: dict[str, Any], tmp_path: Path, name: str) -> subprocess.CompletedProcess[str]:
    spec_file = tmp_path / f"{name}.json"
    spec_file.write_text(json.dumps(spec), "utf-8")
    return subprocess.run(
        [
            sys.executable,
            str(ROOT / "codegen" / "generate.py"),
            "--spec",
            str(spec_file),
            "--out",
            str(tmp_path / name),
        ],
        capture_output=True,
        text=True,
        check=False,
    )


def test_generation_fails_on_a_generator_warning(tmp_path: Path) -> None:
    spec = json.loads(json.dumps(ORIGINAL))
    body = spec["paths"]["/ordersync"]["post"]["requestBody"]
    body["content"] = {"application/x-unheard-of": body["content"]["application/json"]}
    result = _generate(spec, tmp_path, "warned")
    assert result.returncode != 0
    assert "openapi-python-client failed" in result.stderr


DRILL_CHECK = """
import datetime, komfortkasse_generated, komfortkasse
from komfortkasse_generated.models import OrderRead, PaymentStatus
assert komfortkasse_generated.__file__.startswith({out!r}), komfortkasse_generated.__file__
from komfortkasse_generated.api.single_order import get_order_history
order = OrderRead.from_dict({{
    "number": "1", "date": "25-04-2018", "type": "INVOICE", "amount": 22.38, "currency": "EUR",
    "billing": {{"lastName": "M", "countryCode": "DE"}},
    "paymentStatus": "ON_HOLD", "loyaltyTier": "gold", "shippedDate": "02-05-2018",
}})
assert order.payment_status is PaymentStatus.ON_HOLD
assert order.loyalty_tier == "gold"
assert order.shipped_date == datetime.date(2018, 5, 2)
print("drill ok", komfortkasse.OrderRead is OrderRead)
"""


def test_spec_change_drill(tmp_path: Path) -> None:
    """A realistic upstream change regenerates and imports with no hand-written change."""
    spec = json.loads(json.dumps(ORIGINAL))
    schemas = spec["components"]["schemas"]
    schemas["OrderRead"]["allOf"][1]["properties"]["loyaltyTier"] = {
        "type": "string",
        "description": "New optional field.",
    }
    schemas["OrderRead"]["allOf"][1]["properties"]["shippedDate"] = {
        "type": "string",
        "description": "Date the order shipped. Format: `dd-MM-yyyy`.",
    }
    schemas["PaymentStatus"]["enum"].append("ON_HOLD")
    spec["paths"]["/order/{orderNumber}/history"] = {
        "parameters": spec["paths"]["/order/{orderNumber}"]["parameters"],
        "get": {
            "operationId": "getOrderHistory",
            "tags": ["Single Order"],
            "summary": "Order history",
            "responses": {
                "200": {
                    "description": "History.",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "array",
                                "items": {"$ref": "#/components/schemas/OrderCollectionHistory"},
                            }
                        }
                    },
                }
            },
        },
    }
    result = _generate(spec, tmp_path, "drill")
    assert result.returncode == 0, result.stderr
    out = str(tmp_path / "drill")
    check = subprocess.run(
        [sys.executable, "-c", DRILL_CHECK.format(out=out)],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": out, "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert check.returncode == 0, check.stderr
    assert "drill ok True" in check.stdout


def test_generation_is_byte_for_byte_reproducible(tmp_path: Path) -> None:
    first = _generate(ORIGINAL, tmp_path, "one")
    second = _generate(ORIGINAL, tmp_path, "two")
    assert first.returncode == second.returncode == 0

    def snapshot(base: Path) -> dict[str, bytes]:
        return {
            str(p.relative_to(base)): p.read_bytes()
            for p in sorted(base.rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts
        }

    one = snapshot(tmp_path / "one")
    assert one == snapshot(tmp_path / "two")
    committed = snapshot(ROOT / "generated")
    assert {k: v for k, v in one.items() if k != "komfortkasse_generated/openapi.json"} == {
        k: v for k, v in committed.items() if k != "komfortkasse_generated/openapi.json"
    }


def test_date_rule_reports_what_it_marked_and_its_near_misses(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    marked, near = norm.date_report(ORIGINAL)
    assert "OrderWrite.dueDate" in marked
    assert "parameter:minPostingDate" in marked
    assert any(
        line.startswith("OrderCollectionHistory.timestamp (documents a time") for line in near
    )
    spec = json.loads(json.dumps(ORIGINAL))
    props = spec["components"]["schemas"]["Posting"]["properties"]
    props["bookedAt"] = {"type": "string", "description": "Format: `dd-MM-yyyy HH:mm:ss`."}
    props["valueDay"] = {"type": "string", "description": "The day. Format: `dd-MM-yyyy`."}
    props["updateDate"] = {"type": "string", "description": "Timestamp of the update."}
    derived = norm.normalize(spec)["components"]["schemas"]["Posting"]["properties"]
    assert "format" not in derived["bookedAt"]
    assert derived["valueDay"]["format"] == "date"
    assert "format" not in derived["updateDate"]
    monkeypatch.setitem(norm.DATE_OVERRIDES, "Posting.updateDate", True)
    assert (
        norm.normalize(spec)["components"]["schemas"]["Posting"]["properties"]["updateDate"][
            "format"
        ]
        == "date"
    )
    assert "Posting.updateDate" in norm.date_report(spec)[0]


def test_make_generate_prints_the_date_report(tmp_path: Path) -> None:
    result = _generate(ORIGINAL, tmp_path, "report")
    assert result.returncode == 0, result.stderr
    marked, near = norm.date_report(ORIGINAL)
    assert f"dates ({len(marked)}): {', '.join(marked)}" in result.stdout
    assert f"near misses ({len(near)}): {'; '.join(near)}" in result.stdout


def test_the_error_table_is_read_from_the_spec() -> None:
    sys.path.insert(0, str(ROOT / "codegen"))
    import error_table

    rows = error_table.error_rows(ORIGINAL)
    assert rows[0] == (401, "Authentication header not present", rows[0][2])
    assert (400, "Missing parameter {name}") in [(s, t) for s, t, _ in rows]
    assert (404, "Order '{n}' not found") in [(s, t) for s, t, _ in rows]
    # "a / b" rows become two rows with the same meaning.
    assert [t for s, t, _ in rows if t.startswith("Parameter date")][:1] == [
        "Parameter date is not valid"
    ]
    assert (400, "Parameter dueDate is not valid") in [(s, t) for s, t, _ in rows]
    spec = json.loads(json.dumps(ORIGINAL))
    spec["info"]["description"] = spec["info"]["description"].replace(
        "| `404`  | `Order '<n>' not found`",
        "| `400`  | `Invoice <invoiceNumber> already uploaded` | Upload once. |\n"
        "| `404`  | `Order '<n>' not found`",
    )
    added = error_table.error_rows(spec)
    assert (400, "Invoice {invoiceNumber} already uploaded", "Upload once.") in added
    assert len(added) == len(rows) + 1
    namespace: dict[str, Any] = {}
    exec(error_table.render(added, "2.1.0"), namespace)
    assert namespace["ERRORS"] == tuple(added)
    from komfortkasse_generated.error_table import ERRORS

    assert list(ERRORS) == rows
