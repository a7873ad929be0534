"""``Komfortkasse`` and ``AsyncKomfortkasse``: configuration, connection, the send loop.

Both share :mod:`komfortkasse._core`; what differs is only how bytes move and
how the wait between retries is spent.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable
from types import TracebackType
from typing import Self, TypeVar

import anyio
import httpx

from ._core import (
    _KEEP,
    DEFAULT_TIMEOUT,
    USER_AGENT,
    Attempts,
    Call,
    ClientConfig,
    TimeoutTypes,
    as_timeout,
    finish,
    log_request,
    resolve_api_key,
    resolve_base_url,
    transport_error,
)
from ._exceptions import ConfigurationError, KomfortkasseError
from ._resources import AsyncImages, AsyncOrders, AsyncPostings, Images, Orders, Postings
from ._retry import RetryPolicy

T = TypeVar("T")

__all__ = ["AsyncKomfortkasse", "Komfortkasse"]


class _ClientBase:
    _config: ClientConfig
    _owns_http: bool
    _today: Callable[[], datetime.date] = staticmethod(datetime.date.today)

    def _configure(
        self,
        api_key: str | None,
        base_url: str | None,
        timeout: TimeoutTypes,
        retry: RetryPolicy | None,
    ) -> None:
        if retry is not None and not isinstance(retry, RetryPolicy):
            raise ConfigurationError(f"retry must be a RetryPolicy, got {type(retry).__name__}")
        self._config = ClientConfig(
            api_key=resolve_api_key(api_key),
            base_url=resolve_base_url(base_url),
            timeout=as_timeout(timeout),
            retry=retry or RetryPolicy(),
        )

    @property
    def base_url(self) -> str:
        return self._config.base_url

    @property
    def timeout(self) -> httpx.Timeout:
        return self._config.timeout

    @property
    def retry(self) -> RetryPolicy:
        """The retry policy in force (immutable; replace it with ``with_options``)."""
        return self._config.retry

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self._config.base_url!r})"

    def _derive(self, timeout: TimeoutTypes | object, retry: RetryPolicy | None) -> Self:
        clone = object.__new__(type(self))
        clone.__dict__.update(self.__dict__)
        clone._config = self._config.evolve(timeout=timeout, retry=retry)
        clone._owns_http = False
        clone._bind_resources()
        return clone

    def _bind_resources(self) -> None:
        raise NotImplementedError


def _check_http_client(http_client: object, expected: type) -> None:
    if not isinstance(http_client, expected):
        raise ConfigurationError(
            f"http_client must be an {expected.__module__}.{expected.__qualname__}, "
            f"got {type(http_client).__name__}"
        )


class Komfortkasse(_ClientBase):
    """Synchronous client. One connection pool per instance: sequential calls
    reuse one kept-alive connection.

    ``api_key`` defaults to ``$KOMFORTKASSE_API_KEY``; ``base_url`` to
    ``$KOMFORTKASSE_BASE_URL`` or production. Redirects are never followed and
    TLS is verified. Use as a context manager, or call :meth:`close`.
    """

    orders: Orders
    postings: Postings
    images: Images

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        timeout: TimeoutTypes = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        http_client: httpx.Client | None = None,
    ) -> None:
        self._configure(api_key, base_url, timeout, retry)
        if http_client is None:
            self._http = httpx.Client(follow_redirects=False, headers={"User-Agent": USER_AGENT})
            self._owns_http = True
        else:
            _check_http_client(http_client, httpx.Client)
            self._http = http_client
            self._owns_http = False
        self._bind_resources()

    def _bind_resources(self) -> None:
        self.orders = Orders(self)
        self.postings = Postings(self)
        self.images = Images(self)

    def with_options(
        self, *, timeout: TimeoutTypes | object = _KEEP, retry: RetryPolicy | None = None
    ) -> Komfortkasse:
        """A view of this client with another timeout or retry policy; it shares
        the connection pool (closing it does not close the original)."""
        return self._derive(timeout, retry)

    def _execute(self, call: Call[T]) -> T:
        attempts = Attempts(call, self._config.retry)
        kwargs = call.request_kwargs(self._config)
        auth = self._config.auth
        while True:
            log_request(call, attempts.attempt)
            started = time.monotonic()
            try:
                try:
                    response = self._http.send(
                        self._http.build_request(**kwargs), auth=auth, follow_redirects=False
                    )
                except httpx.HTTPError as exc:
                    # from None: the httpx error holds the request, and so the key.
                    raise transport_error(exc, call.operation) from None
                return finish(call, response, started)
            except KomfortkasseError as error:
                delay = attempts.after(error)
            time.sleep(delay)

    def close(self) -> None:
        """Close the connection pool (unless it was passed in by the caller)."""
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncKomfortkasse(_ClientBase):
    """Asynchronous client (asyncio or trio); every method of
    :class:`Komfortkasse` as a coroutine. Use ``async with`` or :meth:`aclose`."""

    orders: AsyncOrders
    postings: AsyncPostings
    images: AsyncImages

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        timeout: TimeoutTypes = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        self._configure(api_key, base_url, timeout, retry)
        if http_client is None:
            self._http = httpx.AsyncClient(
                follow_redirects=False, headers={"User-Agent": USER_AGENT}
            )
            self._owns_http = True
        else:
            _check_http_client(http_client, httpx.AsyncClient)
            self._http = http_client
            self._owns_http = False
        self._bind_resources()

    def _bind_resources(self) -> None:
        self.orders = AsyncOrders(self)
        self.postings = AsyncPostings(self)
        self.images = AsyncImages(self)

    def with_options(
        self, *, timeout: TimeoutTypes | object = _KEEP, retry: RetryPolicy | None = None
    ) -> AsyncKomfortkasse:
        """See :meth:`Komfortkasse.with_options`."""
        return self._derive(timeout, retry)

    async def _execute(self, call: Call[T]) -> T:
        attempts = Attempts(call, self._config.retry)
        kwargs = call.request_kwargs(self._config)
        auth = self._config.auth
        while True:
            log_request(call, attempts.attempt)
            started = time.monotonic()
            try:
                try:
                    response = await self._http.send(
                        self._http.build_request(**kwargs), auth=auth, follow_redirects=False
                    )
                except httpx.HTTPError as exc:
                    # from None: the httpx error holds the request, and so the key.
                    raise transport_error(exc, call.operation) from None
                return finish(call, response, started)
            except KomfortkasseError as error:
                delay = attempts.after(error)
            await anyio.sleep(delay)

    async def aclose(self) -> None:
        """Close the connection pool (unless it was passed in by the caller)."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
