from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="BankAccount")


@_attrs_define
class BankAccount:
    """Bank account details. Read-only.

    Attributes:
        account_number (str | Unset): Account number (use only for non-SEPA payments, e.g. in Switzerland).
        bank_code (str | Unset): Bank code (Bankleitzahl, Bankclearing-Nummer). Use only for non-SEPA payments, e.g. in
            Switzerland.
        iban (str | Unset): IBAN.
        bic (str | Unset): BIC.
        bank_name (str | Unset): Name of the Bank.
        remittee (str | Unset): Remittee/beneficiary name.
    """

    account_number: str | Unset = UNSET
    bank_code: str | Unset = UNSET
    iban: str | Unset = UNSET
    bic: str | Unset = UNSET
    bank_name: str | Unset = UNSET
    remittee: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        account_number = self.account_number

        bank_code = self.bank_code

        iban = self.iban

        bic = self.bic

        bank_name = self.bank_name

        remittee = self.remittee

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if account_number is not UNSET:
            field_dict["accountNumber"] = account_number
        if bank_code is not UNSET:
            field_dict["bankCode"] = bank_code
        if iban is not UNSET:
            field_dict["iban"] = iban
        if bic is not UNSET:
            field_dict["bic"] = bic
        if bank_name is not UNSET:
            field_dict["bankName"] = bank_name
        if remittee is not UNSET:
            field_dict["remittee"] = remittee

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        account_number = d.pop("accountNumber", UNSET)

        bank_code = d.pop("bankCode", UNSET)

        iban = d.pop("iban", UNSET)

        bic = d.pop("bic", UNSET)

        bank_name = d.pop("bankName", UNSET)

        remittee = d.pop("remittee", UNSET)

        bank_account = cls(
            account_number=account_number,
            bank_code=bank_code,
            iban=iban,
            bic=bic,
            bank_name=bank_name,
            remittee=remittee,
        )

        bank_account.additional_properties = d
        return bank_account

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
