"""Reading a FreeDict dictionary in dictd format (``.index`` and ``.dict.dz``).

Debian's ``dict-freedict-fra-eng`` and ``dict-freedict-eng-fra`` install one each under
``/usr/share/dictd/``. The ``.index`` lists every entry: headword, then the entry's
offset and length in the decompressed ``.dict`` (numbers in dictd's base 64). The
``.dict.dz`` is gzip-compatible (dictzip). An entry reads::

    abandonner /abɑ̃dɔne/ <v>
    1. cede, give in, give up, give way, relinquish, yield
    2. abandon, forsake, desert, leave, quit

The first line is the headword (with its pronunciation and part of speech); then one
line per sense, each a comma-separated list of translations. A sense may start with a
domain label (``[cul]``) and translations may carry explanations in parentheses
(``take off (clothes)``), which are dropped.
"""
from __future__ import annotations

import gzip
import re
from dataclasses import dataclass
from pathlib import Path

_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_HEADWORD = re.compile(r"^(?P<word>.+?)(?:\s+/[^/]*/)?(?:\s+<(?P<pos>[^>]*)>)?\s*$")
_NUMBER = re.compile(r"^\d+\.\s*")
_DOMAIN = re.compile(r"^\[(?P<domain>[^\]]*)\]\s*")
_PARENTHESES = re.compile(r"\([^)]*\)")


@dataclass(frozen=True)
class Entry:
    headword: str
    pos: str                                  # part of speech as the dictionary gives it, or ""
    senses: tuple[tuple[str, ...], ...]       # per sense, its translations
    domains: tuple[str, ...] = ()             # per sense, its domain label or ""


def decode_number(text: str) -> int:
    """A dictd base-64 number: ``decode_number("BgXs")`` → 394732."""
    value = 0
    for char in text:
        value = value * 64 + _B64.index(char)
    return value


def parse_entry(text: str) -> Entry | None:
    """One entry's text as an Entry (None when it has no translation).

    >>> parse_entry("abattis /abati/ <n, masc>\\n1. debris, rubbish\\n2.  [cul] giblets\\n")
    Entry(headword='abattis', pos='n, masc', senses=(('debris', 'rubbish'), ('giblets',)), domains=('', 'cul'))
    >>> parse_entry("take off /teik/\\n1. enlever (vêtements), ôter\\n").senses
    (('enlever', 'ôter'),)
    """
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if len(lines) < 2:
        return None
    head = _HEADWORD.match(lines[0])
    if head is None:
        return None
    senses, domains = [], []
    for line in lines[1:]:
        line = _NUMBER.sub("", line)
        domain = _DOMAIN.match(line)
        if domain:
            line = line[domain.end():]
        words = []
        for part in _PARENTHESES.sub(" ", line).split(","):
            part = " ".join(part.replace("\u2010", "-").split()).strip(" .;:")
            if part and part not in words:
                words.append(part)
        if words:
            senses.append(tuple(words))
            domains.append(domain.group("domain").strip() if domain else "")
    if not senses:
        return None
    return Entry(head.group("word").strip(), (head.group("pos") or "").strip(), tuple(senses),
                 tuple(domains))


def read_dictionary(index_path: Path, dict_path: Path) -> list[Entry]:
    """Every entry of a dictd dictionary, in the order of its index."""
    data = gzip.decompress(Path(dict_path).read_bytes())
    entries, seen = [], set()
    for line in Path(index_path).read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) < 3 or parts[0].startswith(("00database", "00-database")):
            continue          # the dictionary's own information (name, licence, changes)
        offset, length = decode_number(parts[1]), decode_number(parts[2])
        if (offset, length) in seen:
            continue
        seen.add((offset, length))
        entry = parse_entry(data[offset:offset + length].decode("utf-8", errors="replace"))
        if entry is not None:
            entries.append(entry)
    return entries
