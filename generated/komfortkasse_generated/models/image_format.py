from enum import StrEnum


class ImageFormat(StrEnum):
    PNG = "png"

    def __str__(self) -> str:
        return str(self.value)
