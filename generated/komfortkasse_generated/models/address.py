from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.address_gender import AddressGender
from ..types import UNSET, Unset

T = TypeVar("T", bound="Address")


@_attrs_define
class Address:
    """Postal address used for billing or shipping.

    At least one of `lastName` or `company` must be set.

        Attributes:
            country_code (str): 2-letter ISO country code.
            gender (AddressGender | str | Unset):
            first_name (str | Unset): First name (given name).
            last_name (str | Unset): Last name (surname). Required if `company` is not set.
            company (str | Unset): Company name. Required if `lastName` is not set.
            street (str | Unset): Street address.
            post_code (str | Unset): Post code (zip code).
            city (str | Unset): City name.
            phone (str | Unset): Optional phone number.
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
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        country_code = self.country_code

        gender: str | Unset
        if isinstance(self.gender, Unset):
            gender = UNSET
        elif isinstance(self.gender, AddressGender):
            gender = self.gender.value
        else:
            gender = self.gender

        first_name = self.first_name

        last_name = self.last_name

        company = self.company

        street = self.street

        post_code = self.post_code

        city = self.city

        phone = self.phone

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "countryCode": country_code,
            }
        )
        if gender is not UNSET:
            field_dict["gender"] = gender
        if first_name is not UNSET:
            field_dict["firstName"] = first_name
        if last_name is not UNSET:
            field_dict["lastName"] = last_name
        if company is not UNSET:
            field_dict["company"] = company
        if street is not UNSET:
            field_dict["street"] = street
        if post_code is not UNSET:
            field_dict["postCode"] = post_code
        if city is not UNSET:
            field_dict["city"] = city
        if phone is not UNSET:
            field_dict["phone"] = phone

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        country_code = d.pop("countryCode")

        def _parse_gender(data: object) -> AddressGender | str | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                gender_type_0 = AddressGender(data)

                return gender_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AddressGender | str | Unset, data)

        gender = _parse_gender(d.pop("gender", UNSET))

        first_name = d.pop("firstName", UNSET)

        last_name = d.pop("lastName", UNSET)

        company = d.pop("company", UNSET)

        street = d.pop("street", UNSET)

        post_code = d.pop("postCode", UNSET)

        city = d.pop("city", UNSET)

        phone = d.pop("phone", UNSET)

        address = cls(
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

        address.additional_properties = d
        return address

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
