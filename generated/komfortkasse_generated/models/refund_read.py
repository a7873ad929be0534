from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.refund_status import RefundStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="RefundRead")


@_attrs_define
class RefundRead:
    """
    Attributes:
        external_reference (str): Reference given by you.
        amount (float): Refund amount. Format: `0.00`.
        currency (str): Refund currency.
        planned_date (datetime.date): Planned date (date when the bank transfer should be initiated — can be delayed for
            technical or other reasons, e.g. waiting for bank details).
        id (str | Unset): Unique ID (given by Komfortkasse).
        execution_date (datetime.date | None | Unset): Date when bank transfer has been executed (`null` if not yet
            processed).
        reference_number (str | Unset): Reference given by Komfortkasse (typically starts with 'KKBT').
        status (RefundStatus | str | Unset): Refund status (read only).
    """

    external_reference: str
    amount: float
    currency: str
    planned_date: datetime.date
    id: str | Unset = UNSET
    execution_date: datetime.date | None | Unset = UNSET
    reference_number: str | Unset = UNSET
    status: RefundStatus | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        external_reference = self.external_reference

        amount = self.amount

        currency = self.currency

        from komfortkasse._dates import date_to_wire

        planned_date = date_to_wire(self.planned_date, "plannedDate")

        id = self.id

        execution_date: None | str | Unset
        if isinstance(self.execution_date, Unset):
            execution_date = UNSET
        elif isinstance(self.execution_date, datetime.date):
            from komfortkasse._dates import date_to_wire

            execution_date = date_to_wire(self.execution_date, "executionDate")

        else:
            execution_date = self.execution_date

        reference_number = self.reference_number

        status: str | Unset
        if isinstance(self.status, Unset):
            status = UNSET
        elif isinstance(self.status, RefundStatus):
            status = self.status.value
        else:
            status = self.status

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
        if id is not UNSET:
            field_dict["id"] = id
        if execution_date is not UNSET:
            field_dict["executionDate"] = execution_date
        if reference_number is not UNSET:
            field_dict["referenceNumber"] = reference_number
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        external_reference = d.pop("externalReference")

        amount = d.pop("amount")

        currency = d.pop("currency")

        from komfortkasse._dates import date_from_wire

        planned_date = date_from_wire(d.pop("plannedDate"), "plannedDate")

        id = d.pop("id", UNSET)

        def _parse_execution_date(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                from komfortkasse._dates import date_from_wire

                execution_date_type_0 = date_from_wire(data, "executionDate")

                return execution_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        execution_date = _parse_execution_date(d.pop("executionDate", UNSET))

        reference_number = d.pop("referenceNumber", UNSET)

        def _parse_status(data: object) -> RefundStatus | str | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                status_type_0 = RefundStatus(data)

                return status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(RefundStatus | str | Unset, data)

        status = _parse_status(d.pop("status", UNSET))

        refund_read = cls(
            external_reference=external_reference,
            amount=amount,
            currency=currency,
            planned_date=planned_date,
            id=id,
            execution_date=execution_date,
            reference_number=reference_number,
            status=status,
        )

        refund_read.additional_properties = d
        return refund_read

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
