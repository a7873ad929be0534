"""The wire layer of the Komfortkasse API 2.0.0, generated from its OpenAPI spec.

Use the ``komfortkasse`` package: this one is its generated foundation
(models, request builders and the strict JSON runtime) and imports nothing above it.
"""

#: The API version (``info.version``) this package was generated from.
API_VERSION = "2.0.0"

__all__ = ["API_VERSION"]
