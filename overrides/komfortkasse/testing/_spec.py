"""The vendored OpenAPI spec as the fake's rule book: routes, request checks, response checks.

The spec is read from the generated package (``komfortkasse_generated/openapi.json``),
so the fake always speaks the exact API version the client was generated from.
Request bodies are checked with JSON Schema (Draft 2020-12, ``$ref`` resolved in
the spec document by ``referencing``), and each violation is translated into the
message the real API documents ("Missing parameter <name>", ...).

One reading differs from a literal one: fields whose description says they are
``null`` in some state (``RefundRead.executionDate``) accept ``null`` when
responses are checked, as the API documents and as the client's generator
normaliser reads them too.
"""

from __future__ import annotations

import copy
import functools
import importlib.resources
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from ._errors import MISSING_PARAMETER, ApiFailure, not_valid

Json = Any
#: The base URI under which the spec document is registered for ``$ref`` resolution.
SPEC_URI = "urn:komfortkasse:openapi"
_HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


@functools.cache
def load_spec_document() -> dict[str, Json]:
    """The vendored spec, parsed once per process."""
    text = (
        importlib.resources.files("komfortkasse_generated")
        .joinpath("openapi.json")
        .read_text(encoding="utf-8")
    )
    document: dict[str, Json] = json.loads(text)
    return document


def _pointer(*parts: str) -> str:
    escaped = (part.replace("~", "~0").replace("/", "~1") for part in parts)
    return "#/" + "/".join(escaped)


@dataclass(frozen=True)
class QueryParameter:
    """One documented query parameter and its (``$ref``-resolved) schema."""

    name: str
    schema: Mapping[str, Json]

    @property
    def default(self) -> Json:
        return self.schema.get("default")


@dataclass(frozen=True)
class Operation:
    """One operation of the spec: where it lives and what it accepts."""

    operation_id: str
    method: str
    path_template: str
    pattern: re.Pattern[str] = field(repr=False)
    query: Mapping[str, QueryParameter] = field(repr=False)
    #: JSON pointer (within the spec) of the request body schema per media type.
    body_schemas: Mapping[str, str] = field(repr=False)
    #: JSON pointer of the JSON schema of each response status that has one.
    response_schemas: Mapping[str, str] = field(repr=False)

    @property
    def is_write(self) -> bool:
        """Every POST of this API changes state (and is refused for read-only shops)."""
        return self.method == "POST"


def _required_or_empty(
    validator: Any, required: list[str], instance: Json, schema: Json
) -> Iterator[Any]:
    """``required`` that also counts ``""`` and ``null`` as missing, as the API does.

    Each error's message is the bare property name, which the translation reads.
    """
    from jsonschema.exceptions import ValidationError

    if not validator.is_type(instance, "object"):
        return
    for name in required:
        if instance.get(name) in (None, ""):
            yield ValidationError(name)


class Spec:
    """Routes and validators built from one spec document."""

    def __init__(self, document: Mapping[str, Json]) -> None:
        self.document = document
        self._response_document = _allow_documented_nulls(document)
        self.operations = tuple(self._read_operations())
        self._validators: dict[tuple[bool, str], Any] = {}

    # -- routes ---------------------------------------------------------------------------

    def _resolve(self, node: Mapping[str, Json]) -> Mapping[str, Json]:
        while "$ref" in node:
            target: Json = self.document
            for part in node["$ref"].removeprefix("#/").split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            node = target
        return node

    def _read_operations(self) -> Iterator[Operation]:
        for template, path_item in self.document.get("paths", {}).items():
            shared = path_item.get("parameters", [])
            regex = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
            pattern = re.compile(f"^{regex}$")
            for method in _HTTP_METHODS:
                operation = path_item.get(method)
                if operation is None:
                    continue
                parameters = [self._resolve(p) for p in [*shared, *operation.get("parameters", [])]]
                query = {
                    p["name"]: QueryParameter(p["name"], self._resolve(p.get("schema", {})))
                    for p in parameters
                    if p.get("in") == "query"
                }
                base = ("paths", template, method)
                bodies = {
                    media: _pointer(*base, "requestBody", "content", media, "schema")
                    for media, content in operation.get("requestBody", {})
                    .get("content", {})
                    .items()
                    if "schema" in content
                }
                responses = {
                    status: _pointer(
                        *base, "responses", status, "content", "application/json", "schema"
                    )
                    for status, response in operation.get("responses", {}).items()
                    if "schema" in response.get("content", {}).get("application/json", {})
                }
                yield Operation(
                    operation_id=operation["operationId"],
                    method=method.upper(),
                    path_template=template,
                    pattern=pattern,
                    query=query,
                    body_schemas=bodies,
                    response_schemas=responses,
                )

    def match(self, method: str, path: str) -> tuple[Operation, dict[str, str]] | None:
        """The operation serving ``method path`` (path below the base URL) and its path values."""
        for operation in self.operations:
            if operation.method != method:
                continue
            found = operation.pattern.match(path)
            if found:
                return operation, {k: unquote(v) for k, v in found.groupdict().items()}
        return None

    def operation(self, operation_id: str) -> Operation:
        for operation in self.operations:
            if operation.operation_id == operation_id:
                return operation
        raise KeyError(operation_id)

    # -- validators -----------------------------------------------------------------------

    def _validator(self, pointer: str, *, for_response: bool) -> Any:
        key = (for_response, pointer)
        if key not in self._validators:
            import jsonschema
            import referencing
            import referencing.jsonschema

            document = self._response_document if for_response else self.document
            resource = referencing.Resource.from_contents(
                document, default_specification=referencing.jsonschema.DRAFT202012
            )
            registry: Any = referencing.Registry().with_resource(SPEC_URI, resource)
            base = jsonschema.Draft202012Validator
            if not for_response:
                extend: Any = jsonschema.validators.extend
                base = extend(base, {"required": _required_or_empty})
            self._validators[key] = base({"$ref": SPEC_URI + pointer}, registry=registry)
        return self._validators[key]

    def schema_errors(self, pointer: str, instance: Json) -> list[str]:
        """Plain-text response-side violations of the schema at ``pointer`` (``[]`` if none)."""
        validator = self._validator(pointer, for_response=True)
        return [
            f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}"
            for e in validator.iter_errors(instance)
        ]

    def check_body(self, operation: Operation, media_type: str, body: Json) -> None:
        """Raise the API's answer for the first violation of the request body schema."""
        pointer = operation.body_schemas.get(media_type)
        if pointer is None:
            return
        errors = list(self._validator(pointer, for_response=False).iter_errors(body))
        if errors:
            raise _translate(errors)

    def check_response(self, operation: Operation, status: int, body: Json) -> list[str]:
        """Violations of the documented response schema for ``status`` (``[]`` if none)."""
        pointer = operation.response_schemas.get(str(status))
        if pointer is None:
            return [f"no JSON response documented for status {status}"]
        return self.schema_errors(pointer, body)

    def component_errors(self, name: str, instance: Json) -> list[str]:
        """Violations of ``#/components/schemas/<name>`` in the response reading."""
        return self.schema_errors(_pointer("components", "schemas", name), instance)


@functools.cache
def vendored_spec() -> Spec:
    """The spec shipped in ``komfortkasse_generated`` (built once per process)."""
    return Spec(load_spec_document())


def _field_path(path: Iterator[Json] | Any, leaf: str | None = None) -> str:
    """``billing.lastName`` from a JSON path; list indexes are left out, as the API does."""
    names = [str(part) for part in path if not isinstance(part, int)]
    if leaf is not None:
        names.append(leaf)
    return ".".join(names)


def _missing_names(error: Any) -> list[str] | None:
    """The property names behind a missing-field error, or ``None`` for other errors."""
    if error.validator == "required":
        return [_field_path(error.absolute_path, error.message)]
    if error.validator == "anyOf" and error.context:
        # The Address rule: anyOf [{required: [lastName]}, {required: [company]}].
        names = [_missing_names(sub) for sub in error.context]
        if all(n is not None for n in names):
            return [name for group in names if group for name in group]
    return None


def _translate(errors: list[Any]) -> ApiFailure:
    """The first error by document position, as the API would phrase it."""
    missing = [(list(map(str, e.absolute_path)), _missing_names(e)) for e in errors]
    candidates = sorted((path, names) for path, names in missing if names)
    if candidates:
        return ApiFailure.of(MISSING_PARAMETER, parameter=" or ".join(candidates[0][1]))
    first = min(errors, key=lambda e: list(map(str, e.absolute_path)))
    name = _field_path(first.absolute_path)
    if not name:
        return ApiFailure.bad_request(f"Invalid body: {first.message}")
    if name.rsplit(".", 1)[-1] in ("date", "dueDate", "plannedDate"):
        return not_valid(name)
    return ApiFailure.bad_request(f"Invalid parameter {name}: {first.message}")


def _allow_documented_nulls(document: Mapping[str, Json]) -> dict[str, Json]:
    """A copy of the spec where properties documented as possibly ``null`` accept it."""
    derived: dict[str, Json] = copy.deepcopy(dict(document))

    def visit(node: Json) -> None:
        if isinstance(node, dict):
            for prop in node.get("properties", {}).values():
                kind = prop.get("type")
                if isinstance(kind, str) and "`null`" in prop.get("description", ""):
                    prop["type"] = [kind, "null"]
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(derived.get("components", {}))
    return derived
