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
    """A started :class:`~komfortkasse.testing.FakeKomfortkasse`, stopped after the test."""
    from ._fake import FakeKomfortkasse

    with FakeKomfortkasse() as fake:
        yield fake
