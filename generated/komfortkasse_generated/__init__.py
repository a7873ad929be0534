"""The wire layer of the Komfortkasse API <openapi_python_client.schema.untrusted_string.UntrustedString object at 0x7f4d61b07690>, generated from its OpenAPI spec.

Use the ``komfortkasse`` package: this one is its generated foundation
(models, request builders and the strict JSON runtime) and imports nothing above it.
"""

#: The API version (``info.version``) this package was generated from.
API_VERSION = "<openapi_python_client.schema.untrusted_string.UntrustedString object at 0x7f4d61b07690>"

__all__ = ["API_VERSION"]
