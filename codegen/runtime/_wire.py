"""The wire runtime of the generated models (copied into the generated package by codegen).

The generated ``from_dict``/``to_dict`` check types inline and call these
helpers for what needs more than a type test: the API's ``dd-MM-yyyy`` dates,
exact decimals, and errors that name the field in wire and in Python terms.
This module depends on the standard library only, so the generated package
imports nothing above it; with ``msgspec`` installed (the ``speedups`` extra)
:func:`loads` parses with it, and :func:`dumps_utf8` writes with it what
:func:`plain` vouches for; each leaves to the standard library whatever it
refuses, so the result, and every error, is the same.
"""

from __future__ import annotations

import datetime
import json
import re
import secrets
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

__all__ = [
    "UNSET",
    "WIRE_DATE_FORMAT",
    "Unset",
    "WireError",
    "as_mapping",
    "date_at",
    "date_from_wire",
    "date_out",
    "date_to_wire",
    "decimal_at",
    "decimal_out",
    "describe",
    "dumps",
    "dumps_utf8",
    "loads",
    "missing",
    "model_repr",
    "plain",
]

#: ``strftime``/``strptime`` pattern of the API's ``dd-MM-yyyy`` (the one place it is spelt).
WIRE_DATE_FORMAT = "%d-%m-%Y"

#: Largest decimal exponent a JSON number may have here: beyond a double's range
#: (``1e999``) a number is an overflow, not an amount.
_MAX_ADJUSTED = 308

Segment = tuple[str | int, str | int]


class Unset:
    """The type of :data:`UNSET`: a field that is not set (left out on the wire),
    as opposed to ``None`` (JSON ``null``). Falsy, and one instance only."""

    __slots__ = ()
    _instance: Unset | None = None

    def __new__(cls) -> Unset:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "UNSET"

    def __reduce__(self) -> str:
        return "UNSET"

    def __copy__(self) -> Unset:
        return self

    def __deepcopy__(self, memo: object) -> Unset:
        return self


#: A field that is not set. ``value if not isinstance(value, Unset) else None``
#: turns a model field into "value or None".
UNSET: Unset = Unset()


def _render(segments: tuple[str | int, ...]) -> str:
    text = ""
    for part in segments:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


class WireError(ValueError):
    """A JSON value that does not fit the schema.

    ``wire_path`` names the field as the API spells it (``billing.lastName``,
    ``items[3].number``), ``python_path`` as the model does
    (``billing.last_name``); ``expected`` says what the schema wants.
    """

    def __init__(
        self,
        expected: str,
        got: str,
        segments: tuple[Segment, ...] = (),
        *,
        direction: str = "read",
    ) -> None:
        self.expected = expected
        self.got = got
        self.segments = segments
        self.direction = direction
        super().__init__(self._message())

    @property
    def wire_path(self) -> str:
        return _render(tuple(wire for wire, _ in self.segments))

    @property
    def python_path(self) -> str:
        return _render(tuple(py for _, py in self.segments))

    def _message(self) -> str:
        if not self.segments:
            return f"expected {self.expected}, got {self.got}"
        where = self.wire_path
        if self.python_path != where:
            where += f" ({self.python_path})"
        return f"field {where}: expected {self.expected}, got {self.got}"

    def nested(self, outer: tuple[Segment, ...]) -> WireError:
        """The same error seen from the parent: ``outer`` goes before the path."""
        return WireError(
            self.expected, self.got, (*outer, *self.segments), direction=self.direction
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.expected, self.got, self.segments, self.direction))


def _rebuild(expected: str, got: str, segments: tuple[Segment, ...], direction: str) -> WireError:
    return WireError(expected, got, segments, direction=direction)


_JSON_NAMES = {
    str: "string",
    int: "integer",
    float: "number",
    Decimal: "number",
    bool: "boolean",
    list: "array",
    dict: "object",
    type(None): "null",
}


def describe(value: object) -> str:
    """A short account of a value for messages (its JSON kind and a prefix of it)."""
    kind = _JSON_NAMES.get(type(value), type(value).__name__)
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{kind} {text}"


def missing(segments: tuple[Segment, ...]) -> WireError:
    """The error for a required field that is not there."""
    return WireError("a value (the field is required)", "nothing", segments)


def as_mapping(value: object) -> Mapping[str, Any]:
    """A JSON object handed to ``from_dict`` as some other mapping is fine."""
    if isinstance(value, Mapping):
        return value
    raise WireError("object", describe(value))


_fromisoformat = datetime.date.fromisoformat


def date_at(value: object, segments: tuple[Segment, ...] = ()) -> datetime.date:
    """Parse ``dd-MM-yyyy``; anything else is a :class:`WireError` naming the field."""
    if type(value) is str and len(value) == 10 and value[2] == "-" and value[5] == "-":
        # Rearranged as yyyy-MM-dd for the C parser (about 4x faster than
        # slicing, checking and int() in Python); with the dashes fixed at these
        # places it takes nothing but ASCII digits of a real calendar day.
        try:
            return _fromisoformat(value[6:] + value[2:6] + value[:2])
        except ValueError:
            pass
    raise WireError("a date in the format dd-MM-yyyy", describe(value), segments)


def date_from_wire(value: object, field: str = "") -> datetime.date:
    """:func:`date_at` for a single named value (a query parameter, a CLI cell)."""
    return date_at(value, ((field, field),) if field else ())


def date_out(value: object, segments: tuple[Segment, ...] = ()) -> str:
    """Render a :class:`datetime.date` as ``dd-MM-yyyy``.

    A ``datetime.datetime`` is refused rather than silently truncated, and so
    is a string: ``"2018-04-25"`` and ``"25-04-2018"`` look alike to a human
    but only one is what the caller meant.
    """
    if type(value) is not datetime.date and (
        isinstance(value, datetime.datetime) or not isinstance(value, datetime.date)
    ):
        raise WireError("a datetime.date", describe(value), segments, direction="write")
    # yyyy-MM-dd made in C (the base method: a subclass cannot change it), rearranged.
    iso = datetime.date.isoformat(value)
    return iso[8:] + iso[4:8] + iso[:4]


def date_to_wire(value: object, field: str = "") -> str:
    """:func:`date_out` for a single named value."""
    return date_out(value, ((field, field),) if field else ())


def _finite(number: Decimal) -> bool:
    return number.is_finite() and (not number or number.adjusted() <= _MAX_ADJUSTED)


def decimal_at(value: object, segments: tuple[Segment, ...] = ()) -> Decimal:
    """An exact :class:`~decimal.Decimal` from a JSON number.

    :func:`loads` hands decimals in already exact; a ``float`` (from a caller's
    own ``json.loads``) is read by its shortest repr, the digits on the wire.
    NaN, infinities and numbers beyond a double's range are refused.
    """
    kind = type(value)
    if kind is Decimal:
        number: Decimal = value  # type: ignore[assignment]
        # _finite, inline: the usual amount (every order of an answer has one).
        if number.is_finite() and (not number or number.adjusted() <= _MAX_ADJUSTED):
            return number
    elif kind is int:
        number = Decimal(value)  # type: ignore[arg-type]
    elif kind is float:
        number = Decimal(repr(value))
    else:
        raise WireError("number", describe(value), segments)
    if not _finite(number):
        raise WireError("a finite number", describe(value), segments)
    return number


def decimal_out(value: object, segments: tuple[Segment, ...] = ()) -> Decimal | int | float:
    """Check a number on its way out: a finite ``Decimal``, ``int`` or ``float``."""
    if isinstance(value, Decimal):
        if value.is_finite() and (not value or value.adjusted() <= _MAX_ADJUSTED):  # _finite
            return value
    elif isinstance(value, int) and not isinstance(value, bool):
        return value
    elif isinstance(value, float):
        if value - value == 0:
            return value
    else:
        raise WireError("a number (decimal.Decimal)", describe(value), segments, direction="write")
    raise WireError("a finite number", describe(value), segments, direction="write")


#: One decoder for every call: ``json.loads`` with options builds a new one each time.
_DECODER = json.JSONDecoder(parse_float=Decimal, parse_constant=Decimal)


class _Speedups(NamedTuple):
    """msgspec's JSON decoder and encoder, and what it raises for what it refuses."""

    decode: Callable[[Any], Any]
    refusals: tuple[type[BaseException], ...]
    encode: Callable[[Any], bytes]


def _speedups() -> _Speedups | None:
    """msgspec (the ``speedups`` extra), or ``None`` without it. Looked up at the
    first body, so importing the client does not import msgspec. Non-integers
    are decoded as ``Decimal``; a ``Decimal`` is written as its digits."""
    try:
        import msgspec
    except ImportError:
        return None
    decoder = msgspec.json.Decoder(float_hook=Decimal)
    encoder = msgspec.json.Encoder(decimal_format="number")
    return _Speedups(decoder.decode, (msgspec.DecodeError, UnicodeDecodeError), encoder.encode)


#: The :class:`_Speedups`; ``False`` until the first body, ``None`` without msgspec.
_FAST: Any = False


def _fast() -> _Speedups | None:
    global _FAST  # noqa: PLW0603 - resolved once, at the first body
    fast = _FAST
    if fast is False:
        fast = _FAST = _speedups()
    return fast  # type: ignore[no-any-return]


def loads(text: str | bytes | bytearray) -> Any:
    """JSON with every non-integer number as an exact ``Decimal``.

    ``NaN``, ``Infinity`` and ``-Infinity`` (which Python's ``json`` would turn
    into floats) arrive as non-finite decimals, so the field that holds one is
    refused by name when the model is built. Raises ``ValueError`` for text
    that is not JSON. Bytes go through msgspec first where it is installed
    (about twice as fast); what it refuses (those names, a byte-order mark,
    UTF-16, lone surrogates, bad JSON) is decoded, or refused, by ``json``.
    """
    if not isinstance(text, str):
        fast = _fast()
        if fast:
            try:
                return fast.decode(text)
            except fast.refusals:
                pass
        text = bytes(text).decode(json.detect_encoding(text), "surrogatepass")
    return _DECODER.decode(text)


def _float_exact(number: Decimal) -> float | None:
    as_float = float(number)
    try:
        return as_float if Decimal(repr(as_float)) == number else None
    except InvalidOperation:  # pragma: no cover - repr of a finite float is a number
        return None


def dumps(data: Any, *, indent: int | None = None) -> str:
    """JSON (compact, or indented by ``indent``) with each ``Decimal`` written
    as the exact number it is.

    A decimal whose shortest float repr is the same number travels as that
    float (the common case, no post-processing); any other is written digit
    for digit through a per-call marker no caller's string can contain.
    """
    marker = ""

    def encode(value: object) -> object:
        nonlocal marker
        if type(value) is not Decimal and not isinstance(value, Decimal):
            raise TypeError(f"{type(value).__name__} is not JSON serializable")
        if not _finite(value):
            raise WireError("a finite number", describe(value), direction="write")
        exact = _float_exact(value)
        if exact is not None:
            return exact
        if not marker:
            marker = secrets.token_hex(16)
        return f"{marker}{value}{marker}"

    options: dict[str, Any] = {
        "ensure_ascii": False,
        "indent": indent,
        "separators": (",", ":") if indent is None else None,
        "allow_nan": False,
        "default": encode,
    }
    try:  # without the encoder's bookkeeping of every container (a bulk chunk has thousands)
        text = json.dumps(data, check_circular=False, **options)
    except RecursionError:  # a cycle, or too deep: the checked run raises what it always did
        text = json.dumps(data, **options)
    if marker:
        text = re.sub(f'"{marker}([^"]*){marker}"', r"\1", text)
    return text


def dumps_utf8(data: Any, *, native: bool = False) -> bytes:
    """:func:`dumps` as UTF-8 bytes (a lone surrogate raises ``UnicodeEncodeError``).

    ``native``: the caller vouches that ``data`` holds only what JSON has
    (``dict`` with ``str`` keys, ``list``, ``str``, ``int``, ``float``, ``bool``,
    ``None``, and finite ``Decimal``), as :func:`plain` tells of a model's
    ``to_dict()``. Such data is written by msgspec where the ``speedups`` extra is
    installed (about five times as fast); it would also write dates, sets or
    bytes, which ``json`` refuses, so it is never given anything else. It writes
    a non-finite float as ``null``: output with a ``null`` anywhere (also in a
    string) is made again by :func:`dumps`, which refuses such a number by name.
    """
    if native:
        fast = _fast()
        if fast:
            try:
                text = fast.encode(data)
            except (TypeError, ValueError, OverflowError):
                pass
            else:
                if b"null" not in text:
                    return text
    return dumps(data).encode("utf-8")


def plain(model: Any) -> bool:
    """Whether ``model.to_dict()`` can hold only what JSON has natively: no unknown
    fields (``additional_properties``) and no free-form field set, here or in any
    model it holds. Every other field's value is checked by ``to_dict``."""
    if getattr(model, "additional_properties", None):
        return False
    kind = type(model)
    if kind.__free__ and any(getattr(model, name) is not UNSET for name in kind.__free__):
        return False
    for name in kind.__nested__:
        value = getattr(model, name)
        if value is UNSET or value is None:
            continue
        for item in value if type(value) is list else (value,):
            inner = type(item)
            nested = getattr(inner, "__nested__", None)
            if nested is None:  # not a model: to_dict refuses it, json names it
                return False
            if nested or inner.__free__:
                if not plain(item):
                    return False
            elif getattr(item, "additional_properties", None):  # a leaf model, inline
                return False
    return True


def model_repr(model: object, names: tuple[str, ...]) -> str:
    """``Class(field=value, ...)`` with only the fields that are set."""
    parts = [f"{name}={value!r}" for name in names if (value := getattr(model, name)) is not UNSET]
    extra = getattr(model, "additional_properties", None)
    if extra:
        parts.append(f"additional_properties={extra!r}")
    return f"{type(model).__name__}({', '.join(parts)})"
