"""The ``speedups`` extra: with msgspec installed, ``loads`` parses bytes with it,
and anything it refuses goes to the standard library, so every result and every
error is what the standard library alone gives."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import komfortkasse_generated._wire as wire
from komfortkasse import Komfortkasse, ResponseValidationError
from tests.samples import KEY, order_json

pytest.importorskip("msgspec")

URL = "https://komfortkasse.test.invalid/api/v2"


def _stdlib(body: bytes) -> Any:
    """The decode without msgspec, as a client without the extra has it."""
    saved = wire._FAST
    wire._FAST = None
    try:
        return wire.loads(body)
    finally:
        wire._FAST = saved


def _outcome(decode: Any, body: bytes) -> tuple[str, Any]:
    try:
        return "value", decode(body)
    except Exception as exc:  # the type is what both paths must share
        return "error", type(exc)


def _same(left: Any, right: Any) -> bool:
    """Equal, with the same types all the way down (1 and Decimal("1") differ)."""
    if type(left) is not type(right):
        return False
    if isinstance(left, dict):
        return left.keys() == right.keys() and all(_same(left[k], right[k]) for k in left)
    if isinstance(left, list):
        return len(left) == len(right) and all(map(_same, left, right))
    if isinstance(left, Decimal):
        return str(left) == str(right)
    return bool(left == right)


@pytest.fixture
def fast() -> Iterator[None]:
    saved = wire._FAST
    wire._FAST = False  # resolved again at the next body
    yield
    wire._FAST = saved


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.decimals(allow_nan=False, allow_infinity=False, places=None).map(str).map(Decimal)
    | st.text(),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(), inner, max_size=5),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_any_json_decodes_as_the_standard_library_decodes_it(value: Any) -> None:
    body = wire.dumps(value).encode("utf-8")
    assert _same(wire.loads(body), _stdlib(body))


@pytest.mark.parametrize(
    "body",
    [
        b'{"amount": NaN}',
        b'{"amount": Infinity}',
        b"[-Infinity]",
        b"\xef\xbb\xbf" + b'{"a": 1}',  # a byte-order mark
        '{"a": "ü"}'.encode("utf-16"),
        b'"\\ud800"',  # a lone surrogate, escaped
        b'"\xed\xa0\x80"',  # and raw
        b"",
        b"   ",
        b'{"a": 1',
        b"<html>login</html>",
        b'{"a": 1} trailing',
        b"[" * 100_000 + b"]" * 100_000,
        b'{"a": 1, "a": 2}',
        b"1E+400",
        b"123456789012345678901234567890123",
    ],
)
def test_what_msgspec_refuses_ends_as_the_standard_library_decides(body: bytes) -> None:
    fast_kind, fast_result = _outcome(wire.loads, body)
    std_kind, std_result = _outcome(_stdlib, body)
    assert fast_kind == std_kind
    if fast_kind == "error":
        assert fast_result is std_result
    else:
        assert _same(fast_result, std_result)


def test_bytes_take_the_fast_path_and_str_does_not(fast: None) -> None:
    seen: list[object] = []

    def spy(data: object) -> object:
        seen.append(data)
        return json.loads(bytes(data))  # type: ignore[arg-type]

    wire.loads(b"{}")  # resolves msgspec
    assert wire._FAST
    wire._FAST = wire._FAST._replace(decode=spy)
    wire.loads(b'{"a": 1}')
    wire.loads(bytearray(b"[1]"))
    wire.loads('{"a": 2}')
    assert seen == [b'{"a": 1}', bytearray(b"[1]")]


def test_a_non_finite_amount_is_refused_by_field_with_the_extra() -> None:
    body = json.dumps(order_json("7")).replace("22.38", "NaN").encode()
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=body))
    with httpx.Client(transport=transport) as http:
        kk = Komfortkasse(KEY, base_url=URL, http_client=http)
        with pytest.raises(ResponseValidationError) as caught:
            kk.orders.get("7")
    assert caught.value.field == "amount"


def test_amounts_stay_exact_decimals_with_the_extra() -> None:
    body = json.dumps(order_json("7", amount=0.1)).encode()
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=body))
    with httpx.Client(transport=transport) as http:
        read = Komfortkasse(KEY, base_url=URL, http_client=http).orders.get("7")
    assert read.amount == Decimal("0.1")
    assert type(read.amount) is Decimal


def test_importing_the_client_does_not_import_msgspec() -> None:
    code = (
        "import sys\n"
        "from komfortkasse import Komfortkasse\n"
        "assert 'msgspec' not in sys.modules, 'imported with the client'\n"
        "import komfortkasse_generated._wire as w\n"
        "w.loads(b'{}')\n"
        "assert 'msgspec' in sys.modules, 'not used for a body'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_without_msgspec_the_standard_library_decodes() -> None:
    code = (
        "import sys\n"
        "sys.modules['msgspec'] = None  # as if the extra were not installed\n"
        "from decimal import Decimal\n"
        "import komfortkasse_generated._wire as w\n"
        "assert w.loads(b'{\"a\": 1.5}') == {'a': Decimal('1.5')}\n"
        "assert w._FAST is None\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
