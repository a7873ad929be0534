"""Path parameters (order and invoice numbers) placed in the URL so they stay where they belong.

A number is one path segment, whatever it contains: every character outside
RFC 3986's unreserved set is percent-encoded (``/``, ``?``, ``#``, ``%``, spaces,
non-ASCII), and ``.`` / ``..`` -- which httpx and servers resolve away as dot
segments -- are refused, like a value that would make the URL another operation's
(``cancel("remove")`` would be ``POST /order/remove/cancel``: ``remove("cancel")``).
The routes are the spec's, read from the generated package.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from importlib import resources
from urllib.parse import quote

from ._exceptions import ValidationError

#: The longest value a path segment or query parameter may have (characters): far above
#: any real order, invoice number or IBAN, far below the URL limits of servers and httpx.
MAX_PARAMETER_LENGTH = 1000

_DOT_SEGMENTS = frozenset({".", ".."})
_VARIABLE = re.compile(r"^\{\w+\}$")

#: One route: the HTTP method and the path's segments, ``None`` where a parameter goes.
Route = tuple[str, tuple[str | None, ...]]


def check_length(value: str, field: str) -> str:
    """Refuse a value that would make an unusably long URL (httpx refuses 64 KiB)."""
    if len(value) > MAX_PARAMETER_LENGTH:
        raise ValidationError(
            field, f"must be at most {MAX_PARAMETER_LENGTH} characters, got {len(value)}"
        )
    return value


def encode_segment(value: str) -> str:
    """``value`` as exactly one path segment: all but unreserved characters
    percent-encoded; a dot segment has its dots encoded too (``%2E``)."""
    encoded = quote(value, safe="")
    return encoded.replace(".", "%2E") if value in _DOT_SEGMENTS else encoded


@functools.cache
def spec_routes() -> tuple[Route, ...]:
    """Every operation's route in the spec (``openapi.json`` of the generated package)."""
    text = resources.files("komfortkasse_generated").joinpath("openapi.json").read_text("utf-8")
    routes: list[Route] = []
    for path, item in json.loads(text)["paths"].items():
        segments = tuple(None if _VARIABLE.match(s) else s for s in path.strip("/").split("/"))
        routes += [(method.upper(), segments) for method in item if method != "parameters"]
    return tuple(routes)


def fill(method: str, template: str, values: Mapping[str, tuple[str, str]]) -> str:
    """The path ``template`` (a generated builder's URL with placeholder segments)
    with each placeholder replaced by its encoded value.

    ``values`` maps a placeholder to ``(field, value)``; ``field`` names the value
    in a :class:`ValidationError` (``order_number``, ``invoice_number``).
    """
    method = method.upper()
    segments = template.strip("/").split("/")
    fields: dict[int, str] = {}
    raw: list[str] = []
    for index, segment in enumerate(segments):
        if segment in values:
            field, value = values[segment]
            check_length(value, field)
            if value in _DOT_SEGMENTS:
                raise ValidationError(
                    field,
                    f"must not be {value!r}: a path segment of dots is resolved away "
                    "(the request would reach another URL)",
                )
            fields[index] = field
            raw.append(value)
        else:
            raw.append(segment)
    own = tuple(None if i in fields else s for i, s in enumerate(segments))
    for route_method, route in spec_routes():
        if route_method != method or route == own or len(route) != len(raw):
            continue
        literals = [(i, literal) for i, literal in enumerate(route) if literal is not None]
        if all(literal.casefold() == raw[i].casefold() for i, literal in literals):
            # This URL is also the other route's; blame a value sitting on its literal.
            blamed = [i for i, _ in literals if i in fields]
            if blamed:
                raise ValidationError(
                    fields[blamed[0]],
                    f"must not be {raw[blamed[0]]!r} here: {method} /{'/'.join(raw)} is "
                    "the URL of another API operation",
                )
    encoded = (
        encode_segment(raw[i]) if i in fields else segment for i, segment in enumerate(segments)
    )
    return "/" + "/".join(encoded)
