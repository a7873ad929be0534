"""What a client is set up with: the base URL, timeouts, the response size cap,
and :class:`ClientConfig`, the immutable bundle a request reads."""

from __future__ import annotations

import dataclasses
import functools
import ipaddress
import math
import os
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpx

from komfortkasse_generated._wire import Unset

from ._exceptions import ConfigurationError
from ._secret import ApiKeyAuth, _Secret

if TYPE_CHECKING:
    from ._retry import RetryPolicy

BASE_URL_ENV = "KOMFORTKASSE_BASE_URL"
PRODUCTION_URL = "https://ssl.komfortkasse.eu/api/v2"
#: A finite default; ``orders.sync`` raises its own to the 10 minutes the docs demand.
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)

TimeoutTypes = float | httpx.Timeout | None


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def resolve_base_url(base_url: str | None) -> str:
    url = base_url if base_url is not None else os.environ.get(BASE_URL_ENV) or PRODUCTION_URL
    if not isinstance(url, str):
        raise ConfigurationError(f"base_url must be a str, got {type(url).__name__}")
    parts = urlsplit(url)
    if "@" in parts.netloc:
        # Never echo it: the part before "@" may be a password.
        shown = parts._replace(netloc="***@" + parts.netloc.rpartition("@")[2]).geturl()
        raise ConfigurationError(
            f"base_url must not contain user:password@ (the API authenticates with the "
            f"API key), got {shown!r}"
        )
    if "?" in url or "#" in url:
        raise ConfigurationError(
            f"base_url must not contain a query or fragment (every path would be "
            f"appended after it), got {url!r}"
        )
    if parts.scheme == "https" and parts.hostname:
        return url.rstrip("/")
    if parts.scheme == "http" and parts.hostname and is_loopback(parts.hostname):
        return url.rstrip("/")
    raise ConfigurationError(
        f"base_url must be https:// (plain http:// only for loopback hosts), got {url!r}"
    )


def _timeout_value(value: object, name: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigurationError(
            f"{name} must be a number of seconds, None or an httpx.Timeout, got {value!r}"
        )
    if not (math.isfinite(value) and value > 0):
        raise ConfigurationError(f"{name} must be a positive number of seconds, got {value!r}")
    return float(value)


def as_timeout(timeout: TimeoutTypes) -> httpx.Timeout:
    """``timeout`` as an ``httpx.Timeout``; anything but positive finite seconds or
    ``None`` (no limit) is refused here, not at the first request."""
    if isinstance(timeout, httpx.Timeout):
        for name, value in timeout.as_dict().items():
            _timeout_value(value, f"timeout.{name}")
        return timeout
    return httpx.Timeout(_timeout_value(timeout, "timeout"))


def attempt_budget(timeout: httpx.Timeout) -> float | None:
    """Seconds one attempt may take in all (connecting, sending, waiting, reading):
    the largest of the timeout's limits; ``None`` when one of them is unlimited.

    httpx's limits bound each socket operation alone, so a server that drips a
    byte now and then would keep a call busy forever; this bounds the attempt.
    """
    values = timeout.as_dict().values()
    return None if any(v is None for v in values) else max(v for v in values if v is not None)


#: The default cap on a response body (wire and decompressed): 256 MiB. The largest real
#: answer, 10,000 orders with every include (postings, reminders, history, refunds,
#: ten items, two addresses each), is about 48 MiB of JSON.
DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024 * 1024


def check_max_response_bytes(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigurationError(
            f"max_response_bytes must be a positive whole number of bytes, got {value!r}"
        )
    return value


def at_least(timeout: httpx.Timeout, seconds: float | None) -> httpx.Timeout:
    """``timeout`` with its read/write/pool limits raised to ``seconds``."""
    if seconds is None:
        return timeout

    def raise_to(value: float | None) -> float | None:
        return None if value is None else max(value, seconds)

    return httpx.Timeout(
        connect=timeout.connect,
        read=raise_to(timeout.read),
        write=raise_to(timeout.write),
        pool=raise_to(timeout.pool),
    )


class Timing:
    """One timeout as a request uses it, worked out once: the ``httpx.Timeout``,
    the attempt's budget (:func:`attempt_budget`) and the limits as httpx's
    ``timeout`` request extension takes them."""

    __slots__ = ("budget", "limits", "timeout")

    def __init__(self, timeout: httpx.Timeout) -> None:
        self.timeout = timeout
        self.budget = attempt_budget(timeout)
        self.limits = timeout.as_dict()


_PROBE_PATH = "/order/K-._~0%2F%20%C3%A4%2E"


class RequestUrls:
    """Request URLs under one base URL, made without parsing each one again.

    A request path of ours is already in its final form (the spec's literal
    segments and values encoded by :func:`komfortkasse._paths.encode_segment`), so
    httpx's parse of ``base_url + path`` would only reproduce it: the URL is the
    base URL's, parsed once, with the path appended. That takes httpx internals;
    unless a probe shows the result to equal httpx's own parse, every URL is
    given to httpx as a string instead."""

    __slots__ = ("_base", "_parts", "_path", "_reference")

    def __init__(self, base_url: str) -> None:
        self._base = base_url
        self._reference: Any = None
        try:
            reference = httpx.URL(base_url)._uri_reference
            # The parse result's fields: scheme, userinfo, host, port, path, query, fragment.
            self._parts = tuple(reference)
            self._path = reference.path
            self._reference = reference
            made = self(_PROBE_PATH)
            parsed = httpx.URL(base_url + _PROBE_PATH)
            if not (
                isinstance(made, httpx.URL)
                and made == parsed
                and made.raw_path == parsed.raw_path
                and made.host == parsed.host
            ):
                self._reference = None
        except (AttributeError, TypeError, ValueError):  # pragma: no cover - another httpx
            self._reference = None

    def __call__(self, path: str) -> httpx.URL | str:
        """The URL of ``path`` (encoded, with a leading ``/``) under the base URL."""
        reference = self._reference
        if reference is None:
            return self._base + path
        scheme, userinfo, host, port, _, query, fragment = self._parts
        url = httpx.URL.__new__(httpx.URL)
        url._uri_reference = type(reference)(
            scheme, userinfo, host, port, self._path + path, query, fragment
        )
        return url


@functools.lru_cache(maxsize=16)
def request_urls(base_url: str) -> RequestUrls:
    return RequestUrls(base_url)


@dataclasses.dataclass(frozen=True, slots=True)
class ClientConfig:
    """Everything a request needs besides the HTTP client; immutable, so
    ``with_options`` derives a new one."""

    api_key: _Secret
    base_url: str
    timeout: httpx.Timeout
    retry: RetryPolicy
    #: The largest response body read (on the wire and decompressed).
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES
    auth: ApiKeyAuth = dataclasses.field(init=False)
    #: The request URLs under ``base_url`` and the timing of ``timeout``, made once.
    url: RequestUrls = dataclasses.field(init=False, repr=False, compare=False)
    timing: Timing = dataclasses.field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "auth", ApiKeyAuth(self.api_key))
        object.__setattr__(self, "url", request_urls(self.base_url))
        object.__setattr__(self, "timing", Timing(self.timeout))

    def timing_for(self, min_timeout: float | None) -> Timing:
        """The timing of a call whose read timeout is at least ``min_timeout``."""
        if min_timeout is None:
            return self.timing
        return Timing(at_least(self.timeout, min_timeout))

    def evolve(
        self,
        *,
        timeout: TimeoutTypes | Unset,
        retry: RetryPolicy | None,
        max_response_bytes: int | None = None,
    ) -> ClientConfig:
        changes: dict[str, Any] = {}
        if not isinstance(timeout, Unset):
            changes["timeout"] = as_timeout(timeout)
        if retry is not None:
            from ._retry import RetryPolicy

            if not isinstance(retry, RetryPolicy):
                raise ConfigurationError(f"retry must be a RetryPolicy, got {type(retry).__name__}")
            changes["retry"] = retry
        if max_response_bytes is not None:
            changes["max_response_bytes"] = check_max_response_bytes(max_response_bytes)
        return dataclasses.replace(self, **changes)
