"""What the parse of a sentence says, read the way commitments need it: lemmas, the
subject of a clause, its tense, whether it is passive, relative or governed by another
verb, and the French forms the small model's tagger gets wrong (futures and conditionals
it takes for presents and imperfects, "-ons" verbs it takes for nouns).
"""
from __future__ import annotations

RELATIVE = {"relcl", "acl:relcl"}
SUBJECTS = {"nsubj", "nsubjpass", "nsubj:pass", "csubj", "expl:subj", "expl"}
# What a clause may complete, on the way up to the clause that names its subject.
_CLIMB = {"xcomp", "conj", "pcomp", "prep", "advcl", "acl", "pobj", "obl", "obl:arg", "nmod", "case", "mark",
          "acomp", "attr", "oprd"}
FIRST = {"we", "nous", "us", "our", "notre", "nos"}


def lemma_of(token) -> str:
    """The token's lemma; for a French verb left as written ("invite"), its infinitive."""
    lemma = token.lemma_.lower()
    if token.pos_ == "VERB" and lemma == token.lower_ and token.lang_ == "fr" and lemma.endswith("e") \
            and not lemma.endswith("re"):
        return lemma + "r"
    return lemma


def ancestors(token):
    while token.head.i != token.i:
        token = token.head
        yield token


def children(token, *deps: str):
    return [child for child in token.children if child.dep_ in deps]


def has_infinitive(token) -> bool:
    """Whether ``token`` takes a verb as complement ("urge X to act", "appeler à agir")."""
    for child in token.children:
        if child.dep_ in ("xcomp", "ccomp", "advcl", "acl", "obl:arg", "obl", "pcomp", "prep") and (
                child.pos_ in ("VERB", "AUX") or any(c.pos_ == "VERB" for c in child.children)):
            return True
        if child.dep_ in ("dobj", "obj", "iobj") and any(c.dep_ in ("xcomp", "acl", "ccomp") for c in child.children):
            return True
    return False


def takes(token, words: set[str]) -> bool:
    """Whether ``token`` has a complement introduced by one of ``words`` ("call on",
    "appeler à")."""
    for child in token.children:
        if child.lower_ in words:
            return True
        if child.dep_ in ("obl", "obl:arg", "obl:mod", "prep", "nmod", "iobj") and any(
                grandchild.lower_ in words for grandchild in child.children if grandchild.dep_ in ("case", "mark")):
            return True
    return False


def named(token) -> bool:
    """A proper name or an acronym, whatever the tagger says ("la CAMVS", "the GPM")."""
    text = token.text
    return token.pos_ == "PROPN" or (len(text) >= 2 and text.isupper() and text.isalpha()) or (
        token.i > 0 and text[:1].isupper() and not token.is_sent_start)


def nominal(token, words: frozenset[str]) -> bool:
    """A noun of ``words``, or a word of ``words`` the tagger took for a verb while a
    determiner shows it is a noun ("de notre devoir")."""
    if token.lemma_.lower() not in words:
        return False
    return token.pos_ in ("NOUN", "PROPN") or any(c.dep_ == "det" for c in token.children)


def subject_of(verb, documents: frozenset[str] = frozenset()):
    """The subject of ``verb``'s clause: its own, or that of the clause it completes; for
    a participle on a text ("a resolution calling on…"), that text."""
    token = verb
    for _ in range(6):
        subjects = children(token, *SUBJECTS)
        if subjects:
            return subjects[0]
        if token.i != verb.i and token.lemma_.lower() in documents:
            return token
        if token.dep_ not in _CLIMB or token.head.i == token.i:
            return None
        token = token.head
    return None


def passive(verb) -> bool:
    return bool(children(verb, "auxpass", "aux:pass", "nsubjpass", "nsubj:pass")) or \
        "Voice=Pass" in str(verb.morph)


def tense(verb, language: str) -> str:
    """present | past | pluperfect | future | conditional | nonfinite, of ``verb``'s clause
    (a verb completing another takes that one's tense)."""
    token = verb
    for _ in range(4):
        auxes = children(token, "aux", "auxpass", "aux:tense", "aux:pass")
        morph = token.morph
        if language == "en":
            lemmas = {lemma_of(a) for a in auxes}
            if any(lemma_of(a) == "have" and a.tag_ == "VBD" for a in auxes):
                return "pluperfect"
            if lemmas & {"will", "shall"}:
                return "future"
            if lemmas & {"would", "could", "might"}:
                return "conditional"
            if any(lemma_of(a) == "have" for a in auxes) or token.tag_ == "VBD" or \
                    any(a.tag_ == "VBD" for a in auxes) or (token.tag_ == "VBN" and not auxes):
                return "past"
            if token.tag_ in ("VBP", "VBZ", "MD") or any(a.tag_ in ("VBP", "VBZ", "MD") for a in auxes):
                return "present"
        else:
            for aux in auxes:
                if "Tense=Imp" in str(aux.morph) or "Tense=Past" in str(aux.morph):
                    return "pluperfect"
                if "Tense=Fut" in str(aux.morph):
                    return "future"
                if "Mood=Cnd" in str(aux.morph):
                    return "conditional"
            if any(lemma_of(a) in ("avoir", "être") for a in auxes) and "VerbForm=Part" in str(morph) \
                    and not passive(token):
                return "past"
            if "VerbForm=Fin" in str(morph) or "Mood=" in str(morph):
                if "Mood=Cnd" in str(morph):
                    return "conditional"
                value = morph.get("Tense")
                if value:
                    return {"Pres": "present", "Fut": "future", "Imp": "past", "Past": "past"}.get(value[0], "present")
                return "present"
            if lemma_of(token) == "aller" and children(token, "xcomp"):
                return "future"
        if token.dep_ not in ("xcomp", "conj", "acl", "advcl", "pcomp") or token.head.i == token.i:
            break
        token = token.head
    return "nonfinite"


def governed(token, lemmas: frozenset[str]) -> bool:
    """Whether ``token`` sits in the complement of a verb among ``lemmas`` (a belief, a
    condemnation), as opposed to being coordinated with it."""
    node = token
    for head in ancestors(token):
        if node.dep_ in ("ccomp", "xcomp", "advcl", "obj", "dobj") and lemma_of(head) in lemmas:
            return True
        node = head
    return False


def in_relative(token) -> bool:
    return token.dep_ in RELATIVE or any(a.dep_ in RELATIVE for a in ancestors(token))


# Stems of the French verbs whose future is not built on their infinitive.
IRREGULAR_FUTURES = ("ser", "aur", "fer", "ir", "pourr", "viendr", "tiendr", "verr", "devr", "voudr",
                      "saur", "enverr", "faudr", "vaudr", "recevr", "mourr", "courr")


def french_future(token) -> bool:
    """Whether a verb the tagger calls future is one: built on its infinitive
    ("déclarerons") or an irregular stem ("ferons"), not a present in "-rons" ("déclarons")."""
    text, lemma = token.lower_, lemma_of(token)
    return text.startswith(lemma[:-1]) or text.startswith(IRREGULAR_FUTURES)


def singular(word: str) -> str:
    """A French adjective's masculine singular.

    >>> singular("déterminées"), singular("prêts")
    ('déterminé', 'prêt')
    """
    word = word[:-1] if word.endswith("s") else word
    return word[:-1] if word.endswith("ée") else word


def french_conditional(token) -> bool:
    """A conditional the tagger may take for an imperfect ("renforcerait"): a future's stem
    with an imperfect's ending."""
    return token.lower_.endswith(("rais", "rait", "rions", "riez", "raient")) and french_future(token)


def first_person(token) -> bool:
    morph = token.morph
    return (lemma_of(token) in FIRST or token.lower_ in FIRST or
            ("Person=1" in str(morph) and "Number=Plur" in str(morph)))
