"""Read the spec's "Common error messages" table and write it as a module.

The table lives in ``info.description`` as Markdown::

    | Status | `error` message | Meaning |
    | `400`  | `Missing parameter <name>` | A required field ... |
    | `400`  | `Parameter date is not valid` / `Parameter dueDate is not valid` | ... |

Each message becomes one row (alternatives joined by `` / `` are split); a
``<placeholder>`` becomes ``{placeholder}``, so the client can match a server
message and the fake can format one. The hand-written layer maps templates to
its named exception classes; a new row needs no hand edit to be raised with
the right status class.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["error_rows", "render"]

_HEADING = "### Common error messages"
_ROW = re.compile(r"^\|\s*`(\d{3})`\s*\|(.+)\|(.+)\|\s*$")
_MESSAGE = re.compile(r"`([^`]+)`")
_PLACEHOLDER = re.compile(r"<([A-Za-z_][A-Za-z0-9_]*)>")

Row = tuple[int, str, str]


def error_rows(spec: dict[str, Any]) -> list[Row]:
    """(status, template, meaning) for every documented message, in table order."""
    description = spec.get("info", {}).get("description", "")
    if _HEADING not in description:
        raise SystemExit(f"the spec's info.description has no {_HEADING!r} table")
    table = description.split(_HEADING, 1)[1]
    rows: list[Row] = []
    for line in table.splitlines():
        if line.startswith("#"):
            break  # the next section
        match = _ROW.match(line.strip())
        if match is None:
            continue
        status, messages, meaning = int(match.group(1)), match.group(2), match.group(3).strip()
        found = _MESSAGE.findall(messages)
        if not found:
            raise SystemExit(f"error table row without a `message`: {line.strip()}")
        for message in found:
            template = message.replace("{", "{{").replace("}", "}}")
            rows.append((status, _PLACEHOLDER.sub(r"{\1}", template), meaning))
    if not rows:
        raise SystemExit("the spec's error table has no rows")
    return rows


def render(rows: list[Row], version: str) -> str:
    """The generated module's source."""
    lines = [
        f'"""The error messages the Komfortkasse API {version} documents (generated from the',
        'spec\'s "Common error messages" table; do not edit).',
        "",
        "Each row is (HTTP status, message template, meaning); ``{name}`` stands for a",
        "part the server fills in.",
        '"""',
        "",
        "ERRORS: tuple[tuple[int, str, str], ...] = (",
    ]
    lines += [f"    ({status}, {template!r}, {meaning!r})," for status, template, meaning in rows]
    lines += [")", "", '__all__ = ["ERRORS"]', ""]
    return "\n".join(lines)
