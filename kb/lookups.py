"""Lookups that query expansion uses: bilingual vocabulary terms and city names."""
from __future__ import annotations


def vocabulary_terms(text: str) -> list[str]:
    return []


def city_names(text: str) -> list[str]:
    return []
