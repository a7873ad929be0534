from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.order_type import OrderType
from ..models.payment_status import PaymentStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.address import Address
    from ..models.bank_account import BankAccount
    from ..models.order_collection_history import OrderCollectionHistory
    from ..models.order_item import OrderItem
    from ..models.order_reminder import OrderReminder
    from ..models.posting import Posting
    from ..models.refund_read import RefundRead


T = TypeVar("T", bound="OrderRead")


@_attrs_define
class OrderRead:
    """
    Attributes:
        date (datetime.date): Order date, the date the customer placed the order. Format: `dd-MM-yyyy`.
        type_ (OrderType | str):
        amount (float): Total order amount including all taxes, shipping, etc. This is the amount you expect to be paid.
            Format: `0.00`.
        currency (str): Currency of the order (ISO 4217).
        billing (Address): Postal address used for billing or shipping.

            At least one of `lastName` or `company` must be set.
        number (str): Order number, must be unique per shop.
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
        payment_status (PaymentStatus | str | Unset): Payment status. Read-only.
        reference_number (str | Unset): Reference number used as payment reference (only available when payment
            information is sent by Komfortkasse). Read-only.
        bank_account (BankAccount | Unset): Bank account details. Read-only.
        dunning_level (int | Unset): Dunning level or number of payment reminders sent (0 when no payment reminder has
            been sent). Read-only.
        amount_paid (float | Unset): Amount that has been paid (only set when paymentStatus is not `UNPAID`) — this is
            the total amount paid, i.e. the sum of all postings minus the sum of all refunds. Read-only. Format: `0.00`.
        postings (list[Posting] | Unset): List of Postings assigned to this order (only if parameter `includePostings`
            is given). Read-only.
        collection_partner (str | Unset): Name of the collection agency (only if collection is active). Read-only.
        collection_file (str | Unset): File number at the collection agency (only if collection is active). Read-only.
        collection_status (str | Unset): Status of the collection (only if collection is active). Read-only.
        collection_history (list[OrderCollectionHistory] | Unset): List of collection events (only if collection is
            active and parameter `includeCollectionHistory` is given). Read-only.
        payment_reminders (list[OrderReminder] | Unset): List of payment reminders (only if parameter
            `includePaymentReminders` is given). Read-only.
        refunds (list[RefundRead] | Unset): List of refunds (only if parameter `includeRefunds` is given). Read-only.
        has_bank_details_for_refund (bool | Unset): True if bank details for a refund are available (only set when
            parameter `includePostings` is given). Read-only.
    """

    date: datetime.date
    type_: OrderType | str
    amount: float
    currency: str
    billing: Address
    number: str
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
    payment_status: PaymentStatus | str | Unset = UNSET
    reference_number: str | Unset = UNSET
    bank_account: BankAccount | Unset = UNSET
    dunning_level: int | Unset = UNSET
    amount_paid: float | Unset = UNSET
    postings: list[Posting] | Unset = UNSET
    collection_partner: str | Unset = UNSET
    collection_file: str | Unset = UNSET
    collection_status: str | Unset = UNSET
    collection_history: list[OrderCollectionHistory] | Unset = UNSET
    payment_reminders: list[OrderReminder] | Unset = UNSET
    refunds: list[RefundRead] | Unset = UNSET
    has_bank_details_for_refund: bool | Unset = UNSET
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

        number = self.number

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

        payment_status: str | Unset
        if isinstance(self.payment_status, Unset):
            payment_status = UNSET
        elif isinstance(self.payment_status, PaymentStatus):
            payment_status = self.payment_status.value
        else:
            payment_status = self.payment_status

        reference_number = self.reference_number

        bank_account: dict[str, Any] | Unset = UNSET
        if not isinstance(self.bank_account, Unset):
            bank_account = self.bank_account.to_dict()

        dunning_level = self.dunning_level

        amount_paid = self.amount_paid

        postings: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.postings, Unset):
            postings = []
            for postings_item_data in self.postings:
                postings_item = postings_item_data.to_dict()
                postings.append(postings_item)

        collection_partner = self.collection_partner

        collection_file = self.collection_file

        collection_status = self.collection_status

        collection_history: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.collection_history, Unset):
            collection_history = []
            for collection_history_item_data in self.collection_history:
                collection_history_item = collection_history_item_data.to_dict()
                collection_history.append(collection_history_item)

        payment_reminders: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.payment_reminders, Unset):
            payment_reminders = []
            for payment_reminders_item_data in self.payment_reminders:
                payment_reminders_item = payment_reminders_item_data.to_dict()
                payment_reminders.append(payment_reminders_item)

        refunds: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.refunds, Unset):
            refunds = []
            for refunds_item_data in self.refunds:
                refunds_item = refunds_item_data.to_dict()
                refunds.append(refunds_item)

        has_bank_details_for_refund = self.has_bank_details_for_refund

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "date": date,
                "type": type_,
                "amount": amount,
                "currency": currency,
                "billing": billing,
                "number": number,
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
        if payment_status is not UNSET:
            field_dict["paymentStatus"] = payment_status
        if reference_number is not UNSET:
            field_dict["referenceNumber"] = reference_number
        if bank_account is not UNSET:
            field_dict["bankAccount"] = bank_account
        if dunning_level is not UNSET:
            field_dict["dunningLevel"] = dunning_level
        if amount_paid is not UNSET:
            field_dict["amountPaid"] = amount_paid
        if postings is not UNSET:
            field_dict["postings"] = postings
        if collection_partner is not UNSET:
            field_dict["collectionPartner"] = collection_partner
        if collection_file is not UNSET:
            field_dict["collectionFile"] = collection_file
        if collection_status is not UNSET:
            field_dict["collectionStatus"] = collection_status
        if collection_history is not UNSET:
            field_dict["collectionHistory"] = collection_history
        if payment_reminders is not UNSET:
            field_dict["paymentReminders"] = payment_reminders
        if refunds is not UNSET:
            field_dict["refunds"] = refunds
        if has_bank_details_for_refund is not UNSET:
            field_dict["hasBankDetailsForRefund"] = has_bank_details_for_refund

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.address import Address
        from ..models.bank_account import BankAccount
        from ..models.order_collection_history import OrderCollectionHistory
        from ..models.order_item import OrderItem
        from ..models.order_reminder import OrderReminder
        from ..models.posting import Posting
        from ..models.refund_read import RefundRead

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

        number = d.pop("number")

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

        def _parse_payment_status(data: object) -> PaymentStatus | str | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                payment_status_type_0 = PaymentStatus(data)

                return payment_status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(PaymentStatus | str | Unset, data)

        payment_status = _parse_payment_status(d.pop("paymentStatus", UNSET))

        reference_number = d.pop("referenceNumber", UNSET)

        _bank_account = d.pop("bankAccount", UNSET)
        bank_account: BankAccount | Unset
        if isinstance(_bank_account, Unset):
            bank_account = UNSET
        else:
            bank_account = BankAccount.from_dict(_bank_account)

        dunning_level = d.pop("dunningLevel", UNSET)

        amount_paid = d.pop("amountPaid", UNSET)

        _postings = d.pop("postings", UNSET)
        postings: list[Posting] | Unset = UNSET
        if _postings is not UNSET:
            postings = []
            for postings_item_data in _postings:
                postings_item = Posting.from_dict(postings_item_data)

                postings.append(postings_item)

        collection_partner = d.pop("collectionPartner", UNSET)

        collection_file = d.pop("collectionFile", UNSET)

        collection_status = d.pop("collectionStatus", UNSET)

        _collection_history = d.pop("collectionHistory", UNSET)
        collection_history: list[OrderCollectionHistory] | Unset = UNSET
        if _collection_history is not UNSET:
            collection_history = []
            for collection_history_item_data in _collection_history:
                collection_history_item = OrderCollectionHistory.from_dict(
                    collection_history_item_data
                )

                collection_history.append(collection_history_item)

        _payment_reminders = d.pop("paymentReminders", UNSET)
        payment_reminders: list[OrderReminder] | Unset = UNSET
        if _payment_reminders is not UNSET:
            payment_reminders = []
            for payment_reminders_item_data in _payment_reminders:
                payment_reminders_item = OrderReminder.from_dict(
                    payment_reminders_item_data
                )

                payment_reminders.append(payment_reminders_item)

        _refunds = d.pop("refunds", UNSET)
        refunds: list[RefundRead] | Unset = UNSET
        if _refunds is not UNSET:
            refunds = []
            for refunds_item_data in _refunds:
                refunds_item = RefundRead.from_dict(refunds_item_data)

                refunds.append(refunds_item)

        has_bank_details_for_refund = d.pop("hasBankDetailsForRefund", UNSET)

        order_read = cls(
            date=date,
            type_=type_,
            amount=amount,
            currency=currency,
            billing=billing,
            number=number,
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
            payment_status=payment_status,
            reference_number=reference_number,
            bank_account=bank_account,
            dunning_level=dunning_level,
            amount_paid=amount_paid,
            postings=postings,
            collection_partner=collection_partner,
            collection_file=collection_file,
            collection_status=collection_status,
            collection_history=collection_history,
            payment_reminders=payment_reminders,
            refunds=refunds,
            has_bank_details_for_refund=has_bank_details_for_refund,
        )

        order_read.additional_properties = d
        return order_read

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
