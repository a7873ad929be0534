"""Derive the spec the generator reads from the verbatim upstream spec.

The upstream file in ``openapi/`` is never edited. This module applies a fixed
list of rewrites, each one fixing something openapi-python-client mishandles,
and writes the result deterministically (same input, same bytes out).

Every rule is a small pure function ``rule(spec) -> None`` that mutates a deep
copy; ``RULES`` lists them in the order they run. Tests exercise each rule.
"""

from __future__ import annotations

import copy
import json
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

Json = dict[str, Any]

#: Property and parameter names that carry a calendar date on the wire.
_DATE_NAME = re.compile(r"^(date|[a-z][A-Za-z]*Date)$")
#: The wire format the API documents for every date.
_DATE_DOC = "dd-MM-yyyy"
#: A description that documents a time of day or a timestamp.
_TIME_DOC = re.compile(r"HH:mm|\btimestamp\b", re.IGNORECASE)


def _component_schemas(spec: Json) -> Json:
    schemas: Json = spec.setdefault("components", {}).setdefault("schemas", {})
    return schemas


def _object_schemas(spec: Json) -> Iterator[tuple[str, Json]]:
    """Yield (name, schema) for every schema object that declares properties:
    the component schemas, the inline members of their ``allOf`` compositions,
    and every inline object nested below them (a property's object, an
    array's items), named ``<Component>.<path>``."""

    def walk(name: str, schema: Json) -> Iterator[tuple[str, Json]]:
        if "properties" in schema:
            yield name, schema
            for prop_name, prop in schema["properties"].items():
                if isinstance(prop, dict):
                    yield from walk(f"{name}.{prop_name}", prop)
        for key in ("allOf", "anyOf", "oneOf"):
            for part in schema.get(key, []):
                if isinstance(part, dict):
                    yield from walk(name, part)
        items = schema.get("items")
        if isinstance(items, dict):
            yield from walk(f"{name}[]", items)

    for name, schema in _component_schemas(spec).items():
        yield from walk(name, schema)


def _parameters(spec: Json) -> Iterator[Json]:
    for parameter in spec.get("components", {}).get("parameters", {}).values():
        yield parameter
    for path_item in spec.get("paths", {}).values():
        for parameter in path_item.get("parameters", []):
            yield parameter
        for operation in path_item.values():
            if isinstance(operation, dict):
                for parameter in operation.get("parameters", []):
                    yield parameter


def move_required_any_of_into_all_of(spec: Json) -> None:
    """The generator checks ``anyOf`` before ``type: object`` and collapses such
    a schema to ``Any``; as ``allOf: [{anyOf: ...}]`` the rule means the same to
    a validator and the schema stays a typed model."""
    for schema in _component_schemas(spec).values():
        branches = schema.get("anyOf")
        if schema.get("type") != "object" or not isinstance(branches, list):
            continue
        if all(set(branch) == {"required"} for branch in branches):
            del schema["anyOf"]
            schema.setdefault("allOf", []).append({"anyOf": branches})


#: The odd cases the date rule cannot decide, by place (``Schema.field``,
#: ``Schema.nested.field`` or ``parameter:name``): ``True`` makes it a date,
#: ``False`` keeps it a string. Empty while the rule decides every field.
DATE_OVERRIDES: dict[str, bool] = {}


def _date_candidates(spec: Json) -> Iterator[tuple[str, str, Json, str]]:
    """(place, name, schema, description) of every string field and parameter."""
    for owner, schema in _object_schemas(spec):
        for name, prop in schema["properties"].items():
            if isinstance(prop, dict) and prop.get("type") == "string":
                yield f"{owner}.{name}", name, prop, prop.get("description", "")
    for parameter in _parameters(spec):
        schema = parameter.get("schema", {})
        if schema.get("type") == "string":
            name = parameter.get("name", "")
            yield f"parameter:{name}", name, schema, parameter.get("description", "")


def date_verdict(place: str, name: str, schema: Json, description: str) -> tuple[bool, str]:
    """Whether a string field is a calendar date, and why (for the report)."""
    if place in DATE_OVERRIDES:
        return DATE_OVERRIDES[place], "override"
    if "format" in schema and schema["format"] != "date":
        return False, f"has format {schema['format']}"
    named, documented = bool(_DATE_NAME.match(name)), _DATE_DOC in description
    if _TIME_DOC.search(description):
        return False, "documents a time of day: a timestamp, not a date"
    if named or documented:
        return True, "named like a date" if named else "documented dd-MM-yyyy"
    if "date" in name.lower() or "date" in description.lower():
        return False, "mentions a date but is neither named nor documented as one"
    return False, ""


def date_report(spec: Json) -> tuple[list[str], list[str]]:
    """The places the date rule marks, and its near misses with the reason."""
    marked, near = [], []
    for place, name, schema, description in _date_candidates(spec):
        verdict, reason = date_verdict(place, name, schema, description)
        if verdict:
            marked.append(place)
        elif reason:
            near.append(f"{place} ({reason})")
    return sorted(set(marked)), sorted(set(near))


def mark_dates(spec: Json) -> None:
    """Dates are plain strings in the spec; ``format: date`` makes them
    ``datetime.date`` in the generated code (the wire runtime then reads and
    writes the API's ``dd-MM-yyyy``). A string is a date when it is named like
    one (``date``, ``…Date``) or documented ``dd-MM-yyyy``, and not when its
    description also documents a time (``HH:mm``, "timestamp"); nested and
    array-item objects and parameters alike. ``format`` is an annotation only,
    so validators see the same schema."""
    for place, name, schema, description in list(_date_candidates(spec)):
        if date_verdict(place, name, schema, description)[0]:
            schema["format"] = "date"


def allow_documented_nulls(spec: Json) -> None:
    """Fields whose description says they can be ``null`` are not declared
    nullable upstream; the generated parser would otherwise choke on ``null``."""
    for _, schema in _object_schemas(spec):
        for prop in schema["properties"].values():
            kind = prop.get("type")
            if isinstance(kind, str) and "`null`" in prop.get("description", ""):
                prop["type"] = [kind, "null"]


def hoist_inline_enums(spec: Json) -> None:
    """An inline enum cannot be opened without getting a generated name like
    ``...Type0``; hoisting it under the name the generator already gives it
    (``<Schema><Property>``) keeps the public class name stable."""
    schemas = _component_schemas(spec)
    for schema_name, schema in list(_object_schemas(spec)):
        if not schema_name.isidentifier():
            continue  # nested inline objects: the model template opens their enums as they are
        for prop_name, prop in schema["properties"].items():
            if "enum" in prop and prop.get("type") == "string":
                hoisted = schema_name + prop_name[:1].upper() + prop_name[1:]
                if hoisted in schemas:
                    raise SystemExit(f"cannot hoist {schema_name}.{prop_name}: {hoisted} exists")
                description = prop.pop("description", None)
                schemas[hoisted] = dict(prop)
                prop.clear()
                prop["$ref"] = f"#/components/schemas/{hoisted}"
                if description is not None:
                    prop["description"] = description


def _resolve(spec: Json, schema: Json) -> Json:
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
        resolved: Json = _component_schemas(spec)[ref.rsplit("/", 1)[1]]
        return resolved
    return schema


def _read_only_names(spec: Json, schema: Json, seen: frozenset[int] = frozenset()) -> set[str]:
    """JSON names marked ``readOnly`` in a schema, its ``allOf`` parts and their refs."""
    schema = _resolve(spec, schema)
    if id(schema) in seen:
        return set()
    found = {
        name
        for name, prop in schema.get("properties", {}).items()
        if isinstance(prop, dict) and prop.get("readOnly")
    }
    for part in schema.get("allOf", []):
        found |= _read_only_names(spec, part, seen | {id(schema)})
    return found


def annotate_read_only(spec: Json) -> None:
    """The generator's property objects do not carry ``readOnly``; the model
    template reads this annotation (``x-komfortkasse-read-only``, the JSON names
    of a schema's read-only fields, ``allOf`` parts included) so that the
    client never sends a field the server sets."""
    for schema in _component_schemas(spec).values():
        names = _read_only_names(spec, schema)
        if names:
            schema["x-komfortkasse-read-only"] = sorted(names)


def expose_operation_ids(spec: Json) -> None:
    """The generator hands templates only a snake_case name per operation; the
    spec's own ``operationId`` (``getOrder``, used in errors and logs) is
    written as the description's last line, where the templates read it back
    and which reads well in the reference docs too."""
    for path_item in spec.get("paths", {}).values():
        for method, operation in path_item.items():
            if method == "parameters" or not isinstance(operation, dict):
                continue
            operation_id = operation.get("operationId")
            if not isinstance(operation_id, str):
                raise SystemExit(f"{method.upper()} operation without an operationId: name it")
            text = operation.get("description", "").rstrip()
            line = f"operationId: `{operation_id}`"
            if not text.endswith(line):  # idempotent
                operation["description"] = (f"{text}\n\n" if text else "") + line


#: The rewrites, in the order they run.
RULES: tuple[Callable[[Json], None], ...] = (
    move_required_any_of_into_all_of,
    mark_dates,
    allow_documented_nulls,
    hoist_inline_enums,
    annotate_read_only,
    expose_operation_ids,
)


def normalize(spec: Json) -> Json:
    """Return the derived spec; ``spec`` itself is left untouched."""
    derived = copy.deepcopy(spec)
    for rule in RULES:
        rule(derived)
    return derived


def dumps(spec: Json) -> str:
    return json.dumps(spec, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: normalize.py UPSTREAM_SPEC DERIVED_SPEC", file=sys.stderr)
        return 2
    source, target = Path(argv[0]), Path(argv[1])
    derived = normalize(json.loads(source.read_text(encoding="utf-8")))
    target.write_text(dumps(derived), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
