from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.order_type import OrderType
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.address import Address
    from ..models.order_item import OrderItem


T = TypeVar("T", bound="OrderWrite")


@_attrs_define
class OrderWrite:
    """Order data sent by the merchant when creating or updating an order.

    Attributes:
        date (datetime.date): Order date, the date the customer placed the order. Format: `dd-MM-yyyy`.
        type_ (OrderType | str):
        amount (float): Total order amount including all taxes, shipping, etc. This is the amount you expect to be paid.
            Format: `0.00`.
        currency (str): Currency of the order (ISO 4217).
        billing (Address): Postal address used for billing or shipping.

            At least one of `lastName` or `company` must be set.
        due_date (datetime.date | Unset): Date on which the amount is due to pay (e.g., shipping date for INVOICE
            orders). Format: `dd-MM-yyyy`.
        customer_email (str | Unset): Email address of customer. Optional, but obviously needed if you want Komfortkasse
            to send payment information or reminders.
        customer_number (str | Unset): Customer number (if the customer has a classic customer number plus a username
            from a marketplace such as eBay, concat these numbers/usernames with a '/').
        marketplace_number (str | Unset): Additional order number from a 3rd party marketplace e.g. ebay.
        payment_method (str | Unset): Technical string or id of the payment method in your shop. For information only.
        payment_method_description (str | Unset): Readable description or name of your payment method. For information
            only.
        status_description (str | Unset): String or id representing the order status in your shop. For information only.
        exchange_rate (float | Unset): Exchange rate, only needed if the order is in a currency where you don't have a
            Komfortkasse account.
        language (str | Unset): Customer's order language (ISO format). Komfortkasse will send out emails to your
            customer in this language (if supported).
        item_numbers (list[str] | Unset): DEPRECATED, use `items`.
        items (list[OrderItem] | Unset): List of item numbers and names. Item numbers will be used for payment matching.
        invoice_numbers (list[str] | Unset): List of invoice numbers. Will be used for payment matching.
        shipping_numbers (list[str] | Unset): List of shipping (tracking) numbers. Will be used for payment matching.
            Highly recommended if using Komfortkasse for COD.
        proforma_numbers (list[str] | Unset): List of proforma invoice numbers. Will be used for payment matching. Can
            also be used for other informational numbers like proposal numbers, confirmation numbers, etc.
        shipping (Address | Unset): Postal address used for billing or shipping.

            At least one of `lastName` or `company` must be set.
        initial_dunning_level (int | Unset): Initial dunning level when creating an order (can only be used when
            creating a new order).
        stop_reminder (bool | Unset): True if no automatic payment reminders should be sent for this order.
    """

    date: datetime.date
    type_: OrderType | str
    amount: float
    currency: str
    billing: Address
    due_date: datetime.date | Unset = UNSET
    customer_email: str | Unset = UNSET
    customer_number: str | Unset = UNSET
    marketplace_number: str | Unset = UNSET
    payment_method: str | Unset = UNSET
    payment_method_description: str | Unset = UNSET
    status_description: str | Unset = UNSET
    exchange_rate: float | Unset = UNSET
    language: str | Unset = UNSET
    item_numbers: list[str] | Unset = UNSET
    items: list[OrderItem] | Unset = UNSET
    invoice_numbers: list[str] | Unset = UNSET
    shipping_numbers: list[str] | Unset = UNSET
    proforma_numbers: list[str] | Unset = UNSET
    shipping: Address | Unset = UNSET
    initial_dunning_level: int | Unset = UNSET
    stop_reminder: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from komfortkasse._dates import date_to_wire

        date = date_to_wire(self.date, "date")

        type_: str
        if isinstance(self.type_, OrderType):
            type_ = self.type_.value
        else:
            type_ = self.type_

        amount = self.amount

        currency = self.currency

        billing = self.billing.to_dict()

        from komfortkasse._dates import date_to_wire

        due_date: str | Unset = UNSET
        if not isinstance(self.due_date, Unset):
            due_date = date_to_wire(self.due_date, "dueDate")

        customer_email = self.customer_email

        customer_number = self.customer_number

        marketplace_number = self.marketplace_number

        payment_method = self.payment_method

        payment_method_description = self.payment_method_description

        status_description = self.status_description

        exchange_rate = self.exchange_rate

        language = self.language

        item_numbers: list[str] | Unset = UNSET
        if not isinstance(self.item_numbers, Unset):
            item_numbers = self.item_numbers

        items: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.items, Unset):
            items = []
            for items_item_data in self.items:
                items_item = items_item_data.to_dict()
                items.append(items_item)

        invoice_numbers: list[str] | Unset = UNSET
        if not isinstance(self.invoice_numbers, Unset):
            invoice_numbers = self.invoice_numbers

        shipping_numbers: list[str] | Unset = UNSET
        if not isinstance(self.shipping_numbers, Unset):
            shipping_numbers = self.shipping_numbers

        proforma_numbers: list[str] | Unset = UNSET
        if not isinstance(self.proforma_numbers, Unset):
            proforma_numbers = self.proforma_numbers

        shipping: dict[str, Any] | Unset = UNSET
        if not isinstance(self.shipping, Unset):
            shipping = self.shipping.to_dict()

        initial_dunning_level = self.initial_dunning_level

        stop_reminder = self.stop_reminder

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "date": date,
                "type": type_,
                "amount": amount,
                "currency": currency,
                "billing": billing,
            }
        )
        if due_date is not UNSET:
            field_dict["dueDate"] = due_date
        if customer_email is not UNSET:
            field_dict["customerEmail"] = customer_email
        if customer_number is not UNSET:
            field_dict["customerNumber"] = customer_number
        if marketplace_number is not UNSET:
            field_dict["marketplaceNumber"] = marketplace_number
        if payment_method is not UNSET:
            field_dict["paymentMethod"] = payment_method
        if payment_method_description is not UNSET:
            field_dict["paymentMethodDescription"] = payment_method_description
        if status_description is not UNSET:
            field_dict["statusDescription"] = status_description
        if exchange_rate is not UNSET:
            field_dict["exchangeRate"] = exchange_rate
        if language is not UNSET:
            field_dict["language"] = language
        if item_numbers is not UNSET:
            field_dict["itemNumbers"] = item_numbers
        if items is not UNSET:
            field_dict["items"] = items
        if invoice_numbers is not UNSET:
            field_dict["invoiceNumbers"] = invoice_numbers
        if shipping_numbers is not UNSET:
            field_dict["shippingNumbers"] = shipping_numbers
        if proforma_numbers is not UNSET:
            field_dict["proformaNumbers"] = proforma_numbers
        if shipping is not UNSET:
            field_dict["shipping"] = shipping
        if initial_dunning_level is not UNSET:
            field_dict["initialDunningLevel"] = initial_dunning_level
        if stop_reminder is not UNSET:
            field_dict["stopReminder"] = stop_reminder

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.address import Address
        from ..models.order_item import OrderItem

        d = dict(src_dict)
        from komfortkasse._dates import date_from_wire

        date = date_from_wire(d.pop("date"), "date")

        def _parse_type_(data: object) -> OrderType | str:
            try:
                if not isinstance(data, str):
                    raise TypeError()
                type_type_0 = OrderType(data)

                return type_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(OrderType | str, data)

        type_ = _parse_type_(d.pop("type"))

        amount = d.pop("amount")

        currency = d.pop("currency")

        billing = Address.from_dict(d.pop("billing"))

        from komfortkasse._dates import date_from_wire

        due_date: datetime.date | Unset = UNSET
        _due_date_raw = d.pop("dueDate", UNSET)
        if not isinstance(_due_date_raw, Unset):
            due_date = date_from_wire(_due_date_raw, "dueDate")

        customer_email = d.pop("customerEmail", UNSET)

        customer_number = d.pop("customerNumber", UNSET)

        marketplace_number = d.pop("marketplaceNumber", UNSET)

        payment_method = d.pop("paymentMethod", UNSET)

        payment_method_description = d.pop("paymentMethodDescription", UNSET)

        status_description = d.pop("statusDescription", UNSET)

        exchange_rate = d.pop("exchangeRate", UNSET)

        language = d.pop("language", UNSET)

        item_numbers = cast(list[str], d.pop("itemNumbers", UNSET))

        _items = d.pop("items", UNSET)
        items: list[OrderItem] | Unset = UNSET
        if _items is not UNSET:
            items = []
            for items_item_data in _items:
                items_item = OrderItem.from_dict(items_item_data)

                items.append(items_item)

        invoice_numbers = cast(list[str], d.pop("invoiceNumbers", UNSET))

        shipping_numbers = cast(list[str], d.pop("shippingNumbers", UNSET))

        proforma_numbers = cast(list[str], d.pop("proformaNumbers", UNSET))

        _shipping = d.pop("shipping", UNSET)
        shipping: Address | Unset
        if isinstance(_shipping, Unset):
            shipping = UNSET
        else:
            shipping = Address.from_dict(_shipping)

        initial_dunning_level = d.pop("initialDunningLevel", UNSET)

        stop_reminder = d.pop("stopReminder", UNSET)

        order_write = cls(
            date=date,
            type_=type_,
            amount=amount,
            currency=currency,
            billing=billing,
            due_date=due_date,
            customer_email=customer_email,
            customer_number=customer_number,
            marketplace_number=marketplace_number,
            payment_method=payment_method,
            payment_method_description=payment_method_description,
            status_description=status_description,
            exchange_rate=exchange_rate,
            language=language,
            item_numbers=item_numbers,
            items=items,
            invoice_numbers=invoice_numbers,
            shipping_numbers=shipping_numbers,
            proforma_numbers=proforma_numbers,
            shipping=shipping,
            initial_dunning_level=initial_dunning_level,
            stop_reminder=stop_reminder,
        )

        order_write.additional_properties = d
        return order_write

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
