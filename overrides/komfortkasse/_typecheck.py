"""Check a decoded model's field types against its annotations.

The generated ``from_dict`` copies values as they come: ``"amount": "22.38"``
would become a ``str`` in a ``float`` field and fail much later, far from the
cause. :func:`check_model` walks a decoded model once and raises
:class:`ResponseValidationError` naming the field.

Speed matters (10,000 orders in one ``GET /orders``): each class gets a plan
once, built from its annotations, in which most fields are checked by one set
lookup of the value's exact type.
"""

from __future__ import annotations

import datetime
import enum
import functools
import sys
import typing
from typing import Any

import attrs

from komfortkasse_generated import models as generated_models
from komfortkasse_generated.types import Unset

from ._exceptions import ResponseValidationError

__all__ = ["check_model"]

_UnionType: Any = type(int | str)

#: JSON-decoded Python types each plain annotation accepts (exact types: ``bool``
#: is not an ``int`` here, an ``int`` is a fine ``float``).
_SCALARS: dict[Any, frozenset[type]] = {
    float: frozenset({int, float}),
    int: frozenset({int}),
    str: frozenset({str}),
    bool: frozenset({bool}),
    datetime.date: frozenset({datetime.date}),
}


@attrs.frozen
class _FieldPlan:
    """How to check one field: exact types that need nothing more, and the
    model and list types that need a look inside."""

    name: str
    expected: str
    exact: frozenset[type]
    model: type | None = None
    items: _FieldPlan | None = None


def _members(hint: Any) -> tuple[Any, ...]:
    if typing.get_origin(hint) in (typing.Union, _UnionType):
        return typing.get_args(hint)
    return (hint,)


def _field_plan(name: str, hint: Any) -> _FieldPlan | None:
    """The plan for one annotation, or ``None`` when anything goes."""
    exact: set[type] = set()
    model: type | None = None
    items: _FieldPlan | None = None
    names: list[str] = []
    for member in _members(hint):
        if member in (Unset, type(None)):
            exact.add(member)
        elif isinstance(member, type) and issubclass(member, enum.Enum):
            exact.update({member, str})  # open enums: an unknown value stays a str
            names.append("string")
        elif member in _SCALARS:
            exact.update(_SCALARS[member])
            names.append(getattr(member, "__name__", str(member)))
        elif isinstance(member, type) and attrs.has(member):
            model = member
            names.append(member.__name__)
        elif typing.get_origin(member) is list:
            (item_hint,) = typing.get_args(member) or (Any,)
            items = _field_plan(name, item_hint) or _ANY_ITEM
            names.append("list")
        else:
            return None
    return _FieldPlan(name, " or ".join(dict.fromkeys(names)), frozenset(exact), model, items)


_ANY_ITEM = _FieldPlan("item", "any", frozenset())


@functools.cache
def _plan(cls: type) -> tuple[_FieldPlan, ...]:
    namespace = {**vars(generated_models), **vars(sys.modules[cls.__module__])}
    hints = typing.get_type_hints(cls, globalns=namespace)
    plans = []
    for field in attrs.fields(cls):
        if field.name != "additional_properties":
            plan = _field_plan(field.name, hints[field.name])
            if plan is not None:
                plans.append(plan)
    return tuple(plans)


def _check_value(plan: _FieldPlan, value: Any, path: str) -> None:
    kind = type(value)
    if kind in plan.exact:
        return
    if plan.model is not None and kind is plan.model:
        _check_fields(value, path + ".")
        return
    if plan.items is not None and kind is list:
        if plan.items is not _ANY_ITEM:
            for index, item in enumerate(value):
                _check_value(plan.items, item, f"{path}[{index}]")
        return
    raise ResponseValidationError(
        f"field {path!r}: expected {plan.expected}, got {kind.__name__} {value!r:.60}",
        field=path,
    )


def _check_fields(model: Any, prefix: str) -> None:
    model_class: type = type(model)
    for plan in _plan(model_class):
        value = getattr(model, plan.name)
        if type(value) not in plan.exact:
            _check_value(plan, value, prefix + plan.name)


def check_model(model: Any) -> None:
    """Raise :class:`ResponseValidationError` for the first field whose value does
    not fit its annotation (unknown fields in ``additional_properties`` are free)."""
    _check_fields(model, "")
