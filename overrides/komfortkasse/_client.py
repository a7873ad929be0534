"""``Komfortkasse`` and ``AsyncKomfortkasse``: configuration, connection, the send loop.

Both share the sans-I/O core (:mod:`komfortkasse._call`, :mod:`komfortkasse._exchange`,
:mod:`komfortkasse._retry`); what differs is only how bytes move, how
an attempt's deadline is enforced (async: :mod:`komfortkasse._async_deadline`;
sync: the socket backend of :mod:`komfortkasse._deadline`) and how the wait
between retries is spent.

``from komfortkasse import Komfortkasse`` loads this module alone: what a call
needs beyond it (the models, the rules, anyio for the async client, httpcore
for the deadline backend) is imported when the first client is made or sends.
"""

from __future__ import annotations

import datetime
import functools
import time
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, Any, NamedTuple, Self, TypeVar

import httpx

from komfortkasse_generated._ops import Operation
from komfortkasse_generated._wire import UNSET, Unset
from komfortkasse_generated.api import RESOURCES, AsyncResources, Resources

from ._call import Call, RequestHeaders
from ._config import (
    DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_TIMEOUT,
    ClientConfig,
    TimeoutTypes,
    as_timeout,
    check_max_response_bytes,
    resolve_base_url,
)
from ._exceptions import ConfigurationError, KomfortkasseError
from ._exchange import Exchange
from ._exports import adopt
from ._log import log_request
from ._resources import (
    ASYNC_RESOURCES,
    SYNC_RESOURCES,
    AsyncImages,
    AsyncOrders,
    AsyncPostings,
    Images,
    Orders,
    Postings,
)
from ._secret import resolve_api_key

if TYPE_CHECKING:
    from ._async_deadline import AttemptScope
    from ._deadline import deadline
    from ._retry import Attempts, RetryPolicy

T = TypeVar("T")


@functools.cache
def _parts() -> _Parts:
    """What every call needs beyond this module, imported at the first call (not
    with the module) and looked up once, not at every call."""
    from . import _deadline
    from ._operations import build_call
    from ._retry import Attempts

    return _Parts(build_call, Attempts, _deadline.deadline)


@functools.cache
def _async_deadline() -> Callable[[float | None], AttemptScope]:
    """The async attempt's deadline scope (asyncio is not loaded for a sync client)."""
    from ._async_deadline import attempt_deadline

    return attempt_deadline


class _Parts(NamedTuple):
    build_call: Callable[..., Call[Any]]
    attempts: type[Attempts]
    deadline: type[deadline]


#: The day given to the rules of an operation without a body (none of them reads it).
_NO_DAY = datetime.date.min


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
        max_response_bytes: int,
    ) -> None:
        from ._retry import RetryPolicy

        if retry is not None and not isinstance(retry, RetryPolicy):
            raise ConfigurationError(f"retry must be a RetryPolicy, got {type(retry).__name__}")
        self._config = ClientConfig(
            api_key=resolve_api_key(api_key),
            base_url=resolve_base_url(base_url),
            timeout=as_timeout(timeout),
            retry=retry or RetryPolicy(),
            max_response_bytes=check_max_response_bytes(max_response_bytes),
        )
        self._headers = RequestHeaders()

    def _day_for(self, operation: Operation) -> datetime.date:
        """Today, for the rules of a body (delivery and refund dates); an operation
        without a body has no date to check, and is spared asking the clock."""
        return _NO_DAY if operation.body is None else self._today()

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

    @property
    def max_response_bytes(self) -> int:
        """The largest response body the client reads (on the wire and decompressed)."""
        return self._config.max_response_bytes

    def _check_open(self, http: httpx.Client | httpx.AsyncClient) -> None:
        if http.is_closed:
            raise ConfigurationError(
                f"this {type(self).__name__} (or its HTTP client) is closed: make a new one"
            )

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self._config.base_url!r})"

    def _derive(
        self,
        timeout: TimeoutTypes | Unset,
        retry: RetryPolicy | None,
        max_response_bytes: int | None,
    ) -> Self:
        clone = object.__new__(type(self))
        clone.__dict__.update(self.__dict__)
        clone._config = self._config.evolve(
            timeout=timeout, retry=retry, max_response_bytes=max_response_bytes
        )
        clone._owns_http = False
        clone._bind_resources()
        return clone

    def _bind_resources(self) -> None:
        raise NotImplementedError


def _own_http_client(cls: type[httpx.Client] | type[httpx.AsyncClient]) -> Any:
    """An httpx client of ours: no redirects, our User-Agent, proxies from the
    environment. A proxy set-up httpx cannot use is a ConfigurationError here."""
    from ._version import user_agent

    try:
        return cls(follow_redirects=False, headers={"User-Agent": user_agent()})
    except ImportError:
        # Never echo the proxy URL: it may hold a password.
        raise ConfigurationError(
            "a SOCKS proxy is configured (ALL_PROXY / HTTPS_PROXY), but the 'socksio' "
            "package is not installed: pip install 'httpx[socks]', or pass http_client=..."
        ) from None
    except ValueError as exc:
        reason = "unknown scheme" if "scheme" in str(exc).lower() else "not usable"
        raise ConfigurationError(
            f"the proxy configured in the environment (ALL_PROXY / HTTPS_PROXY / HTTP_PROXY) "
            f"is {reason}: fix or unset it, or pass http_client=..."
        ) from None


def _check_http_client(http_client: object, expected: type) -> None:
    if not isinstance(http_client, expected):
        raise ConfigurationError(
            f"http_client must be an {expected.__module__}.{expected.__qualname__}, "
            f"got {type(http_client).__name__}"
        )


class Komfortkasse(_ClientBase, Resources):
    """Synchronous client. One connection pool per instance: sequential calls
    reuse one kept-alive connection.

    ``api_key`` defaults to ``$KOMFORTKASSE_API_KEY``; ``base_url`` to
    ``$KOMFORTKASSE_BASE_URL`` or production. Redirects are never followed and
    TLS is verified. ``timeout`` bounds each attempt as a whole (by its largest
    limit), even an answer that trickles in; ``max_response_bytes`` caps a
    response body on the wire and decompressed (default 256 MiB). Bad settings
    are a :class:`ConfigurationError` here. Use as a context manager, or call
    :meth:`close`; a call after it is a :class:`ConfigurationError`.
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
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        self._configure(api_key, base_url, timeout, retry, max_response_bytes)
        if http_client is None:
            self._http: httpx.Client = _own_http_client(httpx.Client)
            self._owns_http = True
        else:
            _check_http_client(http_client, httpx.Client)
            self._http = http_client
            self._owns_http = False
        from . import _deadline

        # Also under a caller's client: the wrapper acts only inside our calls.
        _deadline.install(self._http)
        self._bind_resources()

    def _bind_resources(self) -> None:
        # Every resource of the spec; ours where we add workflows, else as generated.
        for name, (generated, _) in RESOURCES.items():
            resource: type[Any] = SYNC_RESOURCES.get(name) or generated
            setattr(self, name, resource(self))

    def _invoke(
        self,
        operation: Operation,
        path: dict[str, Any],
        query: dict[str, Any],
        body: Any,
        *,
        first_index: int = 0,
        decode: Callable[[Any], Any] | None = None,
    ) -> Any:
        """Check and send one operation of the spec (the generated resources call
        this); ``decode`` reads a 200's JSON instead of the spec's model. A write
        whose answer is lost is resent only where the API refuses a repeat (then
        the result is read back); otherwise the error says how to check."""
        call = _parts().build_call(
            operation,
            path,
            query,
            body,
            self._day_for(operation),
            first_index=first_index,
            decode=decode,
        )
        try:
            return self._execute(call)
        except KomfortkasseError as error:
            # A failed call alone needs the workflows: not imported for every call.
            from ._workflows import (
                REPEAT_REFUSED,
                note_in_doubt,
                note_unresolved,
                plan_resend,
                read_back,
            )

            resend = plan_resend(call, self.retry, error)
            number: str | None = path.get("orderNumber")
            if resend is None:
                note_in_doubt(error, call, number)
                raise
        time.sleep(resend.delay)
        try:
            return self.with_options(retry=resend.policy)._execute(resend.call)
        except REPEAT_REFUSED[call.operation] as refused:
            check = read_back(call.operation, path, body)
            try:
                found = check.pick(self._invoke(check.operation, check.path, check.query, None))
            except KomfortkasseError as error:
                note_unresolved(error, call, number or "", "reading the result back failed")
                raise
            if found is None:
                note_unresolved(refused, call, number or "", check.not_found)
                raise
            return found
        except KomfortkasseError as error:
            note_in_doubt(error, call, number)
            raise

    def with_options(
        self,
        *,
        timeout: TimeoutTypes | Unset = UNSET,
        retry: RetryPolicy | None = None,
        max_response_bytes: int | None = None,
    ) -> Komfortkasse:
        """A view of this client with another timeout, retry policy or response
        size cap; it shares the connection pool (closing it does not close the
        original)."""
        return self._derive(timeout, retry, max_response_bytes)

    def _execute(self, call: Call[T]) -> T:
        parts = _parts()
        http = self._http
        self._check_open(http)
        config = self._config
        headers = self._headers
        kwargs = call.request_kwargs(config)
        # Made at the first failure: most calls succeed at once.
        attempts: Attempts | None = None
        attempt = 1
        while True:
            log_request(call, attempt)
            exchange = Exchange(call, config)
            # No exception is raised inside an ``except httpx...`` block: the httpx
            # error (holding the request, and so the key) is never a __context__.
            with parts.deadline(exchange.deadline):
                try:
                    response = http.send(
                        call.build_request(http, kwargs, headers),
                        auth=config.auth,
                        follow_redirects=False,
                        stream=True,
                    )
                    try:
                        read = response.content if response.is_stream_consumed else None
                        if exchange.begin(response.status_code, response.headers, read=read):
                            for chunk in response.iter_raw():
                                if not exchange.feed(chunk):
                                    break
                    finally:
                        response.close()
                except httpx.HTTPError as exc:
                    exchange.lost(exc)
                except KomfortkasseError as error:
                    exchange.fail(error)
            try:
                return exchange.result()
            except KomfortkasseError as error:
                if attempts is None:
                    attempts = parts.attempts(
                        call, config.retry, secret=config.api_key, started=exchange.started
                    )
                delay = attempts.after(error)
                attempt = attempts.attempt
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


class AsyncKomfortkasse(_ClientBase, AsyncResources):
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
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        self._configure(api_key, base_url, timeout, retry, max_response_bytes)
        if http_client is None:
            self._http: httpx.AsyncClient = _own_http_client(httpx.AsyncClient)
            self._owns_http = True
        else:
            _check_http_client(http_client, httpx.AsyncClient)
            self._http = http_client
            self._owns_http = False
        self._bind_resources()

    def _bind_resources(self) -> None:
        for name, (_, generated) in RESOURCES.items():
            resource: type[Any] = ASYNC_RESOURCES.get(name) or generated
            setattr(self, name, resource(self))

    async def _invoke(
        self,
        operation: Operation,
        path: dict[str, Any],
        query: dict[str, Any],
        body: Any,
        *,
        first_index: int = 0,
        decode: Callable[[Any], Any] | None = None,
    ) -> Any:
        """See :meth:`Komfortkasse._invoke`."""
        call = _parts().build_call(
            operation,
            path,
            query,
            body,
            self._day_for(operation),
            first_index=first_index,
            decode=decode,
        )
        try:
            return await self._execute(call)
        except KomfortkasseError as error:
            # A failed call alone needs the workflows: not imported for every call.
            from ._workflows import (
                REPEAT_REFUSED,
                note_in_doubt,
                note_unresolved,
                plan_resend,
                read_back,
            )

            resend = plan_resend(call, self.retry, error)
            number: str | None = path.get("orderNumber")
            if resend is None:
                note_in_doubt(error, call, number)
                raise
        import anyio

        await anyio.sleep(resend.delay)
        try:
            return await self.with_options(retry=resend.policy)._execute(resend.call)
        except REPEAT_REFUSED[call.operation] as refused:
            check = read_back(call.operation, path, body)
            try:
                found = check.pick(
                    await self._invoke(check.operation, check.path, check.query, None)
                )
            except KomfortkasseError as error:
                note_unresolved(error, call, number or "", "reading the result back failed")
                raise
            if found is None:
                note_unresolved(refused, call, number or "", check.not_found)
                raise
            return found
        except KomfortkasseError as error:
            note_in_doubt(error, call, number)
            raise

    def with_options(
        self,
        *,
        timeout: TimeoutTypes | Unset = UNSET,
        retry: RetryPolicy | None = None,
        max_response_bytes: int | None = None,
    ) -> AsyncKomfortkasse:
        """See :meth:`Komfortkasse.with_options`."""
        return self._derive(timeout, retry, max_response_bytes)

    async def _execute(self, call: Call[T]) -> T:
        import anyio

        parts = _parts()
        deadline_for = _async_deadline()
        http = self._http
        self._check_open(http)
        config = self._config
        headers = self._headers
        kwargs = call.request_kwargs(config)
        attempts: Attempts | None = None
        attempt = 1
        while True:
            log_request(call, attempt)
            exchange = Exchange(call, config)
            # See the sync loop; the deadline cancels the task here (one loop
            # timer on asyncio, anyio's cancel scope on trio).
            scope = deadline_for(exchange.remaining())
            try:
                with scope:
                    response = await http.send(
                        call.build_request(http, kwargs, headers),
                        auth=config.auth,
                        follow_redirects=False,
                        stream=True,
                    )
                    try:
                        read = response.content if response.is_stream_consumed else None
                        if exchange.begin(response.status_code, response.headers, read=read):
                            async for chunk in response.aiter_raw():
                                if not exchange.feed(chunk):
                                    break
                    finally:
                        # A response read to its end is closed already (httpx closes it).
                        if not response.is_closed:
                            scope.disarm()
                            with anyio.CancelScope(shield=True):
                                await response.aclose()
                if scope.cancelled_caught:
                    exchange.timed_out()
            except httpx.HTTPError as exc:
                exchange.lost(exc)
            except TimeoutError:  # a transport's own (fail_after's never left the scope)
                exchange.timed_out()
            except KomfortkasseError as error:
                exchange.fail(error)
            try:
                return exchange.result()
            except KomfortkasseError as error:
                if attempts is None:
                    attempts = parts.attempts(
                        call, config.retry, secret=config.api_key, started=exchange.started
                    )
                delay = attempts.after(error)
                attempt = attempts.attempt
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


adopt(globals())
