"""AddressGender: generated from the OpenAPI schema by komfortkasse's codegen; do not edit."""

from enum import StrEnum


class AddressGender(StrEnum):
    """The values the API documents for AddressGender.

    Fields typed with it also accept any other string: a value the server adds
    later arrives as a plain ``str`` instead of failing the whole answer.
    """

    COMPANY = "company"
    FEMALE = "female"
    MALE = "male"
    UNKNOWN = "unknown"

    def __str__(self) -> str:
        return str(self.value)
