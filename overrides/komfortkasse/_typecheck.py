"""Check a decoded model's field types against its annotations.

The generated ``from_dict`` copies values as they come: ``"amount": "22.38"``
would become a ``str`` in a ``float`` field and fail much later, far from the
cause. :func:`check_model` walks a decoded model once and raises
:class:`ResponseValidationError` naming the field. The per-class plan is built
from the annotations once, so the check stays cheap on large lists.
"""

from __future__ import annotations

import datetime
import enum
import functools
import sys
import typing
from collections.abc import Callable
from typing import Any

import attrs

from komfortkasse_generated import models as generated_models
from komfortkasse_generated.types import Unset

from ._exceptions import ResponseValidationError

__all__ = ["check_model"]

Check = Callable[[Any, str], None]


def _fail(path: str, expected: str, value: object) -> None:
    raise ResponseValidationError(
        f"field {path!r}: expected {expected}, got {type(value).__name__} {value!r:.60}",
        field=path,
    )


def _scalar(kinds: tuple[type, ...], expected: str) -> Check:
    def check(value: Any, path: str) -> None:
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            _fail(path, expected, value)

    return check


#: Plain annotations and the Python types their JSON values may have.
_SCALARS: dict[Any, tuple[tuple[type, ...], str]] = {
    float: ((int, float), "number"),
    int: ((int,), "integer"),
    str: ((str,), "str"),
    bool: ((bool,), "bool"),
    datetime.date: ((datetime.date,), "date"),
}


def _for_type(hint: Any) -> tuple[Check | None, str]:
    """A checker for one member of a field's union (``None`` = anything goes)."""
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        hint = str  # open enums: a value the client does not know stays a str
    if hint in _SCALARS:
        kinds, name = _SCALARS[hint]
        return _scalar(kinds, name), name
    if isinstance(hint, type) and attrs.has(hint):
        return _nested(hint), hint.__name__
    if typing.get_origin(hint) is list:
        (item,) = typing.get_args(hint) or (Any,)
        inner, name = _for_type(item)
        return _list(inner), f"list of {name}"
    return None, "any"


def _nested(cls: type) -> Check:
    def check(value: Any, path: str) -> None:
        if not isinstance(value, cls):
            _fail(path, cls.__name__, value)
        _check_fields(value, path + ".")

    return check


def _list(inner: Check | None) -> Check:
    def check(value: Any, path: str) -> None:
        if not isinstance(value, list):
            _fail(path, "list", value)
        if inner is not None:
            for index, item in enumerate(value):
                inner(item, f"{path}[{index}]")

    return check


def _field_check(hint: Any) -> Check | None:
    members = typing.get_args(hint) if typing.get_origin(hint) in (typing.Union, _UnionType) else ()
    if not members:
        members = (hint,)
    allow_none = type(None) in members
    options = [m for m in members if m not in (Unset, type(None))]
    # Enums in models are open (``Enum | str``): a plain str check covers both.
    if any(isinstance(m, type) and issubclass(m, enum.Enum) for m in options):
        options = [m for m in options if m is not str]
    checks = [_for_type(m) for m in options]
    if any(check is None for check, _ in checks) or not checks:
        return None
    expected = " or ".join(name for _, name in checks)

    def check(value: Any, path: str) -> None:
        if isinstance(value, Unset) or (value is None and allow_none):
            return
        if value is None:
            _fail(path, expected, value)
        if len(checks) == 1:
            checks[0][0](value, path)  # type: ignore[misc]
            return
        for candidate, _ in checks:
            try:
                candidate(value, path)  # type: ignore[misc]
            except ResponseValidationError:
                continue
            return
        _fail(path, expected, value)

    return check


_UnionType: Any = type(int | str)


@functools.cache
def _plan(cls: type) -> tuple[tuple[str, Check], ...]:
    namespace = {**vars(generated_models), **vars(sys.modules[cls.__module__])}
    hints = typing.get_type_hints(cls, globalns=namespace)
    plan = []
    for field in attrs.fields(cls):
        if field.name == "additional_properties":
            continue
        check = _field_check(hints[field.name])
        if check is not None:
            plan.append((field.name, check))
    return tuple(plan)


def _check_fields(model: Any, prefix: str) -> None:
    model_class: type = type(model)
    for name, check in _plan(model_class):
        check(getattr(model, name), prefix + name)


def check_model(model: Any) -> None:
    """Raise :class:`ResponseValidationError` for the first field whose value does
    not fit its annotation (unknown fields in ``additional_properties`` are free)."""
    _check_fields(model, "")
