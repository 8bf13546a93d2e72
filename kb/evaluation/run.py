"""Running the extractors over gold documents: what ``kb eval`` and the tests call."""
from __future__ import annotations

from pathlib import Path

from indexer.errors import DocumentError
from indexer.extract import ExtractInput, extract_batch
from indexer.extract.organisations import canonical_name
from indexer.language import detect_language
from indexer.read import first_line_title, read_source

from .gold import GoldDocument, GoldError, load_gold
from .report import Report, evaluate


def extraction_input(document: GoldDocument, root: Path) -> ExtractInput:
    """What the extractor is given for one gold document. A dev set document is a plain
    text whose date is the gold's ``published`` (as a front matter would give it); its
    language is detected, as it would be for a file without front matter."""
    path = Path(document.path) if Path(document.path).is_absolute() else root / document.path
    if document.id:
        try:
            text = path.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise GoldError(f"gold document {document.id}: cannot read {path}: {exc}") from None
        return ExtractInput(text, detect_language(text), first_line_title(text), document.published)
    try:
        source = read_source(path, root)
    except DocumentError as exc:
        raise GoldError(str(exc)) from None
    return ExtractInput(source.text, source.language, source.title, source.meta.get("date"))


def evaluate_extraction(gold_path: Path, root: Path) -> Report:
    """Extract every document of the gold file or dev set folder, and score it."""
    gold = load_gold(gold_path)
    extractions = extract_batch([extraction_input(document, root) for document in gold])
    return evaluate(gold, [e.to_dict() for e in extractions], canonical_name)
