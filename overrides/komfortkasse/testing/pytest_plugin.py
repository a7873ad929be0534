"""pytest plugin (entry point ``komfortkasse``): the ``komfortkasse_fake`` fixture.

Importing this module costs nothing: the fake (and jsonschema, segno) are imported
when a test first asks for the fixture.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from ._fake import FakeKomfortkasse


@pytest.fixture
def komfortkasse_fake() -> Iterator[FakeKomfortkasse]:
    """A started :class:`~komfortkasse.testing.FakeKomfortkasse`, stopped after the test.

    ``komfortkasse_fake.client()`` gives a client bound to it and to its clock.
    """
    with fake_class()() as fake:
        yield fake


def fake_class() -> type[FakeKomfortkasse]:
    """:class:`FakeKomfortkasse`, or a failed test saying which extra to install."""
    try:
        from komfortkasse.testing import FakeKomfortkasse
    except ModuleNotFoundError as exc:
        pytest.fail(f"the komfortkasse_fake fixture: {exc}", pytrace=False)
    return FakeKomfortkasse
