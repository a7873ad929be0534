from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Refund")


@_attrs_define
class Refund:
    """Refund definition (request payload).

    Attributes:
        external_reference (str): Reference given by you.
        amount (float): Refund amount. Format: `0.00`.
        currency (str): Refund currency.
        planned_date (datetime.date): Planned date (date when the bank transfer should be initiated — can be delayed for
            technical or other reasons, e.g. waiting for bank details).
    """

    external_reference: str
    amount: float
    currency: str
    planned_date: datetime.date
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        external_reference = self.external_reference

        amount = self.amount

        currency = self.currency

        from komfortkasse._dates import date_to_wire

        planned_date = date_to_wire(self.planned_date, "plannedDate")

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "externalReference": external_reference,
                "amount": amount,
                "currency": currency,
                "plannedDate": planned_date,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        external_reference = d.pop("externalReference")

        amount = d.pop("amount")

        currency = d.pop("currency")

        from komfortkasse._dates import date_from_wire

        planned_date = date_from_wire(d.pop("plannedDate"), "plannedDate")

        refund = cls(
            external_reference=external_reference,
            amount=amount,
            currency=currency,
            planned_date=planned_date,
        )

        refund.additional_properties = d
        return refund

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
