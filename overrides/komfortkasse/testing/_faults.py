"""Injected faults: the failures a client meets in the wild, on demand.

:class:`FaultKind` is the one table of what the fake can do instead of answering
normally. A :class:`FaultRule` applies to the next ``times`` requests whose path
(including the query string) contains ``path_contains``.
"""

from __future__ import annotations

import enum
import threading
from dataclasses import dataclass


class FaultKind(enum.StrEnum):
    """What a matching request gets instead of (or on top of) its normal answer."""

    #: 500 with ``{"error": "Internal server error"}``; nothing changes.
    SERVER_ERROR = "500"
    #: 502 with an HTML error page (a proxy in front of the API failing).
    BAD_GATEWAY_HTML = "502_html"
    #: 200 with the HTML login page instead of JSON.
    HTML_200 = "html_200"
    #: 302 to the login page.
    REDIRECT = "redirect"
    #: Status 520 (non-standard, a CDN's "unknown error") with an empty body.
    STATUS_520 = "520"
    #: 200 with an empty body.
    EMPTY_200 = "empty_200"
    #: 200 with JSON cut off in the middle (correct Content-Length for what is sent).
    TRUNCATED_JSON = "truncated_json"
    #: Sleep ``delay`` seconds, then handle the request normally.
    DELAY = "delay"
    #: Read the request, change nothing, close the connection without an answer.
    DROP = "drop"
    #: Handle the request (its effect applies), then close without an answer.
    DROP_AFTER_HANDLING = "drop_after_handling"
    #: Handle the request (its effect applies), then answer 200 with something else:
    #: every ``number``/``externalReference`` of the answer's objects changed, a
    #: count made negative, a body-less 200 given ``{"error": "File missing"}``.
    WRONG_ANSWER = "wrong_answer"
    #: Handle the request, then send the answer one byte every ``delay`` seconds
    #: (:data:`DRIP_DEFAULT` if not given): every read gets a byte in time, the
    #: answer as a whole comes late.
    DRIP = "drip"
    #: 200 with a 1 MiB JSON body (more than a small ``max_response_bytes``).
    OVERSIZED = "oversized"
    #: 200 with ``Content-Encoding: gzip``: 16 KiB that inflate to 16 MiB.
    GZIP_BOMB = "gzip_bomb"
    #: 500 whose error message echoes the request's API key.
    ECHO_KEY = "echo_key"

    @property
    def handles_request(self) -> bool:
        """True when the request's normal effect still takes place."""
        return self in (
            FaultKind.DELAY,
            FaultKind.DROP_AFTER_HANDLING,
            FaultKind.WRONG_ANSWER,
            FaultKind.DRIP,
        )


#: Seconds between two bytes of a dripped answer when ``delay`` is not given.
DRIP_DEFAULT = 0.01


@dataclass
class FaultRule:
    """``kind`` for the next ``remaining`` requests whose path contains ``path_contains``."""

    kind: FaultKind
    remaining: int
    path_contains: str | None = None
    delay: float = 0.0

    def matches(self, target: str) -> bool:
        return self.remaining > 0 and (self.path_contains is None or self.path_contains in target)


class FaultPlan:
    """The rules in the order they were injected; the first matching one is used up."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rules: list[FaultRule] = []

    def add(self, rule: FaultRule) -> None:
        with self._lock:
            self._rules.append(rule)

    def take(self, target: str) -> FaultRule | None:
        """The rule for a request to ``target`` (one use consumed), or ``None``."""
        with self._lock:
            for rule in self._rules:
                if rule.matches(target):
                    rule.remaining -= 1
                    self._rules = [r for r in self._rules if r.remaining > 0]
                    return rule
        return None

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    @property
    def active(self) -> list[FaultRule]:
        with self._lock:
            return list(self._rules)
