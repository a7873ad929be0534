"""A wall-clock deadline under every socket operation of a sync attempt.

httpx's timeouts bound each connect, read and write on its own: a server that
sends one byte of its headers every 0.3 s never trips a 1 s read timeout. The
async loop bounds an attempt with a cancel scope; a blocking socket call cannot
be cancelled, so under a sync client's httpx transports (the client's own, or the
caller's ``http_client`` with httpx's standard transports) the network backend of
each connection pool is wrapped: every operation gets at most the time left until
the attempt's deadline (a context variable the send loop sets), and fails as a
timeout once it has passed. Outside our calls no deadline is set and the wrapper
only passes through.
"""

from __future__ import annotations

import contextvars
import ssl
import time
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx

_DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "komfortkasse_deadline", default=None
)


class deadline:
    """Socket operations inside end by ``at`` (a ``time.monotonic()`` value).

    A class, not a generator: it is entered once per attempt."""

    __slots__ = ("_at", "_token")

    def __init__(self, at: float | None) -> None:
        self._at = at

    def __enter__(self) -> None:
        self._token = _DEADLINE.set(self._at)

    def __exit__(self, *exc_info: object) -> None:
        _DEADLINE.reset(self._token)


def _left(timeout: float | None, error: type[httpcore.TimeoutException]) -> float | None:
    at = _DEADLINE.get()
    if at is None:
        return timeout
    left = at - time.monotonic()
    if left <= 0:
        raise error("the attempt's deadline has passed")
    return left if timeout is None else min(timeout, left)


class _Stream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        left = _left(timeout, httpcore.ConnectTimeout)
        return _Stream(self._stream.start_tls(ssl_context, server_hostname, left))

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class DeadlineBackend(httpcore.NetworkBackend):
    """Wraps a sync network backend so its streams honour :func:`deadline`."""

    def __init__(self, backend: httpcore.NetworkBackend) -> None:
        self._backend = backend

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        left = _left(timeout, httpcore.ConnectTimeout)
        return _Stream(self._backend.connect_tcp(host, port, left, local_address, socket_options))

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:  # pragma: no cover - the library never builds a UDS client
        left = _left(timeout, httpcore.ConnectTimeout)
        return _Stream(self._backend.connect_unix_socket(path, left, socket_options))

    def sleep(self, seconds: float) -> None:  # pragma: no cover - used by httpcore's retries only
        self._backend.sleep(seconds)


def install(client: httpx.Client) -> bool:
    """Put :class:`DeadlineBackend` under every transport of ``client`` (its
    default one and the proxies' from the environment). ``False`` when one could
    not be reached (a custom transport, or an httpx whose internals differ): the
    body is then still bounded between chunks, the headers only by httpx's own
    per-read timeouts."""
    transports = [client._transport, *client._mounts.values()]
    done = True
    for transport in transports:
        if transport is None:  # a NO_PROXY mount: the default transport
            continue
        pool = getattr(transport, "_pool", None)
        backend = getattr(pool, "_network_backend", None)
        if isinstance(backend, DeadlineBackend):
            continue
        if not isinstance(backend, httpcore.NetworkBackend):
            done = False
            continue
        pool._network_backend = DeadlineBackend(backend)  # type: ignore[union-attr]
    return done
