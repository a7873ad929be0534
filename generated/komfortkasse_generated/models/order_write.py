"""OrderWrite: generated from the OpenAPI schema by komfortkasse's codegen; do not edit."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, ClassVar, Self

from attrs import define as _define
from attrs import field as _field

from .. import _wire as _w
from ..types import UNSET, File, Unset
from .address import Address
from .order_item import OrderItem
from .order_type import OrderType

__all__ = ["OrderWrite"]

_ = (datetime, Decimal, File)  # every model module imports the same names


@_define(repr=False)
class OrderWrite:
    """Order data sent by the merchant when creating or updating an order.

    Attributes:
        date (datetime.date): Order date, the date the customer placed the order. Format: `dd-MM-yyyy`.
        type_ (OrderType | str): Order payment type: - `INVOICE` — invoice (German: Rechnung) - `PREPAYMENT` —
            prepayment (German: Vorkasse) - `COD` — cash on delivery (German: Nachnahme) -
            `OTHER` — other payment type (will not be managed by Komfortkasse) — normally
            not needed
        amount (Decimal): Total order amount including all taxes, shipping, etc. This is the amount you
            expect to be paid. Format: `0.00`.
        currency (str): Currency of the order (ISO 4217).
        billing (Address): Postal address used for billing or shipping.  At least one of `lastName` or
            `company` must be set.
        due_date (datetime.date, optional): Date on which the amount is due to pay (e.g., shipping date for INVOICE orders).
            Format: `dd-MM-yyyy`.
        customer_email (str, optional): Email address of customer. Optional, but obviously needed if you want
            Komfortkasse to send payment information or reminders.
        customer_number (str, optional): Customer number (if the customer has a classic customer number plus a username
            from a marketplace such as eBay, concat these numbers/usernames with a '/').
        marketplace_number (str, optional): Additional order number from a 3rd party marketplace e.g. ebay.
        payment_method (str, optional): Technical string or id of the payment method in your shop. For information only.
        payment_method_description (str, optional): Readable description or name of your payment method. For information only.
        status_description (str, optional): String or id representing the order status in your shop. For information only.
        exchange_rate (Decimal, optional): Exchange rate, only needed if the order is in a currency where you don't have a
            Komfortkasse account.
        language (str, optional): Customer's order language (ISO format). Komfortkasse will send out emails to
            your customer in this language (if supported).
        item_numbers (list[str], optional): DEPRECATED, use `items`.
        items (list[OrderItem], optional): List of item numbers and names. Item numbers will be used for payment matching.
        invoice_numbers (list[str], optional): List of invoice numbers. Will be used for payment matching.
        shipping_numbers (list[str], optional): List of shipping (tracking) numbers. Will be used for payment matching. Highly
            recommended if using Komfortkasse for COD.
        proforma_numbers (list[str], optional): List of proforma invoice numbers. Will be used for payment matching. Can also be
            used for other informational numbers like proposal numbers, confirmation
            numbers, etc.
        shipping (Address, optional): Postal address used for billing or shipping.  At least one of `lastName` or
            `company` must be set.
        initial_dunning_level (int, optional): Initial dunning level when creating an order (can only be used when creating a
            new order).
        stop_reminder (bool, optional): True if no automatic payment reminders should be sent for this order.
    """

    date: datetime.date
    type_: OrderType | str
    amount: Decimal
    currency: str
    billing: Address
    due_date: datetime.date | Unset = UNSET
    customer_email: str | Unset = UNSET
    customer_number: str | Unset = UNSET
    marketplace_number: str | Unset = UNSET
    payment_method: str | Unset = UNSET
    payment_method_description: str | Unset = UNSET
    status_description: str | Unset = UNSET
    exchange_rate: Decimal | Unset = UNSET
    language: str | Unset = UNSET
    item_numbers: list[str] | Unset = UNSET
    items: list[OrderItem] | Unset = UNSET
    invoice_numbers: list[str] | Unset = UNSET
    shipping_numbers: list[str] | Unset = UNSET
    proforma_numbers: list[str] | Unset = UNSET
    shipping: Address | Unset = UNSET
    initial_dunning_level: int | Unset = UNSET
    stop_reminder: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _field(init=False, factory=dict)

    #: JSON names of the fields the server sets (``readOnly`` in the spec).
    __read_only__: ClassVar[frozenset[str]] = frozenset({})
    #: Python names of the decimal (money) fields.
    __decimal_fields__: ClassVar[tuple[str, ...]] = (
        "amount",
        "exchange_rate",
    )
    #: Python names of the fields that hold models (or lists of them).
    __nested__: ClassVar[tuple[str, ...]] = (
        "billing",
        "items",
        "shipping",
    )
    #: Python names of the fields whose values ``to_dict`` passes on unchecked.
    __free__: ClassVar[tuple[str, ...]] = ()
    #: Python name -> JSON name of every field.
    __wire_names__: ClassVar[dict[str, str]] = {
        "date": "date",
        "type_": "type",
        "amount": "amount",
        "currency": "currency",
        "billing": "billing",
        "due_date": "dueDate",
        "customer_email": "customerEmail",
        "customer_number": "customerNumber",
        "marketplace_number": "marketplaceNumber",
        "payment_method": "paymentMethod",
        "payment_method_description": "paymentMethodDescription",
        "status_description": "statusDescription",
        "exchange_rate": "exchangeRate",
        "language": "language",
        "item_numbers": "itemNumbers",
        "items": "items",
        "invoice_numbers": "invoiceNumbers",
        "shipping_numbers": "shippingNumbers",
        "proforma_numbers": "proformaNumbers",
        "shipping": "shipping",
        "initial_dunning_level": "initialDunningLevel",
        "stop_reminder": "stopReminder",
    }

    def to_dict(self) -> dict[str, Any]:
        """The model as the API's JSON object (unknown fields kept); a value of
        the wrong type raises :class:`~komfortkasse_generated._wire.WireError`."""
        _d: dict[str, Any] = dict(self.additional_properties)
        _unset = UNSET
        _v = self.date
        _d["date"] = _w.date_out(_v, (("date", "date"),))

        _v = self.type_
        if type(_v) is str:
            _d["type"] = _v
        elif isinstance(_v, OrderType):
            _d["type"] = _v._value_  # the member's value without the enum descriptor
        elif isinstance(_v, str):
            _d["type"] = str(_v)
        else:
            raise _w.WireError(
                "OrderType or str",
                _w.describe(_v),
                (("type", "type_"),),
                direction="write",
            )

        _v = self.amount
        _d["amount"] = _w.decimal_out(_v, (("amount", "amount"),))

        _v = self.currency
        if not isinstance(_v, str):
            raise _w.WireError(
                "str", _w.describe(_v), (("currency", "currency"),), direction="write"
            )
        _d["currency"] = _v

        _v = self.billing
        if not isinstance(_v, Address):
            raise _w.WireError(
                "Address", _w.describe(_v), (("billing", "billing"),), direction="write"
            )
        try:
            _d["billing"] = _v.to_dict()
        except _w.WireError as error:
            raise error.nested((("billing", "billing"),)) from None

        _v = self.due_date
        if _v is not _unset:
            _d["dueDate"] = _w.date_out(_v, (("dueDate", "due_date"),))

        _v = self.customer_email
        if _v is not _unset:
            if not isinstance(_v, str):
                raise _w.WireError(
                    "str",
                    _w.describe(_v),
                    (("customerEmail", "customer_email"),),
                    direction="write",
                )
            _d["customerEmail"] = _v

        _v = self.customer_number
        if _v is not _unset:
            if not isinstance(_v, str):
                raise _w.WireError(
                    "str",
                    _w.describe(_v),
                    (("customerNumber", "customer_number"),),
                    direction="write",
                )
            _d["customerNumber"] = _v

        _v = self.marketplace_number
        if _v is not _unset:
            if not isinstance(_v, str):
                raise _w.WireError(
                    "str",
                    _w.describe(_v),
                    (("marketplaceNumber", "marketplace_number"),),
                    direction="write",
                )
            _d["marketplaceNumber"] = _v

        _v = self.payment_method
        if _v is not _unset:
            if not isinstance(_v, str):
                raise _w.WireError(
                    "str",
                    _w.describe(_v),
                    (("paymentMethod", "payment_method"),),
                    direction="write",
                )
            _d["paymentMethod"] = _v

        _v = self.payment_method_description
        if _v is not _unset:
            if not isinstance(_v, str):
                raise _w.WireError(
                    "str",
                    _w.describe(_v),
                    (("paymentMethodDescription", "payment_method_description"),),
                    direction="write",
                )
            _d["paymentMethodDescription"] = _v

        _v = self.status_description
        if _v is not _unset:
            if not isinstance(_v, str):
                raise _w.WireError(
                    "str",
                    _w.describe(_v),
                    (("statusDescription", "status_description"),),
                    direction="write",
                )
            _d["statusDescription"] = _v

        _v = self.exchange_rate
        if _v is not _unset:
            _d["exchangeRate"] = _w.decimal_out(
                _v, (("exchangeRate", "exchange_rate"),)
            )

        _v = self.language
        if _v is not _unset:
            if not isinstance(_v, str):
                raise _w.WireError(
                    "str",
                    _w.describe(_v),
                    (("language", "language"),),
                    direction="write",
                )
            _d["language"] = _v

        _v = self.item_numbers
        if _v is not _unset:
            if not isinstance(_v, list):
                raise _w.WireError(
                    "list",
                    _w.describe(_v),
                    (("itemNumbers", "item_numbers"),),
                    direction="write",
                )
            for i0, x0 in enumerate(_v):
                if not isinstance(x0, str):
                    raise _w.WireError(
                        "str",
                        _w.describe(x0),
                        ((("itemNumbers", "item_numbers"),)) + ((i0, i0),),
                        direction="write",
                    )
            _d["itemNumbers"] = list(_v)

        _v = self.items
        if _v is not _unset:
            if not isinstance(_v, list):
                raise _w.WireError(
                    "list", _w.describe(_v), (("items", "items"),), direction="write"
                )
            out0 = []
            for i0, x0 in enumerate(_v):
                if not isinstance(x0, OrderItem):
                    raise _w.WireError(
                        "OrderItem",
                        _w.describe(x0),
                        ((("items", "items"),)) + ((i0, i0),),
                        direction="write",
                    )
                try:
                    x0 = x0.to_dict()
                except _w.WireError as error:
                    raise error.nested(((("items", "items"),)) + ((i0, i0),)) from None

                out0.append(x0)
            _d["items"] = out0

        _v = self.invoice_numbers
        if _v is not _unset:
            if not isinstance(_v, list):
                raise _w.WireError(
                    "list",
                    _w.describe(_v),
                    (("invoiceNumbers", "invoice_numbers"),),
                    direction="write",
                )
            for i0, x0 in enumerate(_v):
                if not isinstance(x0, str):
                    raise _w.WireError(
                        "str",
                        _w.describe(x0),
                        ((("invoiceNumbers", "invoice_numbers"),)) + ((i0, i0),),
                        direction="write",
                    )
            _d["invoiceNumbers"] = list(_v)

        _v = self.shipping_numbers
        if _v is not _unset:
            if not isinstance(_v, list):
                raise _w.WireError(
                    "list",
                    _w.describe(_v),
                    (("shippingNumbers", "shipping_numbers"),),
                    direction="write",
                )
            for i0, x0 in enumerate(_v):
                if not isinstance(x0, str):
                    raise _w.WireError(
                        "str",
                        _w.describe(x0),
                        ((("shippingNumbers", "shipping_numbers"),)) + ((i0, i0),),
                        direction="write",
                    )
            _d["shippingNumbers"] = list(_v)

        _v = self.proforma_numbers
        if _v is not _unset:
            if not isinstance(_v, list):
                raise _w.WireError(
                    "list",
                    _w.describe(_v),
                    (("proformaNumbers", "proforma_numbers"),),
                    direction="write",
                )
            for i0, x0 in enumerate(_v):
                if not isinstance(x0, str):
                    raise _w.WireError(
                        "str",
                        _w.describe(x0),
                        ((("proformaNumbers", "proforma_numbers"),)) + ((i0, i0),),
                        direction="write",
                    )
            _d["proformaNumbers"] = list(_v)

        _v = self.shipping
        if _v is not _unset:
            if not isinstance(_v, Address):
                raise _w.WireError(
                    "Address",
                    _w.describe(_v),
                    (("shipping", "shipping"),),
                    direction="write",
                )
            try:
                _d["shipping"] = _v.to_dict()
            except _w.WireError as error:
                raise error.nested((("shipping", "shipping"),)) from None

        _v = self.initial_dunning_level
        if _v is not _unset:
            if type(_v) is not int and (
                isinstance(_v, bool) or not isinstance(_v, int)
            ):
                raise _w.WireError(
                    "int",
                    _w.describe(_v),
                    (("initialDunningLevel", "initial_dunning_level"),),
                    direction="write",
                )
            _d["initialDunningLevel"] = _v

        _v = self.stop_reminder
        if _v is not _unset:
            if not isinstance(_v, bool):
                raise _w.WireError(
                    "bool",
                    _w.describe(_v),
                    (("stopReminder", "stop_reminder"),),
                    direction="write",
                )
            _d["stopReminder"] = _v

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
        if _v is _unset:
            raise _w.missing((("date", "date"),))
        date = _w.date_at(_v, (("date", "date"),))

        type_ = _get("type", _unset)
        if type(type_) is str:
            type_ = OrderType._value2member_map_.get(type_, type_)
        elif type_ is _unset:
            raise _w.missing((("type", "type_"),))
        else:
            raise _w.WireError("string", _w.describe(type_), (("type", "type_"),))

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

        _v = _get("billing", _unset)
        if _v is _unset:
            raise _w.missing((("billing", "billing"),))
        try:
            billing = Address.from_dict(_v)
        except _w.WireError as error:
            raise error.nested((("billing", "billing"),)) from None

        _v = _get("dueDate", _unset)
        due_date: Any = _unset
        if _v is not _unset:
            due_date = _w.date_at(_v, (("dueDate", "due_date"),))

        customer_email = _get("customerEmail", _unset)
        if type(customer_email) is not str and customer_email is not _unset:
            raise _w.WireError(
                "string",
                _w.describe(customer_email),
                (("customerEmail", "customer_email"),),
            )

        customer_number = _get("customerNumber", _unset)
        if type(customer_number) is not str and customer_number is not _unset:
            raise _w.WireError(
                "string",
                _w.describe(customer_number),
                (("customerNumber", "customer_number"),),
            )

        marketplace_number = _get("marketplaceNumber", _unset)
        if type(marketplace_number) is not str and marketplace_number is not _unset:
            raise _w.WireError(
                "string",
                _w.describe(marketplace_number),
                (("marketplaceNumber", "marketplace_number"),),
            )

        payment_method = _get("paymentMethod", _unset)
        if type(payment_method) is not str and payment_method is not _unset:
            raise _w.WireError(
                "string",
                _w.describe(payment_method),
                (("paymentMethod", "payment_method"),),
            )

        payment_method_description = _get("paymentMethodDescription", _unset)
        if (
            type(payment_method_description) is not str
            and payment_method_description is not _unset
        ):
            raise _w.WireError(
                "string",
                _w.describe(payment_method_description),
                (("paymentMethodDescription", "payment_method_description"),),
            )

        status_description = _get("statusDescription", _unset)
        if type(status_description) is not str and status_description is not _unset:
            raise _w.WireError(
                "string",
                _w.describe(status_description),
                (("statusDescription", "status_description"),),
            )

        _v = _get("exchangeRate", _unset)
        exchange_rate: Any = _unset
        if _v is not _unset:
            exchange_rate = _w.decimal_at(_v, (("exchangeRate", "exchange_rate"),))

        language = _get("language", _unset)
        if type(language) is not str and language is not _unset:
            raise _w.WireError(
                "string", _w.describe(language), (("language", "language"),)
            )

        _v = _get("itemNumbers", _unset)
        item_numbers: Any = _unset
        if _v is not _unset:
            if type(_v) is not list:
                raise _w.WireError(
                    "array", _w.describe(_v), (("itemNumbers", "item_numbers"),)
                )
            for i0, x0 in enumerate(_v):
                if type(x0) is not str:
                    raise _w.WireError(
                        "string",
                        _w.describe(x0),
                        ((("itemNumbers", "item_numbers"),)) + ((i0, i0),),
                    )
            item_numbers = list(_v)

        _v = _get("items", _unset)
        items: Any = _unset
        if _v is not _unset:
            if type(_v) is not list:
                raise _w.WireError("array", _w.describe(_v), (("items", "items"),))
            out0 = []
            for i0, x0 in enumerate(_v):
                try:
                    x0 = OrderItem.from_dict(x0)
                except _w.WireError as error:
                    raise error.nested(((("items", "items"),)) + ((i0, i0),)) from None

                out0.append(x0)
            items = out0

        _v = _get("invoiceNumbers", _unset)
        invoice_numbers: Any = _unset
        if _v is not _unset:
            if type(_v) is not list:
                raise _w.WireError(
                    "array", _w.describe(_v), (("invoiceNumbers", "invoice_numbers"),)
                )
            for i0, x0 in enumerate(_v):
                if type(x0) is not str:
                    raise _w.WireError(
                        "string",
                        _w.describe(x0),
                        ((("invoiceNumbers", "invoice_numbers"),)) + ((i0, i0),),
                    )
            invoice_numbers = list(_v)

        _v = _get("shippingNumbers", _unset)
        shipping_numbers: Any = _unset
        if _v is not _unset:
            if type(_v) is not list:
                raise _w.WireError(
                    "array", _w.describe(_v), (("shippingNumbers", "shipping_numbers"),)
                )
            for i0, x0 in enumerate(_v):
                if type(x0) is not str:
                    raise _w.WireError(
                        "string",
                        _w.describe(x0),
                        ((("shippingNumbers", "shipping_numbers"),)) + ((i0, i0),),
                    )
            shipping_numbers = list(_v)

        _v = _get("proformaNumbers", _unset)
        proforma_numbers: Any = _unset
        if _v is not _unset:
            if type(_v) is not list:
                raise _w.WireError(
                    "array", _w.describe(_v), (("proformaNumbers", "proforma_numbers"),)
                )
            for i0, x0 in enumerate(_v):
                if type(x0) is not str:
                    raise _w.WireError(
                        "string",
                        _w.describe(x0),
                        ((("proformaNumbers", "proforma_numbers"),)) + ((i0, i0),),
                    )
            proforma_numbers = list(_v)

        _v = _get("shipping", _unset)
        shipping: Any = _unset
        if _v is not _unset:
            try:
                shipping = Address.from_dict(_v)
            except _w.WireError as error:
                raise error.nested((("shipping", "shipping"),)) from None

        initial_dunning_level = _get("initialDunningLevel", _unset)
        if (
            type(initial_dunning_level) is not int
            and initial_dunning_level is not _unset
        ):
            raise _w.WireError(
                "integer",
                _w.describe(initial_dunning_level),
                (("initialDunningLevel", "initial_dunning_level"),),
            )

        stop_reminder = _get("stopReminder", _unset)
        if type(stop_reminder) is not bool and stop_reminder is not _unset:
            raise _w.WireError(
                "boolean",
                _w.describe(stop_reminder),
                (("stopReminder", "stop_reminder"),),
            )

        # Positional when building this very class (a third of the keyword call's cost).
        if cls is OrderWrite:
            _obj = cls(
                date,
                type_,
                amount,
                currency,
                billing,
                due_date,
                customer_email,
                customer_number,
                marketplace_number,
                payment_method,
                payment_method_description,
                status_description,
                exchange_rate,
                language,
                item_numbers,
                items,
                invoice_numbers,
                shipping_numbers,
                proforma_numbers,
                shipping,
                initial_dunning_level,
                stop_reminder,
            )
        else:
            _obj = cls(
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
    "type_",
    "amount",
    "currency",
    "billing",
    "due_date",
    "customer_email",
    "customer_number",
    "marketplace_number",
    "payment_method",
    "payment_method_description",
    "status_description",
    "exchange_rate",
    "language",
    "item_numbers",
    "items",
    "invoice_numbers",
    "shipping_numbers",
    "proforma_numbers",
    "shipping",
    "initial_dunning_level",
    "stop_reminder",
)
_KNOWN: frozenset[str] = frozenset(
    {
        "date",
        "type",
        "amount",
        "currency",
        "billing",
        "dueDate",
        "customerEmail",
        "customerNumber",
        "marketplaceNumber",
        "paymentMethod",
        "paymentMethodDescription",
        "statusDescription",
        "exchangeRate",
        "language",
        "itemNumbers",
        "items",
        "invoiceNumbers",
        "shippingNumbers",
        "proformaNumbers",
        "shipping",
        "initialDunningLevel",
        "stopReminder",
    }
)
