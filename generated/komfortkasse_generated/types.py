"""Shared types of the generated package: ``UNSET`` and the multipart file wrapper (generated; do not edit)."""

from collections.abc import Mapping
from typing import IO, BinaryIO

from attrs import define

from ._wire import UNSET, Unset

#: What httpx accepts as the content of one file part.
FileContent = IO[bytes] | bytes | str
#: (filename, content, content type) or the same with extra headers.
FileTypes = (
    tuple[str | None, FileContent, str | None]
    | tuple[str | None, FileContent, str | None, Mapping[str, str]]
)


@define
class File:
    """A file for a multipart upload: its bytes, name and media type."""

    payload: BinaryIO
    file_name: str | None = None
    mime_type: str | None = None

    def to_tuple(self) -> FileTypes:
        """The part as httpx expects it."""
        return self.file_name, self.payload, self.mime_type


__all__ = ["UNSET", "File", "FileContent", "FileTypes", "Unset"]
