"""Posting: generated from the OpenAPI schema by komfortkasse's codegen; do not edit."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, ClassVar, Self

from attrs import define as _define
from attrs import field as _field

from .. import _wire as _w
from ..types import UNSET, File, Unset

__all__ = ["Posting"]

_ = (datetime, Decimal, File)  # every model module imports the same names


@_define(repr=False)
class Posting:
    """A bank posting / payment.

    Attributes:
        id (str, optional): Unique ID (given by Komfortkasse).
        amount (Decimal, optional): Amount of the posting. Format: `0.00`.
        currency (str, optional): Currency of the posting.
        posting_date (datetime.date, optional): Date (booking date) of the posting.
        valuation_date (datetime.date, optional): Valuation date of the posting.
        originator (str, optional): Originator/counterparty name.
        reference (str, optional): Reference number.
        text (str, optional): Text (payment reference).
    """

    id: str | Unset = UNSET
    amount: Decimal | Unset = UNSET
    currency: str | Unset = UNSET
    posting_date: datetime.date | Unset = UNSET
    valuation_date: datetime.date | Unset = UNSET
    originator: str | Unset = UNSET
    reference: str | Unset = UNSET
    text: str | Unset = UNSET
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
        "id": "id",
        "amount": "amount",
        "currency": "currency",
        "posting_date": "postingDate",
        "valuation_date": "valuationDate",
        "originator": "originator",
        "reference": "reference",
        "text": "text",
    }

    def to_dict(self) -> dict[str, Any]:
        """The model as the API's JSON object (unknown fields kept); a value of
        the wrong type raises :class:`~komfortkasse_generated._wire.WireError`."""
        _d: dict[str, Any] = dict(self.additional_properties)
        _unset = UNSET
        _v = self.id
        if _v is not _unset:
            if not isinstance(_v, str):
                raise _w.WireError(
                    "str", _w.describe(_v), (("id", "id"),), direction="write"
                )
            _d["id"] = _v

        _v = self.amount
        if _v is not _unset:
            _d["amount"] = _w.decimal_out(_v, (("amount", "amount"),))

        _v = self.currency
        if _v is not _unset:
            if not isinstance(_v, str):
                raise _w.WireError(
                    "str",
                    _w.describe(_v),
                    (("currency", "currency"),),
                    direction="write",
                )
            _d["currency"] = _v

        _v = self.posting_date
        if _v is not _unset:
            _d["postingDate"] = _w.date_out(_v, (("postingDate", "posting_date"),))

        _v = self.valuation_date
        if _v is not _unset:
            _d["valuationDate"] = _w.date_out(
                _v, (("valuationDate", "valuation_date"),)
            )

        _v = self.originator
        if _v is not _unset:
            if not isinstance(_v, str):
                raise _w.WireError(
                    "str",
                    _w.describe(_v),
                    (("originator", "originator"),),
                    direction="write",
                )
            _d["originator"] = _v

        _v = self.reference
        if _v is not _unset:
            if not isinstance(_v, str):
                raise _w.WireError(
                    "str",
                    _w.describe(_v),
                    (("reference", "reference"),),
                    direction="write",
                )
            _d["reference"] = _v

        _v = self.text
        if _v is not _unset:
            if not isinstance(_v, str):
                raise _w.WireError(
                    "str", _w.describe(_v), (("text", "text"),), direction="write"
                )
            _d["text"] = _v

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
        id = _get("id", _unset)
        if type(id) is not str and id is not _unset:
            raise _w.WireError("string", _w.describe(id), (("id", "id"),))

        _v = _get("amount", _unset)
        amount: Any = _unset
        if _v is not _unset:
            amount = _w.decimal_at(_v, (("amount", "amount"),))

        currency = _get("currency", _unset)
        if type(currency) is not str and currency is not _unset:
            raise _w.WireError(
                "string", _w.describe(currency), (("currency", "currency"),)
            )

        _v = _get("postingDate", _unset)
        posting_date: Any = _unset
        if _v is not _unset:
            posting_date = _w.date_at(_v, (("postingDate", "posting_date"),))

        _v = _get("valuationDate", _unset)
        valuation_date: Any = _unset
        if _v is not _unset:
            valuation_date = _w.date_at(_v, (("valuationDate", "valuation_date"),))

        originator = _get("originator", _unset)
        if type(originator) is not str and originator is not _unset:
            raise _w.WireError(
                "string", _w.describe(originator), (("originator", "originator"),)
            )

        reference = _get("reference", _unset)
        if type(reference) is not str and reference is not _unset:
            raise _w.WireError(
                "string", _w.describe(reference), (("reference", "reference"),)
            )

        text = _get("text", _unset)
        if type(text) is not str and text is not _unset:
            raise _w.WireError("string", _w.describe(text), (("text", "text"),))

        # Positional when building this very class (a third of the keyword call's cost).
        if cls is Posting:
            _obj = cls(
                id,
                amount,
                currency,
                posting_date,
                valuation_date,
                originator,
                reference,
                text,
            )
        else:
            _obj = cls(
                id=id,
                amount=amount,
                currency=currency,
                posting_date=posting_date,
                valuation_date=valuation_date,
                originator=originator,
                reference=reference,
                text=text,
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
    "id",
    "amount",
    "currency",
    "posting_date",
    "valuation_date",
    "originator",
    "reference",
    "text",
)
_KNOWN: frozenset[str] = frozenset(
    {
        "id",
        "amount",
        "currency",
        "postingDate",
        "valuationDate",
        "originator",
        "reference",
        "text",
    }
)
