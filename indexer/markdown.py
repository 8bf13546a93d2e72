"""Markdown to plain text: the text that is searched, extracted from and quoted.

Emphasis, links and inline HTML are dropped, their words kept; headings and paragraphs
become blocks separated by blank lines; list items keep a leading "- ".
"""
from __future__ import annotations

import re

from markdown_it import MarkdownIt

_parser = MarkdownIt("commonmark")
_TAG = re.compile(r"<[^>]*>")


def _inline_text(token) -> str:
    parts = []
    for child in token.children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type == "softbreak":
            parts.append("\n")
        elif child.type == "hardbreak":
            parts.append("\n")
        elif child.type == "html_inline":
            continue
        elif child.type == "image":
            parts.append(child.content)
    return "".join(parts)


def to_plain_text(markdown: str) -> str:
    """Plain text of a Markdown document.

    >>> to_plain_text("## Titre\\n\\n*Nous*, les **maires** : [lien](http://x)")
    'Titre\\n\\nNous, les maires : lien'
    """
    blocks: list[str] = []
    list_depth = 0
    in_item = False
    for token in _parser.parse(markdown):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            list_depth += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
        elif token.type == "list_item_open":
            in_item = True
        elif token.type == "inline":
            text = _inline_text(token).strip()
            if not text:
                continue
            if list_depth and in_item:
                blocks.append("- " + text)
                in_item = False
            elif list_depth:
                blocks[-1] += "\n" + text
            else:
                blocks.append(text)
        elif token.type in ("code_block", "fence"):
            blocks.append(token.content.rstrip())
        elif token.type == "html_block":
            text = _TAG.sub("", token.content).strip()
            if text:
                blocks.append(text)
    return join_blocks(blocks)


_HEADING_MARKS = re.compile(r"^[#\s]+|[*_`]+", re.MULTILINE)


def first_line_title(text: str) -> str:
    """The first non-empty line, without Markdown heading or emphasis marks."""
    for line in text.splitlines():
        title = _HEADING_MARKS.sub("", line).strip()
        if title:
            return title[:300]
    return ""


def join_blocks(blocks: list[str]) -> str:
    r"""Blocks separated by blank lines; consecutive list items (``- ``) on consecutive lines.

    >>> join_blocks(["Nous nous engageons à :", "- former", "- soutenir", "Fait à Nice."])
    'Nous nous engageons à :\n\n- former\n- soutenir\n\nFait à Nice.'
    """
    groups: list[list[str]] = []
    after_item = False          # the last line so far is a list item
    for block in blocks:
        if after_item and block.startswith("- "):
            groups[-1].append(block)
        else:
            groups.append([block])
        after_item = block[block.rfind("\n") + 1:].startswith("- ")
    return "\n\n".join("\n".join(group) for group in groups)
