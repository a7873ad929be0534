"""OrderReminder: generated from the OpenAPI schema by komfortkasse's codegen; do not edit."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, ClassVar, Self

from attrs import define as _define
from attrs import field as _field

from .. import _wire as _w
from ..types import UNSET, File, Unset

__all__ = ["OrderReminder"]

_ = (datetime, Decimal, File)  # every model module imports the same names


@_define(repr=False)
class OrderReminder:
    """Single payment reminder entry.

    Attributes:
        date (datetime.date, optional): Date the reminder was sent.
        dunning_level (int, optional): Dunning level for this payment reminder.
        reminder_fee (Decimal, optional): Reminder fee for this payment reminder (not cumulated). Format: `0.00`.
        email (bool, optional): True if reminder was sent by email.
        letter (bool, optional): True if reminder was sent by letter.
        email_link (str, optional): Link to view the email sent to the customer.
    """

    date: datetime.date | Unset = UNSET
    dunning_level: int | Unset = UNSET
    reminder_fee: Decimal | Unset = UNSET
    email: bool | Unset = UNSET
    letter: bool | Unset = UNSET
    email_link: str | Unset = UNSET
    additional_properties: dict[str, Any] = _field(init=False, factory=dict)

    #: JSON names of the fields the server sets (``readOnly`` in the spec).
    __read_only__: ClassVar[frozenset[str]] = frozenset({})
    #: Python names of the decimal (money) fields.
    __decimal_fields__: ClassVar[tuple[str, ...]] = ("reminder_fee",)
    #: Python names of the fields that hold models (or lists of them).
    __nested__: ClassVar[tuple[str, ...]] = ()
    #: Python names of the fields whose values ``to_dict`` passes on unchecked.
    __free__: ClassVar[tuple[str, ...]] = ()
    #: Python name -> JSON name of every field.
    __wire_names__: ClassVar[dict[str, str]] = {
        "date": "date",
        "dunning_level": "dunningLevel",
        "reminder_fee": "reminderFee",
        "email": "email",
        "letter": "letter",
        "email_link": "emailLink",
    }

    def to_dict(self) -> dict[str, Any]:
        """The model as the API's JSON object (unknown fields kept); a value of
        the wrong type raises :class:`~komfortkasse_generated._wire.WireError`."""
        _d: dict[str, Any] = dict(self.additional_properties)
        _unset = UNSET
        _v = self.date
        if _v is not _unset:
            _d["date"] = _w.date_out(_v, (("date", "date"),))

        _v = self.dunning_level
        if _v is not _unset:
            if type(_v) is not int and (
                isinstance(_v, bool) or not isinstance(_v, int)
            ):
                raise _w.WireError(
                    "int",
                    _w.describe(_v),
                    (("dunningLevel", "dunning_level"),),
                    direction="write",
                )
            _d["dunningLevel"] = _v

        _v = self.reminder_fee
        if _v is not _unset:
            _d["reminderFee"] = _w.decimal_out(_v, (("reminderFee", "reminder_fee"),))

        _v = self.email
        if _v is not _unset:
            if not isinstance(_v, bool):
                raise _w.WireError(
                    "bool", _w.describe(_v), (("email", "email"),), direction="write"
                )
            _d["email"] = _v

        _v = self.letter
        if _v is not _unset:
            if not isinstance(_v, bool):
                raise _w.WireError(
                    "bool", _w.describe(_v), (("letter", "letter"),), direction="write"
                )
            _d["letter"] = _v

        _v = self.email_link
        if _v is not _unset:
            if not isinstance(_v, str):
                raise _w.WireError(
                    "str",
                    _w.describe(_v),
                    (("emailLink", "email_link"),),
                    direction="write",
                )
            _d["emailLink"] = _v

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
        _v = _get("date", _unset)
        date: Any = _unset
        if _v is not _unset:
            date = _w.date_at(_v, (("date", "date"),))

        dunning_level = _get("dunningLevel", _unset)
        if type(dunning_level) is not int and dunning_level is not _unset:
            raise _w.WireError(
                "integer",
                _w.describe(dunning_level),
                (("dunningLevel", "dunning_level"),),
            )

        _v = _get("reminderFee", _unset)
        reminder_fee: Any = _unset
        if _v is not _unset:
            reminder_fee = _w.decimal_at(_v, (("reminderFee", "reminder_fee"),))

        email = _get("email", _unset)
        if type(email) is not bool and email is not _unset:
            raise _w.WireError("boolean", _w.describe(email), (("email", "email"),))

        letter = _get("letter", _unset)
        if type(letter) is not bool and letter is not _unset:
            raise _w.WireError("boolean", _w.describe(letter), (("letter", "letter"),))

        email_link = _get("emailLink", _unset)
        if type(email_link) is not str and email_link is not _unset:
            raise _w.WireError(
                "string", _w.describe(email_link), (("emailLink", "email_link"),)
            )

        # Positional when building this very class (a third of the keyword call's cost).
        if cls is OrderReminder:
            _obj = cls(
                date,
                dunning_level,
                reminder_fee,
                email,
                letter,
                email_link,
            )
        else:
            _obj = cls(
                date=date,
                dunning_level=dunning_level,
                reminder_fee=reminder_fee,
                email=email,
                letter=letter,
                email_link=email_link,
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
    "date",
    "dunning_level",
    "reminder_fee",
    "email",
    "letter",
    "email_link",
)
_KNOWN: frozenset[str] = frozenset(
    {
        "date",
        "dunningLevel",
        "reminderFee",
        "email",
        "letter",
        "emailLink",
    }
)
