"""Extraction evaluation: precision, recall and F1 per field against gold annotations.

``gold`` reads the project's gold file and the dev set's folder, ``matching`` pairs
predictions with gold items, ``report`` sums and prints the scores. Everything here is
a pure function of its arguments; ``kb eval`` does the reading of documents.
"""
from .gold import GoldDocument, GoldError, load_gold, parse_devset, parse_gold
from .matching import (COMMITMENT_OVERLAP, Comparison, Score, compare_cities, compare_commitments,
                       compare_dates, compare_organisations, same_actor, text_similarity)
from .report import FIELDS, DocumentResult, Report, compare, evaluate, format_table

__all__ = ["COMMITMENT_OVERLAP", "Comparison", "DocumentResult", "FIELDS", "GoldDocument", "GoldError",
           "Report", "Score", "compare", "compare_cities", "compare_commitments", "compare_dates",
           "compare_organisations", "evaluate", "format_table", "load_gold", "parse_devset",
           "parse_gold", "same_actor", "text_similarity"]
