"""Versions: one source for the package's, the API's from the spec, both in the User-Agent."""

from __future__ import annotations

import json
import re
import tomllib

import httpx

import komfortkasse
import komfortkasse_generated
from komfortkasse import Komfortkasse
from tests.repo import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
SPEC = json.loads((ROOT / "openapi" / "komfortkasse-v2.openapi.json").read_text("utf-8"))


def _key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def test_the_package_version_has_one_source() -> None:
    assert komfortkasse.__version__ == PYPROJECT["project"]["version"]
    source = (ROOT / "overrides" / "komfortkasse").rglob("*.py")
    literal = re.compile(r"""['"]\d+\.\d+\.\d+['"]""")
    hits = [path.name for path in source if literal.search(path.read_text("utf-8"))]
    assert "__init__.py" not in hits
    assert "_version.py" not in hits


def test_api_version_is_the_specs_info_version() -> None:
    assert SPEC["info"]["version"] == komfortkasse.API_VERSION
    assert SPEC["info"]["version"] == komfortkasse_generated.API_VERSION


def test_a_new_api_version_needs_a_new_package_version() -> None:
    """Each released package version keeps the API version it was generated for:
    when info.version changes, bump the package and record the pair."""
    pairs: dict[str, str] = PYPROJECT["tool"]["komfortkasse"]["api-versions"]
    current = PYPROJECT["project"]["version"]
    assert current in pairs, f"record {current} in [tool.komfortkasse.api-versions]"
    assert pairs[current] == SPEC["info"]["version"], (
        f"the spec's info.version is {SPEC['info']['version']} but package {current} was "
        f"generated for {pairs[current]}: bump the package version and record the new pair"
    )
    in_order = [pairs[version] for version in sorted(pairs, key=_key)]
    assert in_order == sorted(in_order, key=_key), "API versions only move forward"
    changelog = (ROOT / "CHANGELOG.md").read_text("utf-8")
    assert f"## {current} (Komfortkasse API {pairs[current]})" in changelog


def test_the_user_agent_carries_both_versions() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["user-agent"])
        return httpx.Response(200, json={"number": "1", "date": "25-04-2018", "type": "INVOICE",
                              "amount": 1, "currency": "EUR",
                              "billing": {"lastName": "M", "countryCode": "DE"}})  # fmt: skip

    transport = httpx.MockTransport(handler)
    with Komfortkasse("k", base_url="https://example.test/api/v2") as client:
        client._http._transport = transport  # our own client, its own User-Agent
        client.orders.get("1")
    api = SPEC["info"]["version"]
    assert seen == [f"komfortkasse-python/{komfortkasse.__version__} (Komfortkasse API {api})"]
