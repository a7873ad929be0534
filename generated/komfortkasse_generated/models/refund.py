"""Refund: generated from the OpenAPI schema by komfortkasse's codegen; do not edit."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, ClassVar, Self

from attrs import define as _define
from attrs import field as _field

from .. import _wire as _w
from ..types import UNSET, File

__all__ = ["Refund"]

_ = (datetime, Decimal, File)  # every model module imports the same names


@_define(repr=False)
class Refund:
    """Refund definition (request payload).

    Attributes:
        external_reference (str): Reference given by you.
        amount (Decimal): Refund amount. Format: `0.00`.
        currency (str): Refund currency.
        planned_date (datetime.date): Planned date (date when the bank transfer should be initiated — can be delayed
            for technical or other reasons, e.g. waiting for bank details).
    """

    external_reference: str
    amount: Decimal
    currency: str
    planned_date: datetime.date
    additional_properties: dict[str, Any] = _field(init=False, factory=dict)

    #: JSON names of the fields the server sets (``readOnly`` in the spec).
    __read_only__: ClassVar[frozenset[str]] = frozenset({})
    #: Python names of the decimal (money) fields.
    __decimal_fields__: ClassVar[tuple[str, ...]] = ("amount",)
    #: Python names of the fields that hold models (or lists of them).
    __nested__: ClassVar[tuple[str, ...]] = ()
    #: Python names of the fields whose values ``to_dict`` passes on unchecked.
    __free__: ClassVar[tuple[str, ...]] = ()
    #: Python name -> JSON name of every field.
    __wire_names__: ClassVar[dict[str, str]] = {
        "external_reference": "externalReference",
        "amount": "amount",
        "currency": "currency",
        "planned_date": "plannedDate",
    }

    def to_dict(self) -> dict[str, Any]:
        """The model as the API's JSON object (unknown fields kept); a value of
        the wrong type raises :class:`~komfortkasse_generated._wire.WireError`."""
        _d: dict[str, Any] = dict(self.additional_properties)
        _unset = UNSET
        _v = self.external_reference
        if not isinstance(_v, str):
            raise _w.WireError(
                "str",
                _w.describe(_v),
                (("externalReference", "external_reference"),),
                direction="write",
            )
        _d["externalReference"] = _v

        _v = self.amount
        _d["amount"] = _w.decimal_out(_v, (("amount", "amount"),))

        _v = self.currency
        if not isinstance(_v, str):
            raise _w.WireError(
                "str", _w.describe(_v), (("currency", "currency"),), direction="write"
            )
        _d["currency"] = _v

        _v = self.planned_date
        _d["plannedDate"] = _w.date_out(_v, (("plannedDate", "planned_date"),))

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
        external_reference = _get("externalReference", _unset)
        if type(external_reference) is not str:
            if external_reference is _unset:
                raise _w.missing((("externalReference", "external_reference"),))
            raise _w.WireError(
                "string",
                _w.describe(external_reference),
                (("externalReference", "external_reference"),),
            )

        _v = _get("amount", _unset)
        if _v is _unset:
            raise _w.missing((("amount", "amount"),))
        amount = _w.decimal_at(_v, (("amount", "amount"),))

        currency = _get("currency", _unset)
        if type(currency) is not str:
            if currency is _unset:
                raise _w.missing((("currency", "currency"),))
            raise _w.WireError(
                "string", _w.describe(currency), (("currency", "currency"),)
            )

        _v = _get("plannedDate", _unset)
        if _v is _unset:
            raise _w.missing((("plannedDate", "planned_date"),))
        planned_date = _w.date_at(_v, (("plannedDate", "planned_date"),))

        # Positional when building this very class (a third of the keyword call's cost).
        if cls is Refund:
            _obj = cls(
                external_reference,
                amount,
                currency,
                planned_date,
            )
        else:
            _obj = cls(
                external_reference=external_reference,
                amount=amount,
                currency=currency,
                planned_date=planned_date,
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
    "external_reference",
    "amount",
    "currency",
    "planned_date",
)
_KNOWN: frozenset[str] = frozenset(
    {
        "externalReference",
        "amount",
        "currency",
        "plannedDate",
    }
)
