from enum import StrEnum


class AddressGender(StrEnum):
    COMPANY = "company"
    FEMALE = "female"
    MALE = "male"
    UNKNOWN = "unknown"

    def __str__(self) -> str:
        return str(self.value)
