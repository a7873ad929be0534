"""Address: generated from the OpenAPI schema by komfortkasse's codegen; do not edit."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, ClassVar, Self

from attrs import define as _define
from attrs import field as _field

from .. import _wire as _w
from ..types import UNSET, File, Unset
from .address_gender import AddressGender

__all__ = ["Address"]

_ = (datetime, Decimal, File)  # every model module imports the same names


@_define(repr=False)
class Address:
    """Postal address used for billing or shipping.

    At least one of `lastName` or `company` must be set.

    Attributes:
        country_code (str): 2-letter ISO country code.
        gender (AddressGender | str, optional):
        first_name (str, optional): First name (given name).
        last_name (str, optional): Last name (surname). Required if `company` is not set.
        company (str, optional): Company name. Required if `lastName` is not set.
        street (str, optional): Street address.
        post_code (str, optional): Post code (zip code).
        city (str, optional): City name.
        phone (str, optional): Optional phone number.
    """

    country_code: str
    gender: AddressGender | str | Unset = UNSET
    first_name: str | Unset = UNSET
    last_name: str | Unset = UNSET
    company: str | Unset = UNSET
    street: str | Unset = UNSET
    post_code: str | Unset = UNSET
    city: str | Unset = UNSET
    phone: str | Unset = UNSET
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
        "country_code": "countryCode",
        "gender": "gender",
        "first_name": "firstName",
        "last_name": "lastName",
        "company": "company",
        "street": "street",
        "post_code": "postCode",
        "city": "city",
        "phone": "phone",
    }

    def to_dict(self) -> dict[str, Any]:
        """The model as the API's JSON object (unknown fields kept); a value of
        the wrong type raises :class:`~komfortkasse_generated._wire.WireError`."""
        _d: dict[str, Any] = dict(self.additional_properties)
        _unset = UNSET
        _v = self.country_code
        if not isinstance(_v, str):
            raise _w.WireError(
                "str",
                _w.describe(_v),
                (("countryCode", "country_code"),),
                direction="write",
            )
        _d["countryCode"] = _v

        _v = self.gender
        if _v is not _unset:
            if type(_v) is str:
                _d["gender"] = _v
            elif isinstance(_v, AddressGender):
                _d["gender"] = (
                    _v._value_
                )  # the member's value without the enum descriptor
            elif isinstance(_v, str):
                _d["gender"] = str(_v)
            else:
                raise _w.WireError(
                    "AddressGender or str",
                    _w.describe(_v),
                    (("gender", "gender"),),
                    direction="write",
                )

        _v = self.first_name
        if _v is not _unset:
            if not isinstance(_v, str):
                raise _w.WireError(
                    "str",
                    _w.describe(_v),
                    (("firstName", "first_name"),),
                    direction="write",
                )
            _d["firstName"] = _v

        _v = self.last_name
        if _v is not _unset:
            if not isinstance(_v, str):
                raise _w.WireError(
                    "str",
                    _w.describe(_v),
                    (("lastName", "last_name"),),
                    direction="write",
                )
            _d["lastName"] = _v

        _v = self.company
        if _v is not _unset:
            if not isinstance(_v, str):
                raise _w.WireError(
                    "str", _w.describe(_v), (("company", "company"),), direction="write"
                )
            _d["company"] = _v

        _v = self.street
        if _v is not _unset:
            if not isinstance(_v, str):
                raise _w.WireError(
                    "str", _w.describe(_v), (("street", "street"),), direction="write"
                )
            _d["street"] = _v

        _v = self.post_code
        if _v is not _unset:
            if not isinstance(_v, str):
                raise _w.WireError(
                    "str",
                    _w.describe(_v),
                    (("postCode", "post_code"),),
                    direction="write",
                )
            _d["postCode"] = _v

        _v = self.city
        if _v is not _unset:
            if not isinstance(_v, str):
                raise _w.WireError(
                    "str", _w.describe(_v), (("city", "city"),), direction="write"
                )
            _d["city"] = _v

        _v = self.phone
        if _v is not _unset:
            if not isinstance(_v, str):
                raise _w.WireError(
                    "str", _w.describe(_v), (("phone", "phone"),), direction="write"
                )
            _d["phone"] = _v

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
        country_code = _get("countryCode", _unset)
        if type(country_code) is not str:
            if country_code is _unset:
                raise _w.missing((("countryCode", "country_code"),))
            raise _w.WireError(
                "string", _w.describe(country_code), (("countryCode", "country_code"),)
            )

        gender = _get("gender", _unset)
        if type(gender) is str:
            gender = AddressGender._value2member_map_.get(gender, gender)
        elif gender is not _unset:
            raise _w.WireError("string", _w.describe(gender), (("gender", "gender"),))

        first_name = _get("firstName", _unset)
        if type(first_name) is not str and first_name is not _unset:
            raise _w.WireError(
                "string", _w.describe(first_name), (("firstName", "first_name"),)
            )

        last_name = _get("lastName", _unset)
        if type(last_name) is not str and last_name is not _unset:
            raise _w.WireError(
                "string", _w.describe(last_name), (("lastName", "last_name"),)
            )

        company = _get("company", _unset)
        if type(company) is not str and company is not _unset:
            raise _w.WireError(
                "string", _w.describe(company), (("company", "company"),)
            )

        street = _get("street", _unset)
        if type(street) is not str and street is not _unset:
            raise _w.WireError("string", _w.describe(street), (("street", "street"),))

        post_code = _get("postCode", _unset)
        if type(post_code) is not str and post_code is not _unset:
            raise _w.WireError(
                "string", _w.describe(post_code), (("postCode", "post_code"),)
            )

        city = _get("city", _unset)
        if type(city) is not str and city is not _unset:
            raise _w.WireError("string", _w.describe(city), (("city", "city"),))

        phone = _get("phone", _unset)
        if type(phone) is not str and phone is not _unset:
            raise _w.WireError("string", _w.describe(phone), (("phone", "phone"),))

        # Positional when building this very class (a third of the keyword call's cost).
        if cls is Address:
            _obj = cls(
                country_code,
                gender,
                first_name,
                last_name,
                company,
                street,
                post_code,
                city,
                phone,
            )
        else:
            _obj = cls(
                country_code=country_code,
                gender=gender,
                first_name=first_name,
                last_name=last_name,
                company=company,
                street=street,
                post_code=post_code,
                city=city,
                phone=phone,
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
    "country_code",
    "gender",
    "first_name",
    "last_name",
    "company",
    "street",
    "post_code",
    "city",
    "phone",
)
_KNOWN: frozenset[str] = frozenset(
    {
        "countryCode",
        "gender",
        "firstName",
        "lastName",
        "company",
        "street",
        "postCode",
        "city",
        "phone",
    }
)
