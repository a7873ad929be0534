"""A :class:`Call` describes one API operation -- the request to send, whether it
is safe to repeat, how to decode a 200 -- and :func:`decode_response` turns an
HTTP answer into its result or the fitting typed error. No I/O here."""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, Generic, TypeVar

import httpx

from komfortkasse_generated._ops import paused_gc
from komfortkasse_generated._wire import WireError, dumps_utf8, loads

from ._config import ClientConfig
from ._exceptions import (
    BODY_PREFIX_BYTES,
    APIConnectionError,
    APITimeoutError,
    ResponseValidationError,
    TransportError,
    UnexpectedResponseError,
    ValidationError,
    api_error_for,
)
from ._paths import check_length

T = TypeVar("T")


@dataclasses.dataclass(slots=True)
class Call(Generic[T]):
    """One operation: what to send and how to read the answer.

    Not changed once made (``dataclasses.replace`` makes another), but not a
    frozen dataclass either: its ``__init__`` would cost three times as much,
    once for every call."""

    #: The spec's operationId, used in errors and log lines.
    operation: str
    method: str
    path: str
    decode: Callable[[Any], T]
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    #: JSON body, already validated and converted; let go of once encoded into
    #: ``content`` (a bulk chunk's hundred dicts do not live on through the exchange).
    json_body: Any = None
    #: Multipart files for httpx (``{"file": (name, bytes, content type)}``).
    files: Mapping[str, tuple[str, bytes, str]] | None = None
    #: Whether sending it twice is harmless (see :mod:`komfortkasse._retry`).
    idempotent: bool = False
    #: Whether a 200 carries a JSON body to decode.
    has_body: bool = True
    #: Lower bound for the read timeout (``ordersync``).
    min_timeout: float | None = None
    #: How a body encoding error names the field: the body's name (``orders``,
    #: ``refund``; empty for an order) and the index of a list body's first item.
    body_name: str = ""
    body_offset: int = 0
    #: ``json_body`` holds only JSON's own types (``_wire.plain`` of the models it
    #: was made of): the ``speedups`` extra may write it.
    native_json: bool = False
    #: The encoded JSON body; made at construction, so a value JSON cannot carry is
    #: refused before any request (given only by ``dataclasses.replace``).
    content: bytes | None = None

    def __post_init__(self) -> None:
        if self.json_body is not None:
            self.content = self._encode()
            self.json_body = None
        for name, value in self.params.items():
            check_length(str(_query_value(value)), _snake(name))

    def _encode(self) -> bytes:
        try:  # decimals as exact JSON numbers; a lone surrogate is a ValueError too
            return dumps_utf8(self.json_body, native=self.native_json)
        except (TypeError, ValueError, RecursionError):
            where, rule = _unencodable(self.json_body, self.body_name, self.body_offset)
            raise ValidationError(where, rule) from None

    def request_kwargs(self, config: ClientConfig) -> dict[str, Any]:
        """What ``httpx`` ``build_request`` takes for this call (the headers are set
        by :meth:`build_request`)."""
        # The timeout as the request extension httpx makes of ``timeout=`` (not made
        # again from an httpx.Timeout for every request).
        limits = config.timing_for(self.min_timeout).limits
        kwargs: dict[str, Any] = {
            "method": self.method.upper(),
            "url": config.url(self.path),
            "extensions": {"timeout": dict(limits)},
        }
        if self.params:  # an empty dict would make httpx rebuild the URL for nothing
            kwargs["params"] = {k: _query_value(v) for k, v in self.params.items()}
        if self.content is not None:
            kwargs["content"] = self.content
        if self.files is not None:
            kwargs["files"] = dict(self.files)
        return kwargs

    def build_request(
        self,
        http: httpx.Client | httpx.AsyncClient,
        kwargs: Mapping[str, Any],
        headers: RequestHeaders | None = None,
    ) -> httpx.Request:
        """The request of ``kwargs`` (:meth:`request_kwargs`) as ``http`` would build
        it (its own headers, cookies and parameters merged in), with this call's
        headers. Given the client's ``headers`` cache and a client without cookies,
        default parameters or a ``build_request`` of its own, the request is made
        directly with the headers merged once: httpx's merge for every request
        costs a third of a call's own work."""
        has_body = self.content is not None
        if headers is not None and _builds_plainly(http):
            return httpx.Request(
                kwargs["method"],
                kwargs["url"],
                params=kwargs.get("params"),
                content=kwargs.get("content"),
                files=kwargs.get("files"),
                headers=headers.of(http, json_body=has_body),
                extensions=kwargs["extensions"],
            )
        request = http.build_request(**kwargs)
        merged = request.headers
        for name, value in _JSON_BODY if has_body else _ACCEPT:
            merged[name] = value
        return request

    def timeout(self, config: ClientConfig) -> httpx.Timeout:
        return config.timing_for(self.min_timeout).timeout

    def describe(self) -> str:
        return f"{self.method.upper()} {self.path}"


#: What every request asks for: JSON, compressed only with gzip or deflate (what
#: Exchange decompresses under the size cap).
_ACCEPT = (("Accept", "application/json"), ("Accept-Encoding", "gzip, deflate"))
_JSON_BODY = (*_ACCEPT, ("Content-Type", "application/json"))


#: httpx's own ``build_request``: a subclass's may add to a request, so it is used.
_STOCK_BUILD = (httpx.Client.build_request, httpx.AsyncClient.build_request)


def _builds_plainly(http: httpx.Client | httpx.AsyncClient) -> bool:
    """Whether ``http.build_request`` would add nothing but its headers to ours
    (the URL is absolute, so its ``base_url`` plays no part)."""
    return type(http).build_request in _STOCK_BUILD and not http.cookies and not http.params


class RequestHeaders:
    """One httpx client's headers with ours merged in (without and with a JSON
    body), made again only when the client's own change. Each request copies
    them (the API key is set on the copy, as it is sent). One attribute holds
    all three, so threads sharing a client never see halves of two versions."""

    __slots__ = ("_merged",)

    def __init__(self) -> None:
        self._merged: tuple[list[tuple[bytes, bytes]], httpx.Headers, httpx.Headers] | None = None

    def of(self, http: httpx.Client | httpx.AsyncClient, *, json_body: bool) -> httpx.Headers:
        own = http.headers.raw
        merged = self._merged
        if merged is None or merged[0] != own:
            plain = httpx.Headers(http.headers)
            for name, value in _ACCEPT:
                plain[name] = value
            with_json = httpx.Headers(plain)
            for name, value in _JSON_BODY[len(_ACCEPT) :]:
                with_json[name] = value
            merged = self._merged = (own, plain, with_json)
        return merged[2] if json_body else merged[1]


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _unencodable(body: Any, name: str, offset: int) -> tuple[str, str]:
    """Where in ``body`` JSON encoding fails, and why: ``(field path, rule)``.

    Paths use the body's JSON keys, below ``name`` (``orders[103].extraField``)."""
    todo: list[tuple[str, Any, int]] = [(name, body, 0)]
    while todo:
        path, value, depth = todo.pop(0)
        shown = path or "body"
        rule = _unsendable(value, depth)
        if rule:
            return shown, rule
        if isinstance(value, dict):
            todo += [(f"{path}.{key}" if path else str(key), item, depth + 1)
                     for key, item in value.items()]  # fmt: skip
        elif isinstance(value, list | tuple):
            start = offset if depth == 0 else 0
            todo += [(f"{path}[{start + i}]", item, depth + 1) for i, item in enumerate(value)]
    return name or "body", "cannot be sent as JSON"  # pragma: no cover - json failed, we did not


def _unsendable(value: object, depth: int) -> str:
    """Why ``value`` itself (not what it holds) cannot be sent as JSON; empty if it can."""
    if depth > _MAX_JSON_DEPTH:
        return "is nested too deeply to be sent as JSON"
    if isinstance(value, float | Decimal) and not math.isfinite(value):
        return f"must be a finite number to be sent as JSON, got {value!r}"
    if isinstance(value, str) and not _utf8(value):
        return f"must be text that UTF-8 can carry, got {_short(value)} (a lone surrogate)"
    if value is None or isinstance(value, str | int | float | Decimal | list | tuple):
        return ""
    if not isinstance(value, dict):
        return f"cannot be sent as JSON: {type(value).__name__} {_short(value)}"
    return next(filter(None, map(_key_rule, value)), "")


def _key_rule(key: object) -> str:
    if key is not None and not isinstance(key, str | int | float):
        return f"has a key JSON cannot carry: {_short(key)}"
    if isinstance(key, str) and not _utf8(key):
        return f"has a key UTF-8 cannot carry: {_short(key)} (a lone surrogate)"
    return ""


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


#: Deeper than any body the API takes; json.dumps would hit the recursion limit.
_MAX_JSON_DEPTH = 500


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _query_value(value: object) -> object:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


#: httpx failures that happen before any byte of the request left.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)


def transport_error(exc: httpx.HTTPError, operation: str) -> TransportError:
    """Map an httpx failure to our error, noting whether the request may have arrived."""
    sent = not isinstance(exc, _NOT_SENT)
    kind = type(exc).__name__
    if isinstance(exc, httpx.TimeoutException):
        phase = "connecting" if not sent else "waiting for the answer"
        return APITimeoutError(
            f"timed out {phase} ({kind})", operation=operation, request_sent=sent
        )
    what = "could not connect" if not sent else "connection lost after the request was sent"
    return APIConnectionError(f"{what} ({kind}: {exc})", operation=operation, request_sent=sent)


def _is_json(body: bytes | bytearray) -> bool:
    try:
        loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return False
    return True


def _error_message(body: bytes | bytearray) -> str | None:
    try:
        data = loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    if isinstance(data, dict) and isinstance(data.get("error"), str):
        return str(data["error"])
    return None


def decode_response(
    call: Call[T], status: int, headers: httpx.Headers, body: bytes | bytearray
) -> T:
    """Turn an HTTP answer into the call's result, or raise the fitting error
    (which keeps the start of the body)."""
    op = call.operation
    if status == 200 and call.has_body:
        return _decode_json(call, body)
    prefix = _prefix(body)
    if 300 <= status < 400:
        location = headers.get("location", "(no location)")
        raise UnexpectedResponseError(
            f"refused to follow a redirect to {location}: the API redirects unknown URLs "
            "to its login page; check base_url",
            operation=op,
            status_code=status,
            body=prefix,
        )
    if status == 200:  # documented without a body (one with is decoded above)
        # An empty answer (or JSON) is success, but an HTML login page is the API's
        # answer to a bad URL, not an upload.
        if body.strip() and _error_message(body) is None and not _is_json(body):
            raise UnexpectedResponseError(
                "expected an empty answer, got a body that is not JSON",
                operation=op,
                status_code=status,
                body=prefix,
            )
        # The decoder sees the JSON, if any (a 200 may carry the API's error).
        return call.decode(loads(body) if body.strip() else None)
    message = _error_message(body)
    if status in (400, 401, 404) or status >= 500:
        if message is None:
            message = f"no error message (body starts {prefix[:200]!r})" if body else "empty body"
        raise api_error_for(status, message, operation=op, body=prefix)
    raise UnexpectedResponseError(
        f"unexpected HTTP status {status}", operation=op, status_code=status, body=prefix
    )


def _decode_json(call: Call[T], body: bytes | bytearray) -> T:
    """A 200 with a JSON body: its result (the start of the body kept by an error)."""
    op, status = call.operation, 200
    # The parsed JSON and the models built from it all outlive the block.
    with paused_gc():
        try:
            data = loads(body)
        except WireError as exc:
            raise ResponseValidationError(
                f"response does not fit the schema: {exc}",
                operation=op,
                status_code=status,
                body=_prefix(body),
            ) from None
        except (ValueError, UnicodeDecodeError, RecursionError):
            reason = "empty response body" if not body.strip() else "response body is not JSON"
            raise UnexpectedResponseError(
                reason + " (the API answers bad URLs with an HTML or blank page)",
                operation=op,
                status_code=status,
                body=_prefix(body),
            ) from None
        try:
            return call.decode(data)
        except WireError as exc:
            raise ResponseValidationError(
                f"response does not fit the schema: {exc}",
                operation=op,
                status_code=status,
                body=_prefix(body),
                field=exc.wire_path or None,
                python_field=exc.python_path or None,
            ) from None
        except UnexpectedResponseError as exc:
            raise exc.in_context(op, status, _prefix(body)) from None
        except (KeyError, TypeError, ValueError, AttributeError, RecursionError) as exc:
            detail = f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
            raise ResponseValidationError(
                f"response does not fit the schema: {detail}",
                operation=op,
                status_code=status,
                body=_prefix(body),
            ) from None


def _prefix(body: bytes | bytearray) -> bytes:
    """The start of a body, as an error keeps it."""
    return bytes(body[:BODY_PREFIX_BYTES])
