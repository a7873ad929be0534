"""The names of the fake's HTTP control protocol, in a module that imports nothing.

The fake (:mod:`._control`) serves it and the command line (``komfortkasse fake
...``) speaks it; the command line must work without the ``testing`` extra, so
these live apart from the server code.
"""

from __future__ import annotations

#: Where the control endpoints live (outside the API's ``/api/v2``).
CONTROL_PREFIX = "/_fake"
#: The request header that must carry the control token.
TOKEN_HEADER = "X-Fake-Komfortkasse-Token"  # noqa: S105 - a header name
#: The answer header that marks every control answer (and says: this is a fake).
MARKER_HEADER = "X-Fake-Komfortkasse"
#: Where ``komfortkasse fake ...`` reads the control token when ``--token`` is not given.
TOKEN_ENV = "KOMFORTKASSE_FAKE_TOKEN"  # noqa: S105 - a variable name
#: The banner's keys and the label each is printed with (``URL: http://...``).
BANNER_LABELS = {
    "url": "URL",
    "apiKey": "API key",
    "controlUrl": "Control URL",
    "controlToken": "Control token",
}
