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
    if value.isascii() and value.isalnum():  # the usual number: nothing to encode
        return value
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
    shape = _shape(method, template, tuple(values))
    segments, routes = shape.segments, spec_routes()
    if shape.routes is not routes:  # the spec's routes were replaced (a test): look again
        shape = _shapes[method, template, tuple(values)] = _Shape.of(
            method, segments, values, routes
        )
    raw = list(segments)
    fields: dict[int, str] = {}
    for index in shape.placeholders:
        field, value = values[segments[index]]
        check_length(value, field)
        if value in _DOT_SEGMENTS:
            raise ValidationError(
                field,
                f"must not be {value!r}: a path segment of dots is resolved away "
                "(the request would reach another URL)",
            )
        fields[index] = field
        raw[index] = value
    for clash in shape.clashes:
        # ``clash``: another route whose literals sit on our values (and match the rest).
        if all(literal == raw[i].casefold() for i, literal in clash):
            # This URL is also the other route's; blame the value on its first literal.
            blamed = clash[0][0]
            raise ValidationError(
                fields[blamed],
                f"must not be {raw[blamed]!r} here: {method} /{'/'.join(raw)} is "
                "the URL of another API operation",
            )
    for index in shape.placeholders:
        raw[index] = encode_segment(raw[index])
    return "/" + "/".join(raw)


class _Shape:
    """What :func:`fill` needs of one template, worked out once: its segments, where
    its placeholders are, and the other routes its URL could turn into."""

    __slots__ = ("clashes", "placeholders", "routes", "segments")

    def __init__(
        self,
        segments: tuple[str, ...],
        placeholders: tuple[int, ...],
        clashes: tuple[tuple[tuple[int, str], ...], ...],
        routes: tuple[Route, ...],
    ) -> None:
        self.segments = segments
        self.placeholders = placeholders
        #: Per route of the same method and length whose literals all match ours
        #: where we have literals: its (casefolded) literals where we have values
        #: (only routes with some; one without any is the spec's ambiguity, not
        #: the caller's, and refuses nothing).
        self.clashes = clashes
        self.routes = routes

    @classmethod
    def of(
        cls,
        method: str,
        segments: tuple[str, ...],
        values: Mapping[str, object],
        routes: tuple[Route, ...],
    ) -> _Shape:
        placeholders = tuple(i for i, segment in enumerate(segments) if segment in values)
        own = tuple(None if i in placeholders else s for i, s in enumerate(segments))
        clashes = []
        for route_method, route in routes:
            if route_method != method or route == own or len(route) != len(segments):
                continue
            literals = [(i, literal) for i, literal in enumerate(route) if literal is not None]
            fixed = [(i, literal) for i, literal in literals if i not in placeholders]
            if not all(literal.casefold() == segments[i].casefold() for i, literal in fixed):
                continue
            on_values = tuple(
                (i, literal.casefold()) for i, literal in literals if i in placeholders
            )
            if on_values:
                clashes.append(on_values)
        return cls(segments, placeholders, tuple(clashes), routes)


_shapes: dict[tuple[str, str, tuple[str, ...]], _Shape] = {}


def _shape(method: str, template: str, names: tuple[str, ...]) -> _Shape:
    shape = _shapes.get((method, template, names))
    if shape is None:
        segments = tuple(template.strip("/").split("/"))
        shape = _Shape.of(method, segments, dict.fromkeys(names), spec_routes())
        _shapes[method, template, names] = shape
    return shape
