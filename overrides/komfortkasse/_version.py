"""The package's version (one source: its metadata, i.e. pyproject.toml) and the
API version it was generated for (the spec's ``info.version``)."""

from __future__ import annotations

import functools
from importlib import metadata

from komfortkasse_generated import API_VERSION

__all__ = ["API_VERSION", "package_version", "user_agent"]


@functools.cache
def package_version() -> str:
    """The installed distribution's version (``0+unknown`` when run from a bare source tree)."""
    try:
        return metadata.version("komfortkasse")
    except metadata.PackageNotFoundError:
        return "0+unknown"


@functools.cache
def user_agent() -> str:
    """``komfortkasse-python/0.2.0 (Komfortkasse API 2.0.0)``: both versions, for the API's logs."""
    return f"komfortkasse-python/{package_version()} (Komfortkasse API {API_VERSION})"
