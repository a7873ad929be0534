"""The retry rule: one small immutable value a caller can read and replace.

What is retried (:meth:`RetryPolicy.should_retry`):

* "Could not acquire lock" -- always: the API refused before doing anything.
* a connection that failed before the request was sent -- always.
* a 5xx, a timeout, or a connection lost after sending -- only for calls that
  are safe to repeat (reads, the order upserts without an initial dunning
  level). Invoice upload, ``ordersync``, refund, set-paid/unpaid, cancel and
  remove could act twice and are never repeated by the send loop once the
  request may have reached the server (refund and set-paid are resent by the
  resources, which resolve the API's refusal of the repeat).

How long: exponential backoff with jitter, bounded both by ``max_attempts``
and by ``max_elapsed`` seconds since the first attempt. A value a policy cannot
work with is refused at construction with a :class:`ConfigurationError` (a
``ValueError``).
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NoReturn

import attrs

from ._exceptions import (
    ConfigurationError,
    KomfortkasseError,
    LockError,
    ServerError,
    TransportError,
)
from ._exports import adopt
from ._log import logger, reason
from ._secret import _Secret, detach, redact

if TYPE_CHECKING:
    from ._call import Call

__all__ = ["SAFE_TO_REPEAT", "RetryPolicy"]

#: Operations (the spec's operationIds) whose repetition is harmless: reads and
#: the order upserts (same body, same result; a call that sets an initial dunning
#: level is not, see ``_operations.repeatable_order``). Not ``ordersync``: a
#: repeat with the old list marks an order created in between ``LEGACY``.
SAFE_TO_REPEAT = frozenset(
    {
        "getOrder",
        "readOrders",
        "readPostings",
        "getImage",
        "submitOrder",
        "submitOrders",
    }
)


def _refuse(attribute: attrs.Attribute[Any], rule: str, value: object) -> NoReturn:
    raise ConfigurationError(f"RetryPolicy.{attribute.name} {rule}, got {value!r}")


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _positive(instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    """A number >= 0; infinity allowed ("no bound")."""
    if not _number(value) or not value >= 0:  # also refuses NaN
        _refuse(attribute, "must be a number, not negative", value)


def _finite(instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    """A finite number >= 0 (a delay or a factor: infinity would sleep forever)."""
    _positive(instance, attribute, value)
    if not math.isfinite(value):
        _refuse(attribute, "must be finite", value)


def _fraction(instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if not _number(value) or not 0 <= value <= 1:
        _refuse(attribute, "must be between 0 and 1", value)


def _flag(instance: object, attribute: attrs.Attribute[bool], value: bool) -> None:
    if not isinstance(value, bool):
        _refuse(attribute, "must be True or False", value)


@attrs.frozen
class RetryPolicy:
    """When and how long to retry. Replace per client or per call::

    client = Komfortkasse(retry=RetryPolicy(max_attempts=8))
    client.with_options(retry=RetryPolicy.never()).orders.get("1")
    """

    #: Requests made at most, the first one included (1 = no retries).
    max_attempts: int = attrs.field(default=5)
    #: No retry starts later than this many seconds after the first attempt. Each
    #: attempt is bounded by the client's timeout, so a call ends within
    #: ``max_elapsed`` plus one attempt's timeout.
    max_elapsed: float = attrs.field(default=30.0, validator=_positive)
    #: Delay before the first retry; doubles (``multiplier``) each time ...
    initial_delay: float = attrs.field(default=0.2, validator=_finite)
    multiplier: float = attrs.field(default=2.0, validator=_finite)
    #: ... up to this cap.
    max_delay: float = attrs.field(default=5.0, validator=_finite)
    #: Each delay is scaled by a random factor in ``[1 - jitter, 1 + jitter]``.
    jitter: float = attrs.field(default=0.25, validator=_fraction)
    #: Whether 5xx answers and timeouts of safe operations are retried.
    retry_server_errors: bool = attrs.field(default=True, validator=_flag)

    @max_attempts.validator
    def _check_attempts(self, attribute: attrs.Attribute[int], value: int) -> None:
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            _refuse(attribute, "must be a whole number of at least 1", value)

    @classmethod
    def never(cls) -> RetryPolicy:
        """A policy that makes exactly one attempt."""
        return cls(max_attempts=1)

    def delay(self, retry_number: int, rand: Callable[[], float] = random.random) -> float:
        """Seconds to wait before retry ``retry_number`` (1 for the first retry)."""
        try:
            grown = self.initial_delay * self.multiplier ** (retry_number - 1)
        except OverflowError:  # a huge multiplier: the cap applies
            grown = math.inf
        base = min(self.max_delay, grown)
        factor = 1.0 + self.jitter * (2.0 * rand() - 1.0)
        return max(0.0, base * factor)

    def should_retry(self, error: KomfortkasseError, *, idempotent: bool) -> bool:
        """Whether ``error`` may be retried at all (attempt limits aside)."""
        if isinstance(error, LockError):
            return True
        if isinstance(error, TransportError):
            if not error.request_sent:
                return True
            return idempotent and self.retry_server_errors
        if isinstance(error, ServerError):
            return idempotent and self.retry_server_errors
        return False

    def next_delay(
        self,
        error: KomfortkasseError,
        *,
        attempt: int,
        elapsed: float,
        idempotent: bool,
        rand: Callable[[], float] = random.random,
    ) -> float | None:
        """The wait before another attempt after ``attempt`` failed with ``error``,
        or ``None`` when the error is final."""
        if attempt >= self.max_attempts or not self.should_retry(error, idempotent=idempotent):
            return None
        wait = self.delay(attempt, rand)
        if elapsed + wait > self.max_elapsed:
            return None
        return wait


class Attempts:
    """Retry bookkeeping for one call; :meth:`after` decides and logs.

    Every error of an attempt passes through :meth:`after`, which first makes it
    safe to keep: the API key is cut out of all server-provided text and no link
    to an httpx request (holding the key in its headers) remains.
    """

    __slots__ = ("attempt", "call", "clock", "policy", "rand", "secret", "started")

    def __init__(
        self,
        call: Call[Any],
        policy: RetryPolicy,
        *,
        clock: Callable[[], float] = time.monotonic,
        rand: Callable[[], float] = random.random,
        secret: _Secret | None = None,
        attempt: int = 1,
        started: float | None = None,
    ) -> None:
        self.call = call
        self.policy = policy
        self.clock = clock
        self.rand = rand
        self.secret = secret
        self.attempt = attempt
        #: ``clock()`` when the call began (given: its first attempt's start).
        self.started = clock() if started is None else started

    def after(self, error: KomfortkasseError) -> float:
        """The delay before the next attempt; raises ``error`` when it is final."""
        detach(error)
        if self.secret is not None:
            redact(error, self.secret)
        delay = self.policy.next_delay(
            error,
            attempt=self.attempt,
            elapsed=self.clock() - self.started,
            idempotent=self.call.idempotent,
            rand=self.rand,
        )
        if delay is None:
            if isinstance(error, LockError):
                error.attempts = self.attempt
            # Only an error the policy would retry was "given up on": a 404 after a
            # 500 is the answer, not a failure of the retries.
            retryable = self.policy.should_retry(error, idempotent=self.call.idempotent)
            if self.attempt > 1 and retryable:
                error.add_note(f"gave up after {self.attempt} attempts")
            raise error
        logger.warning(
            "komfortkasse: retrying %s (attempt %d of %d failed: %s); next try in %.2fs",
            self.call.operation,
            self.attempt,
            self.policy.max_attempts,
            reason(error),
            delay,
        )
        self.attempt += 1
        return delay


adopt(globals())
