from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.order_write_with_number import OrderWriteWithNumber


T = TypeVar("T", bound="PostingRead")


@_attrs_define
class PostingRead:
    """
    Attributes:
        id (str | Unset): Unique ID (given by Komfortkasse).
        amount (float | Unset): Amount of the posting. Format: `0.00`.
        currency (str | Unset): Currency of the posting.
        posting_date (datetime.date | Unset): Date (booking date) of the posting.
        valuation_date (datetime.date | Unset): Valuation date of the posting.
        originator (str | Unset): Originator/counterparty name.
        reference (str | Unset): Reference number.
        text (str | Unset): Text (payment reference).
        orders (list[OrderWriteWithNumber] | Unset): List of Orders assigned to this posting (only if parameter
            `includeOrders` is given).
    """

    id: str | Unset = UNSET
    amount: float | Unset = UNSET
    currency: str | Unset = UNSET
    posting_date: datetime.date | Unset = UNSET
    valuation_date: datetime.date | Unset = UNSET
    originator: str | Unset = UNSET
    reference: str | Unset = UNSET
    text: str | Unset = UNSET
    orders: list[OrderWriteWithNumber] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        amount = self.amount

        currency = self.currency

        from komfortkasse._dates import date_to_wire

        posting_date: str | Unset = UNSET
        if not isinstance(self.posting_date, Unset):
            posting_date = date_to_wire(self.posting_date, "postingDate")

        from komfortkasse._dates import date_to_wire

        valuation_date: str | Unset = UNSET
        if not isinstance(self.valuation_date, Unset):
            valuation_date = date_to_wire(self.valuation_date, "valuationDate")

        originator = self.originator

        reference = self.reference

        text = self.text

        orders: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.orders, Unset):
            orders = []
            for orders_item_data in self.orders:
                orders_item = orders_item_data.to_dict()
                orders.append(orders_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if id is not UNSET:
            field_dict["id"] = id
        if amount is not UNSET:
            field_dict["amount"] = amount
        if currency is not UNSET:
            field_dict["currency"] = currency
        if posting_date is not UNSET:
            field_dict["postingDate"] = posting_date
        if valuation_date is not UNSET:
            field_dict["valuationDate"] = valuation_date
        if originator is not UNSET:
            field_dict["originator"] = originator
        if reference is not UNSET:
            field_dict["reference"] = reference
        if text is not UNSET:
            field_dict["text"] = text
        if orders is not UNSET:
            field_dict["orders"] = orders

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.order_write_with_number import OrderWriteWithNumber

        d = dict(src_dict)
        id = d.pop("id", UNSET)

        amount = d.pop("amount", UNSET)

        currency = d.pop("currency", UNSET)

        from komfortkasse._dates import date_from_wire

        posting_date: datetime.date | Unset = UNSET
        _posting_date_raw = d.pop("postingDate", UNSET)
        if not isinstance(_posting_date_raw, Unset):
            posting_date = date_from_wire(_posting_date_raw, "postingDate")

        from komfortkasse._dates import date_from_wire

        valuation_date: datetime.date | Unset = UNSET
        _valuation_date_raw = d.pop("valuationDate", UNSET)
        if not isinstance(_valuation_date_raw, Unset):
            valuation_date = date_from_wire(_valuation_date_raw, "valuationDate")

        originator = d.pop("originator", UNSET)

        reference = d.pop("reference", UNSET)

        text = d.pop("text", UNSET)

        _orders = d.pop("orders", UNSET)
        orders: list[OrderWriteWithNumber] | Unset = UNSET
        if _orders is not UNSET:
            orders = []
            for orders_item_data in _orders:
                orders_item = OrderWriteWithNumber.from_dict(orders_item_data)

                orders.append(orders_item)

        posting_read = cls(
            id=id,
            amount=amount,
            currency=currency,
            posting_date=posting_date,
            valuation_date=valuation_date,
            originator=originator,
            reference=reference,
            text=text,
            orders=orders,
        )

        posting_read.additional_properties = d
        return posting_read

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
