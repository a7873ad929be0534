from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="OrderReminder")


@_attrs_define
class OrderReminder:
    """Single payment reminder entry.

    Attributes:
        date (datetime.date | Unset): Date the reminder was sent.
        dunning_level (int | Unset): Dunning level for this payment reminder.
        reminder_fee (float | Unset): Reminder fee for this payment reminder (not cumulated). Format: `0.00`.
        email (bool | Unset): True if reminder was sent by email.
        letter (bool | Unset): True if reminder was sent by letter.
        email_link (str | Unset): Link to view the email sent to the customer.
    """

    date: datetime.date | Unset = UNSET
    dunning_level: int | Unset = UNSET
    reminder_fee: float | Unset = UNSET
    email: bool | Unset = UNSET
    letter: bool | Unset = UNSET
    email_link: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from komfortkasse._dates import date_to_wire

        date: str | Unset = UNSET
        if not isinstance(self.date, Unset):
            date = date_to_wire(self.date, "date")

        dunning_level = self.dunning_level

        reminder_fee = self.reminder_fee

        email = self.email

        letter = self.letter

        email_link = self.email_link

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if date is not UNSET:
            field_dict["date"] = date
        if dunning_level is not UNSET:
            field_dict["dunningLevel"] = dunning_level
        if reminder_fee is not UNSET:
            field_dict["reminderFee"] = reminder_fee
        if email is not UNSET:
            field_dict["email"] = email
        if letter is not UNSET:
            field_dict["letter"] = letter
        if email_link is not UNSET:
            field_dict["emailLink"] = email_link

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        from komfortkasse._dates import date_from_wire

        date: datetime.date | Unset = UNSET
        _date_raw = d.pop("date", UNSET)
        if not isinstance(_date_raw, Unset):
            date = date_from_wire(_date_raw, "date")

        dunning_level = d.pop("dunningLevel", UNSET)

        reminder_fee = d.pop("reminderFee", UNSET)

        email = d.pop("email", UNSET)

        letter = d.pop("letter", UNSET)

        email_link = d.pop("emailLink", UNSET)

        order_reminder = cls(
            date=date,
            dunning_level=dunning_level,
            reminder_fee=reminder_fee,
            email=email,
            letter=letter,
            email_link=email_link,
        )

        order_reminder.additional_properties = d
        return order_reminder

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
