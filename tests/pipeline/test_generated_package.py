"""The generated package stands on its own: it imports nothing hand-written and only the
standard library at run time (msgspec only if installed), the pinned generator still offers
what our templates use, and a spec change reaches the models with no hand edit (or fails
generation loudly)."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

from komfortkasse_generated import _wire
from tests.repo import GENERATED, ROOT, spec


def _imports(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
    return found


def test_nothing_in_the_generated_package_imports_the_hand_written_one() -> None:
    for path in GENERATED.rglob("*.py"):
        for module in _imports(ast.parse(path.read_text("utf-8"))):
            assert module != "komfortkasse", path
            assert not module.startswith("komfortkasse."), path


def test_models_import_at_module_level_only() -> None:
    for path in (GENERATED / "models").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.FunctionDef):
                inner = [n for n in ast.walk(node) if isinstance(n, ast.Import | ast.ImportFrom)]
                assert not inner, f"{path.name}: import inside {node.name}()"


def test_the_runtime_uses_the_standard_library_only() -> None:
    """...and msgspec where it is installed (the speedups extra), never required."""
    allowed = {"datetime", "json", "re", "secrets", "collections.abc", "decimal", "typing"}
    tree = ast.parse((GENERATED / "_wire.py").read_text("utf-8"))
    assert set(_imports(tree)) - {"__future__", "msgspec"} <= allowed
    guarded = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Try)
        and any(
            isinstance(handler.type, ast.Name) and handler.type.id == "ImportError"
            for handler in node.handlers
        )
    ]
    optional = [name for node in guarded for name in _imports(ast.Module(node.body, []))]
    assert _imports(tree).count("msgspec") == optional.count("msgspec") == 1
    assert _wire.__file__.startswith(str(GENERATED))


def test_the_pinned_generator_still_offers_what_our_templates_use() -> None:
    """Custom templates are not the generator's public API: if an upgrade
    renames what ours read, this fails before any generation does."""
    from openapi_python_client import TEMPLATE_FILTERS, Project
    from openapi_python_client.parser import properties

    used = {
        "StringProperty": ["name", "python_name", "required", "description"],
        "IntProperty": ["name", "python_name", "required"],
        "FloatProperty": ["name", "python_name", "required"],
        "BooleanProperty": ["name", "python_name", "required"],
        "DateProperty": ["name", "python_name", "required"],
        "EnumProperty": ["class_info", "values", "value_type"],
        "ModelProperty": [
            "class_info",
            "required_properties",
            "optional_properties",
            "additional_properties",
            "data",
            "description",
            "is_multipart_body",
        ],
        "ListProperty": ["inner_property"],
        "UnionProperty": ["inner_properties"],
        "NoneProperty": [],
        "AnyProperty": [],
        "FileProperty": [],
    }
    for class_name, attributes in used.items():
        cls = getattr(properties, class_name)
        fields = {field.name for field in getattr(cls, "__attrs_attrs__", ())}
        for attribute in attributes:
            assert attribute in fields or hasattr(cls, attribute), f"{class_name}.{attribute}"
    for name in ("safe_for_docstring", "in_double_quote_literal"):
        assert name in TEMPLATE_FILTERS
    source = Path(sys.modules[Project.__module__].__file__ or "").read_text("utf-8")
    for global_name in ("openapi=", "package_name="):
        assert global_name in source
    class_info = properties.schemas.Class
    assert {"name", "module_name"} <= {field.name for field in class_info.__attrs_attrs__}


MUTATION_CHECK = """
import datetime, json
from decimal import Decimal
import komfortkasse_generated
from komfortkasse_generated.models import OrderRead
assert komfortkasse_generated.__file__.startswith({out!r}), komfortkasse_generated.__file__
order = OrderRead.from_dict({{
    "number": "1", "date": "25-04-2018", "type": "INVOICE", "amount": 1, "currency": "EUR",
    "billing": {{"lastName": "M", "countryCode": "DE"}},
    "handlingFee": 2.5, "tags": ["EXPRESS", "BRAND_NEW"],
    "parcels": [{{"shippedOn": "02-05-2018", "weight": 1.25, "carrier": "DHL"}}],
    "lastChange": "02-05-2018 10:11:12",
}})
print(json.dumps({{
    "fee": repr(order.handling_fee),
    "decimals": list(OrderRead.__decimal_fields__),
    "tags": [type(t).__name__ + ":" + str(t) for t in order.tags],
    "parcel_date": repr(order.parcels[0].shipped_on),
    "parcel_weight": repr(order.parcels[0].weight),
    "carrier": type(order.parcels[0].carrier).__name__,
    "last_change": repr(order.last_change),
}}))
"""


def test_spec_additions_reach_the_models_with_no_hand_edit(tmp_path: Path) -> None:
    """A new amount, an inline enum in array items, a nested inline object with a
    date, and a timestamp: each typed by rule, with no change outside the spec."""
    document = spec()
    props = document["components"]["schemas"]["OrderRead"]["allOf"][1]["properties"]
    props["handlingFee"] = {"type": "number", "description": "Handling fee. Format: `0.00`."}
    props["tags"] = {"type": "array", "items": {"type": "string", "enum": ["EXPRESS", "GIFT"]}}
    props["parcels"] = {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {
                "shippedOn": {"type": "string", "description": "Format: `dd-MM-yyyy`."},
                "weight": {"type": "number"},
                "carrier": {"type": "string", "enum": ["DHL", "UPS"]},
            },
        },
    }
    props["lastChange"] = {
        "type": "string",
        "description": "Timestamp of the last change. Format: `dd-MM-yyyy HH:mm:ss`.",
    }
    spec_file = tmp_path / "spec.json"
    spec_file.write_text(json.dumps(document), "utf-8")
    out = tmp_path / "out"
    generated = subprocess.run(
        [sys.executable, str(ROOT / "codegen" / "generate.py"), "--spec", str(spec_file),
         "--out", str(out)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert generated.returncode == 0, generated.stderr
    check = subprocess.run(
        [sys.executable, "-c", MUTATION_CHECK.format(out=str(out))],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(out), "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert check.returncode == 0, check.stderr
    seen = json.loads(check.stdout)
    assert seen["fee"] == "Decimal('2.5')"
    assert "handling_fee" in seen["decimals"]
    assert seen["tags"][0].endswith(":EXPRESS")
    assert not seen["tags"][0].startswith("str:")
    assert seen["tags"][1] == "str:BRAND_NEW"
    assert seen["parcel_date"] == "datetime.date(2018, 5, 2)"
    assert seen["parcel_weight"] == "Decimal('1.25')"
    assert seen["last_change"] == "'02-05-2018 10:11:12'"


def test_a_construct_the_templates_do_not_handle_fails_generation(tmp_path: Path) -> None:
    document = spec()
    props = document["components"]["schemas"]["OrderRead"]["allOf"][1]["properties"]
    props["changedAt"] = {"type": "string", "format": "date-time"}
    spec_file = tmp_path / "spec.json"
    spec_file.write_text(json.dumps(document), "utf-8")
    generated = subprocess.run(
        [sys.executable, str(ROOT / "codegen" / "generate.py"), "--spec", str(spec_file),
         "--out", str(tmp_path / "out")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert generated.returncode != 0
    assert "KK_TEMPLATE_ERROR" in generated.stderr
    assert "DateTimeProperty" in generated.stderr
    assert not (tmp_path / "out").exists()
