"""OCR quality: real documents rendered to scanned pages (text drawn with Pillow, turned a
little, specks of noise; ``tests/scans.py``), read back by the knowledge base's OCR, and
compared with the original text: character error rate, and the cities and commitments
extracted from the recognised text against those extracted from the original.

Documents: the French ones of ``corpus/`` and, when ``../shared/devset`` is there, its
first three English ones (the OCR rules were tuned on these), then five French and five
English ones of the dev set never looked at (read in place).
"""
from __future__ import annotations

import subprocess
import sys
import time

from kb.changes import plain_text
from kb.config import PROJECT_ROOT

from .report import Table

DEVSET = PROJECT_ROOT.parent / "shared" / "devset" / "docs"


def documents(held_out: int = 5) -> dict[str, list[tuple[str, str, str]]]:
    """(name, language, plain text) of the documents to scan, in two groups: those the OCR
    rules were tuned on (the French documents of corpus/ and the dev set's first three
    English ones), and ``held_out`` French and English ones of the dev set never looked at."""
    from indexer.language import detect_language
    from indexer.read import read_source

    groups: dict[str, list[tuple[str, str, str]]] = {"tuned on": [], "held out": []}
    for path in sorted((PROJECT_ROOT / "corpus").rglob("*.fr.md")):
        source = read_source(path, PROJECT_ROOT / "corpus")
        groups["tuned on"].append((path.stem, "fr", plain_text(source.text)))
    wanted = {"tuned on": {"en": 3, "fr": 0}, "held out": {"en": held_out, "fr": held_out}}
    for path in sorted(DEVSET.glob("*.txt")) if DEVSET.is_dir() else ():
        text = plain_text(path.read_text(encoding="utf-8"))
        language = detect_language(text)
        group = next((g for g, left in wanted.items() if left.get(language)), None)
        if group:
            groups[group].append((f"devset/{path.stem}", language, text))
            wanted[group][language] -= 1
    return groups


def scanned(text: str) -> bytes:
    """``text`` as an image-only PDF at 200 dpi, 10.5 pt type, one page per 44 lines."""
    from tests.scans import image_bytes, paginate

    return image_bytes(paginate(text), "PDF", size=22, width=90)


def f1(found: list[str], expected: list[str], same) -> tuple[int, int, int]:
    """(matched, found, expected): items of ``found`` matched one to one with ``expected``."""
    left = list(expected)
    matched = 0
    for item in found:
        match = next((other for other in left if same(item, other)), None)
        if match is not None:
            left.remove(match)
            matched += 1
    return matched, len(found), len(expected)


def score(counts: list[tuple[int, int, int]]) -> str:
    matched, found, expected = (sum(c[i] for c in counts) for i in range(3))
    precision = matched / found if found else 1.0
    recall = matched / expected if expected else 1.0
    f = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return f"{f:.3f} (P {precision:.2f}, R {recall:.2f})"


def run(held_out: int = 5) -> list[Table]:
    table = Table("ocr", "OCR of documents rendered to scanned pages, against their original text",
                  ["document", "lang", "pages", "s", "pages/s", "CER", "cities (OCR / original)",
                   "commitments (OCR / original)"])
    for group, found in documents(held_out).items():
        if found:
            _measure(table, group, found)
    table.notes += [
        "pages: A4 at 200 dpi, DejaVu Sans 22 px (10.5 pt), turned 0.8°, 0.4% of pixels flipped; language told "
        "from the first page; CER: edits over the original's characters, whitespace and apostrophes normalised",
        "cities and commitments: what extraction finds in the recognised text against what it finds in the "
        "original (cities by name; a commitment matches when its text is within a 5% character error rate); "
        "the rows 'all' give F1 (precision, recall)",
        f"peak memory of one page's OCR (the tesseract process, both languages' data): {tesseract_peak_mb():.0f} MB",
    ]
    return [table]


def _measure(table: Table, group: str, found: list[tuple[str, str, str]]) -> None:
    """One row per document of ``group``, then the group's totals."""
    from indexer.extract import extract_text
    from indexer.formats import read_upload
    from tests.scans import character_error_rate

    close = lambda a, b: character_error_rate(a, b) <= 0.05       # noqa: E731
    cities, commitments, errors, pages_total, seconds_total = [], [], [], 0, 0.0
    for name, language, text in found:
        pdf = scanned(text)
        started = time.perf_counter()
        read = read_upload(pdf, "scan.pdf")
        seconds = time.perf_counter() - started
        rate = character_error_rate(read.text, text)
        original, recognised = extract_text(text, language), extract_text(read.text, language)
        city_counts = f1([c.name for c in recognised.cities], [c.name for c in original.cities], str.__eq__)
        commitment_counts = f1([c.text for c in recognised.commitments], [c.text for c in original.commitments],
                               close)
        cities.append(city_counts)
        commitments.append(commitment_counts)
        errors.append((rate, len(text)))
        pages_total += read.pages
        seconds_total += seconds
        table.add(name, language, read.pages, round(seconds, 1), f"{read.pages / seconds:.2f}", f"{rate:.4f}",
                  f"{city_counts[1]} / {city_counts[2]}", f"{commitment_counts[1]} / {commitment_counts[2]}",
                  group=group, name=name, language=language, pages=read.pages, seconds=seconds, cer=rate,
                  cities=city_counts, commitments=commitment_counts)
    weighted = sum(r * n for r, n in errors) / max(1, sum(n for _, n in errors))
    table.add(f"all ({group})", "", pages_total, round(seconds_total, 1), f"{pages_total / seconds_total:.2f}",
              f"{weighted:.4f}", score(cities), score(commitments), group=group, name="all", pages=pages_total,
              seconds=seconds_total, cer=weighted, cities_f1=score(cities), commitments_f1=score(commitments))


def tesseract_peak_mb() -> float:
    """The peak resident memory of tesseract reading one generated page (in a fresh
    process, whose only child it is)."""
    script = ("import resource; from indexer.formats import ocr; from tests.scans import page_image; "
              "ocr.recognise(page_image('Nous nous engageons à agir. ' * 40, size=22, width=90), ''); "
              "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                          cwd=PROJECT_ROOT)
    return int(done.stdout.split()[-1]) / 1024


if __name__ == "__main__":
    print(run()[0].render())
