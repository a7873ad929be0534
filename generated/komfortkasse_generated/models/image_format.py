"""ImageFormat: generated from the OpenAPI schema by komfortkasse's codegen; do not edit."""

from enum import StrEnum


class ImageFormat(StrEnum):
    """Image format. Always `png`.

    Fields typed with it also accept any other string: a value the server adds
    later arrives as a plain ``str`` instead of failing the whole answer.
    """

    PNG = "png"

    def __str__(self) -> str:
        return str(self.value)
