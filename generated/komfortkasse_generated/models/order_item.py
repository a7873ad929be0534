"""OrderItem: generated from the OpenAPI schema by komfortkasse's codegen; do not edit."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, ClassVar, Self

from attrs import define as _define
from attrs import field as _field

from .. import _wire as _w
from ..types import UNSET, File, Unset

__all__ = ["OrderItem"]

_ = (datetime, Decimal, File)  # every model module imports the same names


@_define(repr=False)
class OrderItem:
    """Single item in an order.

    Attributes:
        number (str): Item number. Used for payment matching.
        name (str, optional): Item name.
    """

    number: str
    name: str | Unset = UNSET
    additional_properties: dict[str, Any] = _field(init=False, factory=dict)

    #: JSON names of the fields the server sets (``readOnly`` in the spec).
    __read_only__: ClassVar[frozenset[str]] = frozenset({})
    #: Python names of the decimal (money) fields.
    __decimal_fields__: ClassVar[tuple[str, ...]] = ()
    #: Python names of the fields that hold models (or lists of them).
    __nested__: ClassVar[tuple[str, ...]] = ()
    #: Python names of the fields whose values ``to_dict`` passes on unchecked.
    __free__: ClassVar[tuple[str, ...]] = ()
    #: Python name -> JSON name of every field.
    __wire_names__: ClassVar[dict[str, str]] = {
        "number": "number",
        "name": "name",
    }

    def to_dict(self) -> dict[str, Any]:
        """The model as the API's JSON object (unknown fields kept); a value of
        the wrong type raises :class:`~komfortkasse_generated._wire.WireError`."""
        _d: dict[str, Any] = dict(self.additional_properties)
        _unset = UNSET
        _v = self.number
        if not isinstance(_v, str):
            raise _w.WireError(
                "str", _w.describe(_v), (("number", "number"),), direction="write"
            )
        _d["number"] = _v

        _v = self.name
        if _v is not _unset:
            if not isinstance(_v, str):
                raise _w.WireError(
                    "str", _w.describe(_v), (("name", "name"),), direction="write"
                )
            _d["name"] = _v

        return _d

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        """Build the model from the API's JSON object, checking every value.

        Raises :class:`~komfortkasse_generated._wire.WireError` (a ``ValueError``)
        naming the field for a missing required field or a value of the wrong
        type; unknown fields land in ``additional_properties``.
        """
        _d = src_dict if type(src_dict) is dict else _w.as_mapping(src_dict)
        _get = _d.get
        _unset = UNSET
        number = _get("number", _unset)
        if type(number) is not str:
            if number is _unset:
                raise _w.missing((("number", "number"),))
            raise _w.WireError("string", _w.describe(number), (("number", "number"),))

        name = _get("name", _unset)
        if type(name) is not str and name is not _unset:
            raise _w.WireError("string", _w.describe(name), (("name", "name"),))

        # Positional when building this very class (a third of the keyword call's cost).
        if cls is OrderItem:
            _obj = cls(
                number,
                name,
            )
        else:
            _obj = cls(
                number=number,
                name=name,
            )
        if not _KNOWN.issuperset(_d):
            _obj.additional_properties = {
                k: v for k, v in _d.items() if k not in _KNOWN
            }
        return _obj

    def to_json(self) -> str:
        """The model as compact JSON text (decimals exact, dates ``dd-MM-yyyy``)."""
        return _w.dumps(self.to_dict())

    @classmethod
    def from_json(cls, text: str | bytes) -> Self:
        """Parse JSON text (decimals read exactly) and build the model strictly."""
        return cls.from_dict(_w.loads(text))

    def __repr__(self) -> str:
        return _w.model_repr(self, _FIELDS)

    @property
    def additional_keys(self) -> list[str]:
        """Names of the fields the spec does not know (kept as they came)."""
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties


_FIELDS: tuple[str, ...] = (
    "number",
    "name",
)
_KNOWN: frozenset[str] = frozenset(
    {
        "number",
        "name",
    }
)
