"""Cognates: French and English words that differ by their ending (``extrémisme`` /
``extremism``, ``signataire`` / ``signatory``, ``raciste`` / ``racist``), for words the
dictionary does not have.

The endings are learned from the dictionary itself: each pair of a word and a
translation that share their beginning gives a rewriting of the ending
(``…isme`` → ``…ism``), with as much of the shared part as context as makes it reliable.
A rule is kept when it holds often enough: it rewrites at least ``MIN_SUPPORT`` words
into one of their translations, and does so for at least ``MIN_PRECISION`` of the
words it applies to. Applied to a query word, the longest reliable endings give the
candidates; the caller keeps those the other language's documents use.

>>> rules = learn_rules([("extrémisme", "extremism"), ("racisme", "racism"), ("réalisme", "realism"),
...                      ("fascisme", "fascism"), ("maison", "house")])
>>> candidates("terrorisme", rules)
[('terrorism', 1.0)]
>>> candidates("maison", rules)
[]
"""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from model.vocabulary import fold

MIN_STEM = 4            # letters the word and its cognate share, at least
MAX_ENDING = 5          # letters of a rule's ending (the changed part and its context)
MIN_SUPPORT = 3
MIN_PRECISION = 0.3
MAX_CANDIDATES = 2

Rules = dict[str, list[tuple[str, float]]]    # ending → [(new ending, precision)], best first


def _common_prefix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def _endings(source: str, target: str) -> list[tuple[str, str]]:
    """The rewritings of ``source``'s ending into ``target``'s, with 0 to a few letters
    of their shared beginning as context (longest ending ``MAX_ENDING``)."""
    shared = _common_prefix(source, target)
    if shared < MIN_STEM or (shared == len(source) and shared == len(target)):
        return []
    out = []
    for context in range(0, shared - MIN_STEM + 1):
        start = shared - context
        ending = source[start:]
        if not ending or len(ending) > MAX_ENDING:
            if len(ending) > MAX_ENDING:
                break
            continue
        out.append((ending, target[start:]))
    return out


def learn_rules(pairs: Iterable[tuple[str, str]]) -> Rules:
    """Rules from (word, translation) pairs of single words."""
    translations: dict[str, set[str]] = defaultdict(set)
    for source, target in pairs:
        source, target = fold(source), fold(target)
        if source.isalpha() and target.isalpha():
            translations[source].add(target)
    hits: dict[tuple[str, str], int] = defaultdict(int)
    for source, targets in translations.items():
        for rule in {r for target in targets for r in _endings(source, target)}:
            hits[rule] += 1
    applies: dict[str, int] = defaultdict(int)
    endings = {ending for ending, _ in hits}
    for source in translations:
        for size in range(1, MAX_ENDING + 1):
            if len(source) - size >= MIN_STEM and source[-size:] in endings:
                applies[source[-size:]] += 1
    rules: Rules = defaultdict(list)
    for (ending, new), count in hits.items():
        precision = count / max(applies[ending], 1)
        if count >= MIN_SUPPORT and precision >= MIN_PRECISION:
            rules[ending].append((new, round(precision, 3)))
    return {ending: sorted(found, key=lambda r: (-r[1], r[0])) for ending, found in rules.items()}


def candidates(word: str, rules: Rules) -> list[tuple[str, float]]:
    """Possible cognates of ``word`` in the other language, with the precision of the
    rule that made each: the rules of the longest ending of ``word`` that has any."""
    word = fold(word)
    for size in range(min(MAX_ENDING, len(word) - MIN_STEM), 0, -1):
        found = rules.get(word[-size:])
        if found:
            return [(word[:-size] + new, precision) for new, precision in found[:MAX_CANDIDATES]
                    if word[:-size] + new != word]
    return []
