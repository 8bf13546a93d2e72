"""A document's text as safe HTML blocks, with what extraction found marked in it.

Cities, organisations and dates are found in the text by the surface strings the
extraction recorded (whole words only), commitments by their verbatim text; each becomes
a link (entities, to their search) or an anchor (commitments, ``#c-N``). Every piece of
document text is escaped; markup comes only from this module. Paragraph numbers are the
search engine's (``kb.passages.paragraphs``), so ``#p-N`` anchors from search
results land on the right block.

>>> blocks = annotate("Les maires de Bruxelles.", {"cities": [{"name": "Brussels",
...     "surface": ["Bruxelles"]}]}, lambda kind, value: f"/search?{kind}={value}")
>>> str(blocks[0].html)
'Les maires de <a class="entity city" href="/search?city=Brussels" title="Brussels">Bruxelles</a>.'
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from markupsafe import Markup, escape

from kb.passages import is_heading, paragraphs

Link = Callable[[str, str], str]     # (kind, value) → URL of its search


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str            # city | organisation | date | commitment
    value: str           # what the link searches for, or the commitment number
    title: str = ""


@dataclass(frozen=True)
class Block:
    number: int          # 1-based paragraph number: the anchor is p-<number>
    kind: str            # heading | list | paragraph
    html: Markup         # for lists: the items joined, see ``items``
    items: tuple[Markup, ...] = ()


def _whole_word(surface: str) -> re.Pattern:
    return re.compile(r"(?<!\w)" + re.escape(surface) + r"(?!\w)")


def entity_spans(text: str, extraction: Mapping[str, Any], organisations: list[str] = ()) -> list[Span]:
    """Non-overlapping spans of cities, organisations and dates (longest first wins)."""
    wanted: list[tuple[str, str, str, str]] = []      # surface, kind, value, title
    for city in extraction.get("cities") or []:
        title = city["name"] + (f" ({city['country']})" if city.get("country") else "")
        for surface in {city["name"], *(city.get("surface") or [])}:
            wanted.append((surface, "city", city["name"], title))
    names = {o["name"]: o.get("surface") or [] for o in extraction.get("organisations") or []}
    for name in organisations:
        names.setdefault(name, [])
    for name, surfaces in names.items():
        for surface in {name, *surfaces}:
            wanted.append((surface, "organisation", name, name))
    for date in extraction.get("dates") or []:
        if date.get("surface") and date.get("value"):
            wanted.append((date["surface"], "date", date["value"][:4], date["value"]))
    found: list[Span] = []
    for surface, kind, value, title in wanted:
        surface = surface.strip()
        if len(surface) < 2 or "\n" in surface:
            continue
        for match in _whole_word(surface).finditer(text):
            found.append(Span(match.start(), match.end(), kind, value, title))
    found.sort(key=lambda s: (-(s.end - s.start), s.start))
    chosen: list[Span] = []
    for span in found:
        if all(span.end <= other.start or span.start >= other.end for other in chosen):
            chosen.append(span)
    return sorted(chosen, key=lambda s: s.start)


def commitment_spans(text: str, commitments: list[Mapping[str, Any]]) -> list[Span]:
    """Where each commitment's verbatim text is (its first occurrence after the previous
    one's start, else anywhere); commitments not found in the text have no span."""
    spans: list[Span] = []
    cursor = 0
    for number, item in enumerate(commitments, start=1):
        needle = (item.get("text") or "").strip()
        if not needle:
            continue
        start = text.find(needle, cursor)
        if start < 0:
            start = text.find(needle)
        if start < 0:
            continue
        span = Span(start, start + len(needle), "commitment", str(number))
        if all(span.end <= other.start or span.start >= other.end for other in spans):
            spans.append(span)
            cursor = start
    return sorted(spans, key=lambda s: s.start)


def _render(text: str, start: int, end: int, outer: list[Span], inner: list[Span],
            link: Link, anchored: set[str], marks: list[tuple[int, int]] = ()) -> Markup:
    """Escaped ``text[start:end]`` with commitment spans (outer), entity links (inner)
    and the query's matches (``marks``, innermost: ``<mark>``, the first piece of the
    N-th with ``id="m-N"``)."""
    cuts = {start, end}
    for a, b in marks:
        for point in (a, b):
            if start < point < end:
                cuts.add(point)
    for span in (*outer, *inner):
        for point in (span.start, span.end):
            if start < point < end:
                cuts.add(point)
    points = sorted(cuts)
    out: list[str] = []
    open_outer: Span | None = None
    open_inner: Span | None = None
    for a, b in zip(points, points[1:]):
        now_outer = next((s for s in outer if s.start <= a and b <= s.end), None)
        now_inner = next((s for s in inner if s.start <= a and b <= s.end), None)
        if open_inner is not None and now_inner is not open_inner:
            out.append("</a>")
            open_inner = None
        if open_outer is not None and now_outer is not open_outer:
            out.append("</span>")
            open_outer = None
        if now_outer is not None and open_outer is None:
            number = now_outer.value
            attribute = "" if number in anchored else f' id="c-{number}"'
            anchored.add(number)
            out.append(f'<span class="commitment"{attribute} data-n="{number}">')
            open_outer = now_outer
        if now_inner is not None and open_inner is None:
            out.append(f'<a class="entity {now_inner.kind}" href="{escape(link(now_inner.kind, now_inner.value))}"'
                       f' title="{escape(now_inner.title)}">')
            open_inner = now_inner
        mark = next((n for n, (m_start, m_end) in enumerate(marks, start=1) if m_start <= a and b <= m_end), None)
        if mark is None:
            out.append(str(escape(text[a:b])))
        else:
            first = ' id="m-%d"' % mark if marks[mark - 1][0] == a else ""
            out.append(f"<mark{first}>{escape(text[a:b])}</mark>")
    if open_inner is not None:
        out.append("</a>")
    if open_outer is not None:
        out.append("</span>")
    return Markup("".join(out))


def annotate(text: str, extraction: Mapping[str, Any], link: Link,
             organisations: list[str] = (), marks: list[tuple[int, int]] = ()) -> list[Block]:
    """The blocks of ``text`` (headings, lists, paragraphs) with marks and links; the
    query's matches (``marks``: character spans, in order) in ``<mark>``.

    >>> str(annotate("La haine, la haine.", {}, lambda k, v: "", marks=[(3, 8), (13, 18)])[0].html)
    'La <mark id="m-1">haine</mark>, la <mark id="m-2">haine</mark>.'
    """
    outer = commitment_spans(text, list(extraction.get("commitments") or []))
    inner = [s for s in entity_spans(text, extraction, organisations)
             if all(s.end <= c.start or s.start >= c.end or (c.start <= s.start and s.end <= c.end)
                    for c in outer)]
    anchored: set[str] = set()
    blocks = []
    offset = 0
    for number, paragraph in enumerate(paragraphs(text), start=1):
        start, end = offset, offset + len(paragraph)
        offset = end + 2
        if not paragraph.strip():
            continue
        lines = paragraph.split("\n")
        if all(line.startswith("- ") for line in lines):
            items, position = [], start
            for line in lines:
                items.append(_render(text, position + 2, position + len(line), outer, inner, link, anchored,
                                     marks))
                position += len(line) + 1
            blocks.append(Block(number, "list", Markup(""), tuple(items)))
        else:
            kind = "heading" if is_heading(paragraph) else "paragraph"
            blocks.append(Block(number, kind, _render(text, start, end, outer, inner, link, anchored, marks)))
    return blocks


def plain_blocks(text: str) -> list[Block]:
    """The blocks of ``text`` without marks (the side-by-side view)."""
    return annotate(text, {}, lambda kind, value: "")
