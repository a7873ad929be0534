"""``FakeKomfortkasse``: a stateful Komfortkasse API v2 on 127.0.0.1 for your test suite.

Start it, point your client at :attr:`FakeKomfortkasse.url` with
:attr:`FakeKomfortkasse.api_key`, and drive the world from the test: payments
arrive (:meth:`~FakeKomfortkasse.receive_payment`), time passes
(:meth:`~FakeKomfortkasse.advance_days`), orders are locked, faults are injected,
callbacks are posted to your endpoint::

    with FakeKomfortkasse() as fake:
        client = MyShop(base_url=fake.url, api_key=fake.api_key)
        client.submit_order("1001", ...)
        fake.receive_payment("1001", "22.38")
        assert fake.order("1001").payment_status == "PAID"
"""

from __future__ import annotations

import datetime
import threading
from typing import TYPE_CHECKING, Any

from ._api import Api
from ._callbacks import (
    DELIVERY_TIMEOUT,
    RETRY_INTERVAL,
    RETRY_PERIOD,
    CallbackAttempt,
    CallbackDelivery,
    CallbackDispatcher,
)
from ._control import CONTROL_PREFIX, Control, new_control_token
from ._faults import FaultKind, FaultPlan, FaultRule
from ._http import FakeHTTPServer, RecordedRequest
from ._records import MoneyLike, OrderRecord, PostingRecord, ShopRecord, new_api_key, to_money
from ._simulation import FakeState
from ._spec import vendored_spec

if TYPE_CHECKING:
    from komfortkasse import AsyncKomfortkasse, Komfortkasse


class FakeKomfortkasse:
    """A real HTTP/1.1 server speaking the Komfortkasse API v2, with state you control.

    Each API key is one shop with its own orders; :attr:`api_key` is the default
    shop's. The fake keeps its own clock (starting at ``today``, midnight), and the
    rules that the real service applies over time run as the clock passes midnight:
    reminders on :attr:`REMINDER_OFFSETS_DAYS`, cancellation after
    :attr:`CANCEL_AFTER_LAST_REMINDER_DAYS` (INVOICE, COD) or
    ``prepayment_cancel_days`` (PREPAYMENT), refunds on their planned date.

    ``check_responses=True`` checks every JSON answer against the spec and turns a
    violation into a 500 naming it (for testing the fake itself; costs time).

    The same controls are HTTP endpoints under :attr:`control_url` (``/_fake``),
    guarded by :attr:`control_token` (random unless ``control_token=``), for test
    suites in other languages; see :mod:`komfortkasse.testing`.
    """

    #: Days after the due date (or order date) on which reminders 1, 2, 3 are sent.
    REMINDER_OFFSETS_DAYS = FakeState.REMINDER_OFFSETS_DAYS
    #: Fees of reminders 1, 2, 3.
    REMINDER_FEES = FakeState.REMINDER_FEES
    #: Unpaid INVOICE/COD orders are CANCELLED this many days after the last reminder.
    CANCEL_AFTER_LAST_REMINDER_DAYS = FakeState.CANCEL_AFTER_LAST_REMINDER_DAYS
    #: Default days after the due date (or order date) when unpaid PREPAYMENT orders cancel.
    PREPAYMENT_CANCEL_DAYS = FakeState.PREPAYMENT_CANCEL_DAYS
    #: Fake time between attempts of a failing callback, and how long attempts go on.
    CALLBACK_RETRY_INTERVAL = RETRY_INTERVAL
    CALLBACK_RETRY_PERIOD = RETRY_PERIOD

    def __init__(
        self,
        *,
        port: int = 0,
        api_key: str | None = None,
        today: datetime.date | None = None,
        prepayment_cancel_days: int | None = None,
        check_responses: bool = False,
        callback_timeout: float = DELIVERY_TIMEOUT,
        control_token: str | None = None,
    ) -> None:
        if control_token is not None and not control_token.strip():
            raise ValueError("control_token must not be empty")
        self._control_token = control_token or new_control_token()
        self._port = port
        self._start_day = today if today is not None else datetime.date.today()
        self._callbacks = CallbackDispatcher(timeout=callback_timeout)
        self._faults = FaultPlan()
        self._prepayment_cancel_days = prepayment_cancel_days
        self._default_shop_key = api_key if api_key is not None else new_api_key()
        self._state = self._new_state(self._default_shop_key)
        self._api = Api(self._state, vendored_spec(), check_responses=check_responses)
        self._server: FakeHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def _new_state(self, default_key: str) -> FakeState:
        state = FakeState(
            datetime.datetime.combine(self._start_day, datetime.time()),
            self._callbacks,
            prepayment_cancel_days=self._prepayment_cancel_days,
        )
        state.add_shop(default_key)
        return state

    def __repr__(self) -> str:
        where = self.url if self._server is not None else "not started"
        return f"<FakeKomfortkasse {where}, {len(self._state.shops)} shop(s), today {self.today}>"

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> FakeKomfortkasse:
        """Bind 127.0.0.1 and serve in a background thread (idempotent)."""
        if self._server is None:
            control = Control(self, self._control_token).handle
            server = FakeHTTPServer(self._port, self._api, self._callbacks, self._faults, control)
            thread = threading.Thread(
                target=server.serve_forever,
                kwargs={"poll_interval": 0.02},
                name=f"FakeKomfortkasse:{server.port}",
                daemon=True,
            )
            thread.start()
            self._server, self._thread = server, thread
        return self

    def stop(self) -> None:
        """Stop serving and close every connection, idle keep-alive ones included."""
        server, thread = self._server, self._thread
        if server is None:
            return
        server.shutdown()
        server.server_close()
        server.close_all_connections()
        if thread is not None:
            thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> FakeKomfortkasse:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _running(self) -> FakeHTTPServer:
        if self._server is None:
            raise RuntimeError("FakeKomfortkasse is not started; use start() or `with`")
        return self._server

    @property
    def url(self) -> str:
        """The base URL, ``http://127.0.0.1:<port>/api/v2``."""
        return f"{self._running().origin}/api/v2"

    @property
    def port(self) -> int:
        """The TCP port the fake listens on (127.0.0.1)."""
        return self._running().port

    @property
    def api_key(self) -> str:
        """The default shop's API key."""
        return self._default_shop_key

    @property
    def control_url(self) -> str:
        """Where the HTTP control endpoints live: ``http://127.0.0.1:<port>/_fake``."""
        return f"{self._running().origin}{CONTROL_PREFIX}"

    @property
    def control_token(self) -> str:
        """The token the control endpoints require (header ``X-Fake-Komfortkasse-Token``)."""
        return self._control_token

    @property
    def connection_count(self) -> int:
        """TCP connections accepted since start."""
        return self._running().connection_count

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received, in order, with the API key redacted."""
        return self._running().recorded()

    # -- clients bound to the fake ---------------------------------------------------------

    def client(self, **options: Any) -> Komfortkasse:
        """A :class:`~komfortkasse.Komfortkasse` for this fake, on the fake's clock.

        ``api_key`` and ``base_url`` default to the fake's (any other keyword goes to
        ``Komfortkasse(...)``). The client-side date rules (a refund's
        ``planned_date`` in the future, ``due_date`` at most 6 months ahead) use
        :attr:`today`, so after :meth:`advance_days` the client agrees with the fake
        on what "tomorrow" is. Close it (or use ``with``) like any client.
        """
        from komfortkasse import Komfortkasse

        client = Komfortkasse(**self._client_options(options))
        client._today = self._today_for_clients
        return client

    def async_client(self, **options: Any) -> AsyncKomfortkasse:
        """An :class:`~komfortkasse.AsyncKomfortkasse` for this fake, on the fake's
        clock (see :meth:`client`)."""
        from komfortkasse import AsyncKomfortkasse

        client = AsyncKomfortkasse(**self._client_options(options))
        client._today = self._today_for_clients
        return client

    def _client_options(self, options: dict[str, Any]) -> dict[str, Any]:
        return {"api_key": self.api_key, "base_url": self.url, **options}

    def _today_for_clients(self) -> datetime.date:
        return self._state.today

    # -- clock ----------------------------------------------------------------------------

    @property
    def clock(self) -> datetime.datetime:
        """The fake's current time (naive, no time zone)."""
        return self._state.now

    @property
    def today(self) -> datetime.date:
        """The fake clock's date (starts at the real today or ``today=``)."""
        return self._state.today

    def advance(self, delta: datetime.timedelta) -> None:
        """Move the fake clock forward, running every due rule and callback retry in order.

        Each midnight passed runs the day's reminders, cancellations and refunds; a
        pending callback is retried at each of its due times on the way.
        """
        if delta < datetime.timedelta(0):
            raise ValueError("the fake clock only moves forward")
        target = self._state.now + delta
        while True:
            with self._state.lock:
                now = self._state.now
                if now >= target:
                    break
                midnight = datetime.datetime.combine(
                    now.date() + datetime.timedelta(days=1), datetime.time()
                )
                step = min(target, midnight)
                retry = self._callbacks.next_due()
                if retry is not None and now < retry < step:
                    step = retry
                self._state.now = step
                if step == midnight:
                    self._state.run_day(step.date())
                fresh = self._state.take_outbox()
            self._callbacks.deliver(fresh, step)
            self._callbacks.deliver_due(step)

    def advance_days(self, days: int) -> None:
        """Move the fake clock ``days`` days forward (see :meth:`advance`)."""
        self.advance(datetime.timedelta(days=days))

    # -- shops and orders -----------------------------------------------------------------

    def add_shop(
        self,
        api_key: str | None = None,
        *,
        api_active: bool = True,
        read_only: bool = False,
        shop_active: bool = True,
        country: str = "DE",
    ) -> str:
        """Another shop (its own orders and bank account); returns its API key."""
        with self._state.lock:
            return self._state.add_shop(
                api_key,
                api_active=api_active,
                read_only=read_only,
                shop_active=shop_active,
                country=country,
            ).api_key

    def shop(self, shop: str | None = None) -> ShopRecord:
        """The shop record of API key ``shop`` (default shop when ``None``)."""
        return self._state.shop(shop)

    def orders(self, shop: str | None = None) -> list[OrderRecord]:
        """The shop's orders in submission order (live records: inspect, don't modify)."""
        with self._state.lock:
            return list(self._state.shop(shop).orders.values())

    def order(self, number: str, *, shop: str | None = None) -> OrderRecord:
        """One order of the shop; :class:`KeyError` when unknown."""
        with self._state.lock:
            found = self._state.shop(shop).orders.get(number)
        if found is None:
            raise KeyError(f"no order {number!r}")
        return found

    # -- simulation -----------------------------------------------------------------------

    def _deliver(self, fresh: list[CallbackDelivery]) -> None:
        self._callbacks.deliver(fresh, self._state.now)

    def receive_payment(
        self,
        order_number: str,
        amount: MoneyLike,
        *,
        reference: str | None = None,
        payer_iban: str | None = None,
        shop: str | None = None,
    ) -> PostingRecord:
        """A bank posting of ``amount`` arrives for the order, dated fake today.

        The posting's reference is the order's reference number unless given. With
        ``payer_iban`` the customer's bank details become known (for refunds).
        Full payment makes the order PAID, less makes it PAID_PARTIAL.
        """
        money = to_money(amount)
        with self._state.lock:
            shop_record = self._state.shop(shop)
            order = self._order_of(shop_record, order_number)
            posting = self._state.receive_payment(
                shop_record, order, money, reference=reference, payer_iban=payer_iban
            )
            fresh = self._state.take_outbox()
        self._deliver(fresh)
        return posting

    def give_bank_details(
        self, order_number: str, iban: str = "DE02120300000000202051", *, shop: str | None = None
    ) -> None:
        """The customer sends their bank details: waiting refunds become NEW."""
        with self._state.lock:
            order = self._order_of(self._state.shop(shop), order_number)
            self._state.give_bank_details(order, iban)

    def start_collection(
        self,
        order_number: str,
        partner: str = "Fake Inkasso GmbH",
        *,
        file: str | None = None,
        shop: str | None = None,
    ) -> None:
        """Hand the order to a debt collection agency: paymentStatus COLLECTION."""
        with self._state.lock:
            shop_record = self._state.shop(shop)
            order = self._order_of(shop_record, order_number)
            file_number = file if file is not None else f"INK-{order.reference_number}"
            self._state.start_collection(shop_record, order, partner, file_number)
            fresh = self._state.take_outbox()
        self._deliver(fresh)

    def hold_lock(self, order_number: str, times: int = 1, *, shop: str | None = None) -> None:
        """The next ``times`` writes touching the order answer "Could not acquire lock"."""
        if times < 0:
            raise ValueError("times must be >= 0")
        with self._state.lock:
            locks = self._state.shop(shop).held_locks
            locks[order_number] = locks.get(order_number, 0) + times

    def set_callback(self, url: str, access_code: str, *, shop: str | None = None) -> None:
        """POST every payment status change of the shop's orders to ``url``."""
        with self._state.lock:
            record = self._state.shop(shop)
            record.callback_url = url
            record.callback_access_code = access_code

    def deliver_pending_callbacks(self) -> None:
        """Attempt every pending callback now, without waiting for its retry time."""
        now = self._state.now
        self._callbacks.deliver(self._callbacks.pending(), now)

    @property
    def callback_log(self) -> list[CallbackAttempt]:
        """Every callback delivery attempt, in order."""
        return self._callbacks.attempts()

    @property
    def pending_callbacks(self) -> list[CallbackDelivery]:
        """Deliveries waiting for their next attempt."""
        return self._callbacks.pending()

    def inject_fault(
        self,
        kind: FaultKind | str,
        *,
        times: int = 1,
        path_contains: str | None = None,
        delay: float = 0.0,
    ) -> None:
        """The next ``times`` requests whose path contains ``path_contains`` get a fault.

        ``kind`` is a :class:`FaultKind` or its value: ``"500"``, ``"502_html"``,
        ``"html_200"``, ``"redirect"``, ``"520"``, ``"empty_200"``,
        ``"truncated_json"``, ``"delay"`` (``delay`` seconds), ``"drop"``,
        ``"drop_after_handling"``, ``"wrong_answer"``, ``"drip"`` (one byte every
        ``delay`` seconds), ``"oversized"``, ``"gzip_bomb"``, ``"echo_key"``.
        """
        if times < 1:
            raise ValueError("times must be >= 1")
        self._faults.add(FaultRule(FaultKind(kind), times, path_contains, delay))

    def reset(self) -> None:
        """Back to the start: only the default shop (same key), no orders, no faults,
        clock at its first day, empty logs. The server keeps running."""
        self._state = self._new_state(self._default_shop_key)
        self._api.state = self._state
        self._faults.clear()
        self._callbacks.clear()
        if self._server is not None:
            self._server.clear_recorded()

    @staticmethod
    def _order_of(shop: ShopRecord, number: str) -> OrderRecord:
        order = shop.orders.get(number)
        if order is None:
            raise KeyError(f"no order {number!r}")
        return order
