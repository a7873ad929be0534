"""An independent check of what a client sent the fake: each recorded request fits an
operation of the vendored spec (route, query parameters, dates, body schema, the key
redacted in the log), read with jsonschema, not with the fake's own checks."""

from __future__ import annotations

import re
from typing import Any

import jsonschema
import referencing
import referencing.jsonschema

from komfortkasse.testing import FakeKomfortkasse
from tests.repo import spec

SPEC = spec()
WIRE_DATE = re.compile(r"^\d{2}-\d{2}-\d{4}$")
DATE_PARAMS = {"minPostingDate", "createdMin", "createdMax"}


def _operations() -> list[tuple[str, re.Pattern[str], dict[str, Any], list[dict[str, Any]]]]:
    found = []
    for template, item in SPEC["paths"].items():
        pattern = re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$")
        for method, operation in item.items():
            if method == "parameters":
                continue
            params = [
                SPEC["components"]["parameters"][p["$ref"].rsplit("/", 1)[1]] if "$ref" in p else p
                for p in operation.get("parameters", [])
            ]
            found.append((method.upper(), pattern, operation, params))
    return found


OPERATIONS = _operations()
REGISTRY = referencing.Registry().with_resource(
    "urn:spec",
    referencing.Resource.from_contents(
        SPEC, default_specification=referencing.jsonschema.DRAFT202012
    ),
)


def check_against_spec(fake: FakeKomfortkasse) -> int:
    """Assert each recorded request fits an operation of the spec; return how many."""
    for request in fake.requests:
        path = request.path.removeprefix("/api/v2")
        matches = [op for op in OPERATIONS if op[0] == request.method and op[1].match(path)]
        assert len(matches) == 1, (request.method, request.path)
        _, _, operation, params = matches[0]
        declared = {p["name"] for p in params if p["in"] == "query"}
        assert set(request.query) <= declared, (operation["operationId"], request.query)
        for name in DATE_PARAMS & set(request.query):
            assert all(WIRE_DATE.match(v) for v in request.query[name])
        assert request.headers.get("x-komfortkasse-api-key") == "<redacted>"
        content = operation.get("requestBody", {}).get("content", {})
        if "application/json" in content:
            schema = content["application/json"]["schema"]
            schema = {"$ref": "urn:spec#" + schema["$ref"][1:]} if "$ref" in schema else schema
            if "items" in schema and "$ref" in schema["items"]:
                schema = {
                    "type": "array",
                    "items": {"$ref": "urn:spec#" + schema["items"]["$ref"][1:]},
                }
            jsonschema.Draft202012Validator(schema, registry=REGISTRY).validate(request.json())
            assert request.headers["content-type"] == "application/json"
        elif "multipart/form-data" in content:
            assert request.headers["content-type"].startswith("multipart/form-data; boundary=")
            assert b'name="file"; filename="' in request.body
    return len(fake.requests)
