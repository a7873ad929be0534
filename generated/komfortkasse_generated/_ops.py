"""What the spec says about each operation, as data the client executes.

The endpoint template writes one :class:`Operation` per operation of the spec
(``komfortkasse_generated.api``); the hand-written client turns it into a
request, applies its policy keyed by ``operation_id`` and decodes the answer
with :meth:`Operation.decode`. Nothing here does I/O.
"""

from __future__ import annotations

import enum
import gc
import importlib
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, NamedTuple

from ._wire import WireError, date_out, describe

__all__ = ["Body", "Operation", "Param", "Reply", "paused_gc"]


class paused_gc:
    """Pause the cyclic garbage collector for a block that makes thousands of
    objects that all outlive it (a decoded answer, an encoded chunk): the
    collector would walk them again and again and free nothing (~17 us per
    order of a bulk submit). Restored on exit, also on an error; a caller's own
    ``gc.disable()`` is left alone. Only ever around code without ``await``."""

    __slots__ = ("_collecting",)

    def __enter__(self) -> None:
        self._collecting = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc_info: object) -> None:
        if self._collecting:
            gc.enable()


def _encode_bool(value: object) -> str:
    if not isinstance(value, bool):
        raise TypeError("bool")
    return "true" if value else "false"


def _encode_str(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("str")
    return value


def _encode_int(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("int")
    return str(value)


def _encode_number(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise TypeError("number")
    return str(value)


def _encode_date(value: object) -> str:
    try:
        return date_out(value)
    except WireError:
        raise TypeError("datetime.date") from None


_ENCODERS: dict[str, Callable[[object], str]] = {
    "bool": _encode_bool,
    "str": _encode_str,
    "int": _encode_int,
    "number": _encode_number,
    "date": _encode_date,
}


# The descriptors are named tuples, not dataclasses: immutable all the same, and
# made in a tenth of the time when the client is imported.


class Param(NamedTuple):
    """One path or query parameter: its wire and Python names, its kind
    (``str``, ``bool``, ``int``, ``number``, ``date`` or ``enum``) and the
    spec's default (a value equal to it is not sent)."""

    wire: str
    python: str
    kind: str
    required: bool = False
    default: Any = None
    enum: type[enum.Enum] | None = None
    description: str = ""

    def encode(self, value: object) -> str:
        """The value as it travels in the URL; a wrong type names the parameter."""
        if self.kind == "enum" and self.enum is not None:
            if isinstance(value, self.enum):
                return str(value.value)
            if isinstance(value, str) and value in self.enum._value2member_map_:
                return value
            known = ", ".join(str(member.value) for member in self.enum)
            raise WireError(f"one of {known}", describe(value), ((self.wire, self.python),),
                            direction="write")  # fmt: skip
        try:
            return _ENCODERS[self.kind](value)
        except TypeError as expected:
            raise WireError(
                str(expected),
                describe(value),
                ((self.wire, self.python),),
                direction="write",
            ) from None


def _model_class(model: type[Any] | str | None) -> type[Any] | None:
    """A descriptor's model class. The generated descriptors name their models
    (``"OrderRead"``), so reading the operations imports none of them: the
    class is looked up in ``models`` (which imports it then) at first use."""
    if isinstance(model, str):
        found = _MODEL_CLASSES.get(model)
        if found is None:
            models = importlib.import_module(".models", __package__)
            found = _MODEL_CLASSES[model] = getattr(models, model)
        return found
    return model


_MODEL_CLASSES: dict[str, type[Any]] = {}


class Body(NamedTuple):
    """The request body: its media type and what it holds (a model class, its
    name in ``models``, or ``str``), one or a JSON array of them."""

    content_type: str
    model: type[Any] | str | None
    many: bool = False
    python: str = "body"

    def model_class(self) -> type[Any] | None:
        """The class of :attr:`model` (imported at first use)."""
        return _model_class(self.model)


class Reply(NamedTuple):
    """What a 200 carries: a model (or a list of them; the class or its name in
    ``models``), an integer, or nothing."""

    kind: str  # "model", "integer", "none"
    model: type[Any] | str | None = None
    many: bool = False

    def model_class(self) -> type[Any] | None:
        """The class of :attr:`model` (imported at first use)."""
        return _model_class(self.model)


class Operation(NamedTuple):
    """One operation of the spec: where it lives (``path`` with ``{name}`` for
    each path parameter, as the spec writes it), what it takes and what a 200
    carries. The client places path values itself (one encoded segment each)."""

    operation_id: str
    method: str
    path: str
    tag: str
    summary: str
    description: str
    path_params: tuple[Param, ...] = ()
    query_params: tuple[Param, ...] = ()
    body: Body | None = None
    reply: Reply = Reply("none")

    def query(self, values: Mapping[str, object]) -> dict[str, str]:
        """Query parameters to send: ``None`` and the spec's default are left out."""
        sent: dict[str, str] = {}
        for param in self.query_params:
            value = values.get(param.wire)
            if value is None or (param.default is not None and value == param.default):
                continue
            sent[param.wire] = param.encode(value)
        return sent

    def decode(self, data: Any) -> Any:
        """The 200's JSON as the spec types it (strict; ``WireError`` names the field)."""
        reply = self.reply
        if reply.kind == "none":
            return None
        if reply.kind == "integer":
            if type(data) is not int:
                raise WireError("integer", describe(data))
            return data
        model: Any = reply.model_class()
        if not reply.many:
            if type(data) is not dict:
                raise WireError("object", describe(data))
            return model.from_dict(data)
        if type(data) is not list:
            raise WireError("array", describe(data))
        from_dict = model.from_dict
        decoded = []
        with paused_gc():
            for index, item in enumerate(data):
                if type(item) is not dict:
                    raise WireError("object", describe(item), ((index, index),))
                try:
                    decoded.append(from_dict(item))
                except WireError as error:
                    raise error.nested(((index, index),)) from None
        return decoded
