"""BankAccount: generated from the OpenAPI schema by komfortkasse's codegen; do not edit."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, ClassVar, Self

from attrs import define as _define
from attrs import field as _field

from .. import _wire as _w
from ..types import UNSET, File, Unset

__all__ = ["BankAccount"]

_ = (datetime, Decimal, File)  # every model module imports the same names


@_define(repr=False)
class BankAccount:
    """Bank account details. Read-only.

    Attributes:
        account_number (str, optional): Account number (use only for non-SEPA payments, e.g. in Switzerland).
        bank_code (str, optional): Bank code (Bankleitzahl, Bankclearing-Nummer). Use only for non-SEPA payments,
            e.g. in Switzerland.
        iban (str, optional): IBAN.
        bic (str, optional): BIC.
        bank_name (str, optional): Name of the Bank.
        remittee (str, optional): Remittee/beneficiary name.
    """

    account_number: str | Unset = UNSET
    bank_code: str | Unset = UNSET
    iban: str | Unset = UNSET
    bic: str | Unset = UNSET
    bank_name: str | Unset = UNSET
    remittee: str | Unset = UNSET
    additional_properties: dict[str, Any] = _field(init=False, factory=dict)

    #: JSON names of the fields the server sets (``readOnly`` in the spec).
    __read_only__: ClassVar[frozenset[str]] = frozenset({})
    #: Python names of the decimal (money) fields.
    __decimal_fields__: ClassVar[tuple[str, ...]] = ()
    #: Python names of the fields that hold models (or lists of them).
    __nested__: ClassVar[tuple[str, ...]] = ()
    #: Python names of the fields whose values ``to_dict`` passes on unchecked.
    __free__: ClassVar[tuple[str, ...]] = ()
    #: Python name -> JSON name of every field.
    __wire_names__: ClassVar[dict[str, str]] = {
        "account_number": "accountNumber",
        "bank_code": "bankCode",
        "iban": "iban",
        "bic": "bic",
        "bank_name": "bankName",
        "remittee": "remittee",
    }

    def to_dict(self) -> dict[str, Any]:
        """The model as the API's JSON object (unknown fields kept); a value of
        the wrong type raises :class:`~komfortkasse_generated._wire.WireError`."""
        _d: dict[str, Any] = dict(self.additional_properties)
        _unset = UNSET
        _v = self.account_number
        if _v is not _unset:
            if not isinstance(_v, str):
                raise _w.WireError(
                    "str",
                    _w.describe(_v),
                    (("accountNumber", "account_number"),),
                    direction="write",
                )
            _d["accountNumber"] = _v

        _v = self.bank_code
        if _v is not _unset:
            if not isinstance(_v, str):
                raise _w.WireError(
                    "str",
                    _w.describe(_v),
                    (("bankCode", "bank_code"),),
                    direction="write",
                )
            _d["bankCode"] = _v

        _v = self.iban
        if _v is not _unset:
            if not isinstance(_v, str):
                raise _w.WireError(
                    "str", _w.describe(_v), (("iban", "iban"),), direction="write"
                )
            _d["iban"] = _v

        _v = self.bic
        if _v is not _unset:
            if not isinstance(_v, str):
                raise _w.WireError(
                    "str", _w.describe(_v), (("bic", "bic"),), direction="write"
                )
            _d["bic"] = _v

        _v = self.bank_name
        if _v is not _unset:
            if not isinstance(_v, str):
                raise _w.WireError(
                    "str",
                    _w.describe(_v),
                    (("bankName", "bank_name"),),
                    direction="write",
                )
            _d["bankName"] = _v

        _v = self.remittee
        if _v is not _unset:
            if not isinstance(_v, str):
                raise _w.WireError(
                    "str",
                    _w.describe(_v),
                    (("remittee", "remittee"),),
                    direction="write",
                )
            _d["remittee"] = _v

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
        account_number = _get("accountNumber", _unset)
        if type(account_number) is not str and account_number is not _unset:
            raise _w.WireError(
                "string",
                _w.describe(account_number),
                (("accountNumber", "account_number"),),
            )

        bank_code = _get("bankCode", _unset)
        if type(bank_code) is not str and bank_code is not _unset:
            raise _w.WireError(
                "string", _w.describe(bank_code), (("bankCode", "bank_code"),)
            )

        iban = _get("iban", _unset)
        if type(iban) is not str and iban is not _unset:
            raise _w.WireError("string", _w.describe(iban), (("iban", "iban"),))

        bic = _get("bic", _unset)
        if type(bic) is not str and bic is not _unset:
            raise _w.WireError("string", _w.describe(bic), (("bic", "bic"),))

        bank_name = _get("bankName", _unset)
        if type(bank_name) is not str and bank_name is not _unset:
            raise _w.WireError(
                "string", _w.describe(bank_name), (("bankName", "bank_name"),)
            )

        remittee = _get("remittee", _unset)
        if type(remittee) is not str and remittee is not _unset:
            raise _w.WireError(
                "string", _w.describe(remittee), (("remittee", "remittee"),)
            )

        # Positional when building this very class (a third of the keyword call's cost).
        if cls is BankAccount:
            _obj = cls(
                account_number,
                bank_code,
                iban,
                bic,
                bank_name,
                remittee,
            )
        else:
            _obj = cls(
                account_number=account_number,
                bank_code=bank_code,
                iban=iban,
                bic=bic,
                bank_name=bank_name,
                remittee=remittee,
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
    "account_number",
    "bank_code",
    "iban",
    "bic",
    "bank_name",
    "remittee",
)
_KNOWN: frozenset[str] = frozenset(
    {
        "accountNumber",
        "bankCode",
        "iban",
        "bic",
        "bankName",
        "remittee",
    }
)
