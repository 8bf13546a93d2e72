"""Text printed to a terminal: what a document says (a title, a snippet, a path) never
reaches it as control sequences. An ESC ] … BEL in a title could set the window title,
write a hyperlink or worse; C1 controls (U+0080–U+009F) are read as such by some
terminals; bidirectional overrides reorder what is shown.

>>> plain("Title\\x1b]0;owned\\x07 and\\u202e more\\ttab\\nline")
'Title]0;owned and more tab line'
>>> print(json_text({"title": "a\\x1bb\\x9bc\\u2066d"}, indent=1))
{
 "title": "a\\u001bb\\u009bc\\u2066d"
}
"""
from __future__ import annotations

import json
import re
from typing import Any

# DEL, C1 controls, bidirectional embeddings, overrides and isolates: json.dumps leaves
# them raw (it escapes C0 itself); with C0, every control character.
_LEFT_RAW_BY_JSON = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SPACING = re.compile(r"[\t\n\r\x0b\x0c\x85]")


def plain(text: object) -> str:
    """``text`` with line breaks and tabs made spaces and every other control character
    removed: one line, safe to print."""
    return _UNSAFE.sub("", _SPACING.sub(" ", str(text)))


def json_text(data: Any, indent: int | None = None) -> str:
    """``data`` as JSON with every control character escaped (``\\u001b``), even those
    ``json.dumps(..., ensure_ascii=False)`` leaves raw (DEL, C1, bidirectional)."""
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    return _LEFT_RAW_BY_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
