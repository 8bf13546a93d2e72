"""Hostile inputs, made in memory by the tests that use them (never committed as files):
YAML alias bombs, deep nesting and duplicated keys in front matter, a PDF whose content
stream inflates to hundreds of megabytes, long PDFs, deeply nested HTML, a page declaring
``charset=undefined``, large text. ``bench/hostile.py`` measures the same inputs at the
sizes of issue 15.
"""
from __future__ import annotations

import zlib

from tests.staff_support import pdf_bytes

BODY = ("Les maires réunis à Bordeaux le 14 mai 2024 déclarent leur volonté commune de lutter "
        "contre la haine.\n\nNous nous engageons à soutenir les associations de jeunesse.\n")


def alias_bomb(levels: int = 9, fan: int = 9, field: str = "title") -> str:
    """A "billion laughs": ``fan ** levels`` copies of a word from about 600 bytes."""
    lines = ["---", 'l0: &l0 ["haha", "haha", "haha", "haha", "haha", "haha", "haha", "haha", "haha"]']
    for level in range(1, levels):
        lines.append(f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * fan) + "]")
    lines += [f"{field}: *l{levels - 1}", "type: declaration", "language: fr", "---", BODY]
    return "\n".join(lines)


def deep_yaml(depth: int = 5000) -> str:
    """Front matter whose title is a list nested ``depth`` levels deep."""
    return f"---\ntitle: {'[' * depth}x{']' * depth}\nlanguage: fr\n---\n{BODY}"


def duplicate_key() -> str:
    return f"---\ntitle: Déclaration de Bordeaux\ntype: declaration\ntitle: Autre titre\n---\n{BODY}"


def inflating_pdf(megabytes: int = 400) -> bytes:
    """One page whose content stream is ``megabytes`` MB of spaces, deflated (about 1 MB
    per 1,000 MB), then a line of text."""
    text = b"BT /F1 11 Tf 60 760 Td (Les maires de Bordeaux s'engagent contre la haine.) Tj ET\n"
    compressor = zlib.compressobj(9)
    chunks = []
    block = b" " * (1024 * 1024)
    for _ in range(megabytes):
        chunks.append(compressor.compress(block))
    chunks.append(compressor.compress(text))
    chunks.append(compressor.flush())
    stream = b"".join(chunks)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 5 0 R "
        b"/Resources << /Font << /F1 4 0 R >> >> >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


PAGE = ("Rapport annuel du réseau des villes, page {n}.\n"
        "Les maires de Bordeaux, de Lyon et de Bruxelles se sont réunis à Genève le {day} mai 2024.\n"
        "Nous nous engageons à soutenir les associations de jeunesse de chaque quartier.\n"
        "La prévention de la radicalisation demande le concours des familles et des écoles.")


def long_pdf(pages: int = 1500, lines: bool = True) -> bytes:
    """A text PDF of ``pages`` pages of a few lines each (``lines=False``: one short line,
    for a file under the 500 KB the test client sends without a temporary file)."""
    texts = [PAGE.format(n=n, day=1 + n % 28) if lines else f"Page {n}." for n in range(1, pages + 1)]
    return pdf_bytes(texts, title="Rapport annuel")


def nested_html(depth: int = 100_000) -> bytes:
    return (b"<!doctype html><html><head><title>Profond</title></head><body>" + b"<div>" * depth
            + "Les maires de Bordeaux s'engagent contre la haine.".encode() + b"</div>" * depth
            + b"</body></html>")


def undefined_charset_html() -> bytes:
    """A Latin-1 page (not UTF-8) declaring ``charset=undefined``, a codec Python has
    whose every use raises."""
    return ('<!doctype html><html><head><meta http-equiv="Content-Type" content="text/html; charset=undefined">'
            "<title>Déclaration</title></head><body><p>Les maires de Bordeaux s'engagent à lutter contre "
            "la haine et l'extrémisme.</p></body></html>").encode("latin-1")


def large_text(megabytes: float) -> bytes:
    """French text of about ``megabytes`` MB (UTF-8), paragraphs that vary."""
    target = int(megabytes * 1024 * 1024)
    parts, size, n = [], 0, 0
    while size < target:
        n += 1
        part = (PAGE.format(n=n, day=1 + n % 28) + "\n\n").encode("utf-8")
        parts.append(part)
        size += len(part)
    return b"".join(parts)[:target].rsplit(b"\n", 1)[0] + b"\n"
