"""The API key: held so that no repr shows it, added to a request only as it is
sent, and cut out of every error (and its chain) before the error is kept."""

from __future__ import annotations

import json
import os
from collections.abc import Generator
from typing import Any

import httpx

from ._exceptions import ConfigurationError

API_KEY_HEADER = "X-Komfortkasse-API-Key"
API_KEY_ENV = "KOMFORTKASSE_API_KEY"
#: The docs' example value; the API answers it with a 401, we refuse it up front.
PLACEHOLDER_KEY = "[your API key]"


class _Secret:
    """Holds the API key; its repr never shows it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "<API key hidden>"

    __str__ = __repr__


class ApiKeyAuth(httpx.Auth):
    """Adds ``X-Komfortkasse-API-Key`` as the request is sent, so the key sits in
    no request-building dict, local variable or log line of ours."""

    def __init__(self, secret: _Secret) -> None:
        self._secret = secret

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers[API_KEY_HEADER] = self._secret.reveal()
        yield request

    def __repr__(self) -> str:
        return "<ApiKeyAuth: key hidden>"


def resolve_api_key(api_key: str | None) -> _Secret:
    if api_key is not None and not isinstance(api_key, str):
        raise ConfigurationError(f"api_key must be a str, got {type(api_key).__name__}")
    value = api_key if api_key is not None else os.environ.get(API_KEY_ENV)
    if value is None or not value.strip():
        raise ConfigurationError(
            f"no API key: pass api_key=... or set {API_KEY_ENV} "
            "(find the key in the Komfortkasse merchant area)"
        )
    if value.strip() == PLACEHOLDER_KEY:
        raise ConfigurationError(
            f"the API key is the docs' placeholder {PLACEHOLDER_KEY!r}: "
            "use the key from the Komfortkasse merchant area"
        )
    if value != value.strip() or any(ord(c) < 33 or ord(c) > 126 for c in value):
        raise ConfigurationError("the API key contains whitespace or non-ASCII characters")
    return _Secret(value)


#: What stands in for the API key in server text (the CLI blanks it the same way).
REDACTED = "***"


def redact(error: BaseException, secret: _Secret) -> None:
    """Cut the API key out of the message, text attributes, body and notes of
    ``error`` and of every exception chained to it (a server that echoes the
    request puts it there), in place."""
    key = secret.reveal()
    forms = {key, json.dumps(key)[1:-1], key.replace("/", "\\/")}
    forms_bytes = {f.encode() for f in forms}

    def clean(value: Any) -> Any:
        if isinstance(value, str):
            for form in forms:
                value = value.replace(form, REDACTED)
        elif isinstance(value, bytes):
            for raw in forms_bytes:
                value = value.replace(raw, REDACTED.encode())
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            value = [clean(v) for v in value]
        return value

    for link in _chain(error):
        link.args = tuple(clean(a) for a in link.args)
        for name, value in list(vars(link).items()):
            setattr(link, name, clean(value))


def _chain(error: BaseException) -> list[BaseException]:
    found: list[BaseException] = []
    link: BaseException | None = error
    while link is not None and all(link is not seen for seen in found):
        found.append(link)
        link = link.__cause__ or link.__context__
    return found


def _holds_exchange(link: BaseException | None) -> bool:
    return link is not None and type(link).__module__.split(".")[0] in ("httpx", "httpcore")


def detach(error: BaseException) -> None:
    """Cut ``error``'s chain where it could hold the key, in place: every link to
    an httpx or httpcore error (it holds the request) and every context hidden by
    ``raise ... from None`` (a ``JSONDecodeError`` keeps the whole body in ``.doc``;
    hidden, it shows nowhere, but stays reachable)."""
    for link in _chain(error):
        if _holds_exchange(link.__cause__):
            link.__cause__ = None
        if link.__suppress_context__ or _holds_exchange(link.__context__):
            link.__context__ = None
