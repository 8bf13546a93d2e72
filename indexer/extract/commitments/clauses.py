"""Whether a parsed sentence commits its actor, and how: judged on its syntax.

A sentence commits when one of its clauses carries a commitment (a word of the lexicon
in the right role: a verb of pledging or calling, a modal of obligation, a noun of duty
or commitment stated by its holder, a future or a wish) **and** that clause is said by
or of someone who can commit, now:

- its subject is "we", an actor (mayors, cities, a network, a named organisation or
  person), a pronoun standing for one, or nobody (an item or a verb-first clause under
  a declaration's opening); a call's addressees ("states must…") make it a call;
- its tense is not a past perfect ("had pledged"), and a decision or an adoption told in
  the past is a procedural fact ("was adopted");
- it is not inside a relative clause, nor the content of a belief or a condemnation
  ("believes political debate should…"), nor addressed to the reader ("you").

The kind follows the carrying word: ``call``, ``pledge``, ``resolution``, ``need``.
"""
from __future__ import annotations

from dataclasses import dataclass

from .lexicon import Lexicon

# How sure each way of carrying a commitment is, best first: it decides the kind when a
# sentence carries several ("we must commit to…" is a pledge).
_RANK = {"call": 0, "exhortation": 0, "called-noun": 0, "pledge": 1, "pledged-noun": 2, "pledged-adjective": 2,
         "resolution": 3, "need": 4, "wish": 5, "future": 6, "reported-future": 6}
_RELATIVE = {"relcl", "acl:relcl"}
_SUBJECTS = {"nsubj", "nsubjpass", "nsubj:pass", "csubj", "expl:subj", "expl"}
_PASSIVE = {"nsubjpass", "nsubj:pass"}
_CLIMB = {"xcomp", "conj", "pcomp", "prep", "advcl", "acl", "pobj", "obl", "obl:arg", "nmod", "case", "mark",
          "acomp", "attr", "oprd"}
_FIRST = {"we", "nous", "us", "our", "notre", "nos"}
_SECOND = {"you", "your", "vous", "votre", "vos", "toi", "tu"}
_IT = {"it", "il", "ce", "cela", "ça", "this", "that", "there", "on"}
_RELATIVE_PRONOUNS = {"which", "who", "that", "qui", "que", "lequel", "laquelle", "lesquels", "lesquelles"}
_POSSESSIVE_FIRST = {"our", "notre", "nos"}
_MUST_LIKE = {"must", "devoir", "have", "need", "ought", "falloir"}


@dataclass(frozen=True)
class Finding:
    kind: str                          # pledge | call | need | resolution
    rank: int
    subject: tuple[int, int] | None    # character span, in the sentence, of who commits
    subject_class: str                 # first | actor | pronoun | none | implicit
    cue: int                           # token index of the carrying word


@dataclass(frozen=True)
class Context:
    """What a sentence cannot tell by itself."""
    authors: bool = False              # the document says who "we" are (an opening)
    authors_words: frozenset[str] = frozenset()   # the words naming them ("local governments")
    listed: bool = False               # an item of a committing list


def _lemma(token) -> str:
    """The token's lemma; for a French verb left as written ("invite"), its infinitive."""
    lemma = token.lemma_.lower()
    if token.pos_ == "VERB" and lemma == token.lower_ and token.lang_ == "fr" and lemma.endswith("e") \
            and not lemma.endswith("re"):
        return lemma + "r"
    return lemma


def _ancestors(token):
    while token.head.i != token.i:
        token = token.head
        yield token


def _children(token, *deps: str):
    return [child for child in token.children if child.dep_ in deps]


def _has_infinitive(token) -> bool:
    """Whether ``token`` takes a verb as complement ("urge X to act", "appeler à agir")."""
    for child in token.children:
        if child.dep_ in ("xcomp", "ccomp", "advcl", "acl", "obl:arg", "obl", "pcomp", "prep") and (
                child.pos_ in ("VERB", "AUX") or any(c.pos_ == "VERB" for c in child.children)):
            return True
        if child.dep_ in ("dobj", "obj", "iobj") and any(c.dep_ in ("xcomp", "acl", "ccomp") for c in child.children):
            return True
    return False


def _takes(token, words: set[str]) -> bool:
    """Whether ``token`` has a complement introduced by one of ``words`` ("call on",
    "appeler à")."""
    for child in token.children:
        if child.lower_ in words:
            return True
        if child.dep_ in ("obl", "obl:arg", "obl:mod", "prep", "nmod", "iobj") and any(
                grandchild.lower_ in words for grandchild in child.children if grandchild.dep_ in ("case", "mark")):
            return True
    return False


def _named(token) -> bool:
    """A proper name or an acronym, whatever the tagger says ("la CAMVS", "the GPM")."""
    text = token.text
    return token.pos_ == "PROPN" or (len(text) >= 2 and text.isupper() and text.isalpha()) or (
        token.i > 0 and text[:1].isupper() and not token.is_sent_start)


def _nominal(token, words: frozenset[str]) -> bool:
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
        subjects = _children(token, *_SUBJECTS)
        if subjects:
            return subjects[0]
        if token.i != verb.i and token.lemma_.lower() in documents:
            return token
        if token.dep_ not in _CLIMB or token.head.i == token.i:
            return None
        token = token.head
    return None


def _passive(verb) -> bool:
    return bool(_children(verb, "auxpass", "aux:pass", "nsubjpass", "nsubj:pass")) or \
        "Voice=Pass" in str(verb.morph)


def tense(verb, language: str) -> str:
    """present | past | pluperfect | future | conditional | nonfinite, of ``verb``'s clause
    (a verb completing another takes that one's tense)."""
    token = verb
    for _ in range(4):
        auxes = _children(token, "aux", "auxpass", "aux:tense", "aux:pass")
        morph = token.morph
        if language == "en":
            lemmas = {_lemma(a) for a in auxes}
            if any(_lemma(a) == "have" and a.tag_ == "VBD" for a in auxes):
                return "pluperfect"
            if lemmas & {"will", "shall"}:
                return "future"
            if lemmas & {"would", "could", "might"}:
                return "conditional"
            if any(_lemma(a) == "have" for a in auxes) or token.tag_ == "VBD" or \
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
            if any(_lemma(a) in ("avoir", "être") for a in auxes) and "VerbForm=Part" in str(morph) \
                    and not _passive(token):
                return "past"
            if "VerbForm=Fin" in str(morph) or "Mood=" in str(morph):
                if "Mood=Cnd" in str(morph):
                    return "conditional"
                value = morph.get("Tense")
                if value:
                    return {"Pres": "present", "Fut": "future", "Imp": "past", "Past": "past"}.get(value[0], "present")
                return "present"
            if _lemma(token) == "aller" and _children(token, "xcomp"):
                return "future"
        if token.dep_ not in ("xcomp", "conj", "acl", "advcl", "pcomp") or token.head.i == token.i:
            break
        token = token.head
    return "nonfinite"


def _governed(token, lemmas: frozenset[str]) -> bool:
    """Whether ``token`` sits in the complement of a verb among ``lemmas`` (a belief, a
    condemnation), as opposed to being coordinated with it."""
    node = token
    for head in _ancestors(token):
        if node.dep_ in ("ccomp", "xcomp", "advcl", "obj", "dobj") and _lemma(head) in lemmas:
            return True
        node = head
    return False


def _in_relative(token) -> bool:
    return token.dep_ in _RELATIVE or any(a.dep_ in _RELATIVE for a in _ancestors(token))


# Stems of the French verbs whose future is not built on their infinitive.
_IRREGULAR_FUTURES = ("ser", "aur", "fer", "ir", "pourr", "viendr", "tiendr", "verr", "devr", "voudr",
                      "saur", "enverr", "faudr", "vaudr", "recevr", "mourr", "courr")


def _french_future(token) -> bool:
    """Whether a verb the tagger calls future is one: built on its infinitive
    ("déclarerons") or an irregular stem ("ferons"), not a present in "-rons" ("déclarons")."""
    text, lemma = token.lower_, _lemma(token)
    return text.startswith(lemma[:-1]) or text.startswith(_IRREGULAR_FUTURES)


def _singular(word: str) -> str:
    """A French adjective's masculine singular ("déterminées" → "déterminé")."""
    word = word[:-1] if word.endswith("s") else word
    return word[:-1] if word.endswith("ée") else word


def _french_conditional(token) -> bool:
    """A conditional the tagger may take for an imperfect ("renforcerait"): a future's stem
    with an imperfect's ending."""
    return token.lower_.endswith(("rais", "rait", "rions", "riez", "raient")) and _french_future(token)


def _first_person(token) -> bool:
    morph = token.morph
    return (_lemma(token) in _FIRST or token.lower_ in _FIRST or
            ("Person=1" in str(morph) and "Number=Plur" in str(morph)))


class _Judge:
    """Judges the clauses of one parsed sentence."""

    def __init__(self, doc, lexicon: Lexicon, context: Context):
        self.doc = doc
        self.lex = lexicon
        self.context = context

    # ---- who speaks -----------------------------------------------------------------

    def subject_class(self, subject, verb) -> str:
        """first | self | actor | addressee | pronoun | it | thing | second | relative | none"""
        if subject is None:
            if "Person=1" in str(verb.morph) and "Number=Plur" in str(verb.morph):
                return "first"
            return "none"
        lemma, lower = _lemma(subject), subject.lower_
        if _first_person(subject):
            return "first"
        if lemma in _SECOND or lower in _SECOND:
            return "second"
        if subject.pos_ == "PRON" or subject.tag_ in ("PRP", "WDT", "WP"):
            if lower in _RELATIVE_PRONOUNS or lemma in _RELATIVE_PRONOUNS:
                return "relative"
            if lower in _IT:                # not the lemma: "ils" is lemmatized "il"
                return "it"
            return "pronoun"
        words = {t.lower_ for t in subject.subtree}
        if self.context.authors_words and len(words & self.context.authors_words) >= 2:
            return "self"
        national = any(t.lower_.startswith(("national", "federal", "fédéra", "nationa", "internationa"))
                       for t in subject.subtree)
        if lemma in self.lex.addressee_nouns and (lemma not in self.lex.actor_nouns or national):
            return "addressee"
        if lemma in self.lex.document_nouns:
            return "document"          # "the declaration calls on…": the text speaks for its authors
        if lemma in self.lex.actor_nouns or _named(subject):
            return "actor"
        if any(_lemma(t) in self.lex.actor_nouns for t in subject.children if t.dep_ in ("compound", "nmod")):
            return "actor"
        return "thing"

    # ---- the ways a clause carries a commitment -----------------------------------------

    def cues(self):
        """(way, kind, cue token, clause verb) for every word that may carry a commitment."""
        lex = self.lex
        for token in self.doc:
            lemma, pos = _lemma(token), token.pos_
            if pos == "VERB" and lemma in lex.call_verbs:
                yield "call", "call", token, token
            if pos == "VERB" and lemma in lex.pledge_verbs:
                yield "pledge", "pledge", token, token
            if pos == "VERB" and lemma in lex.resolution_verbs:
                yield "resolution", "resolution", token, token
            if pos in ("VERB", "AUX") and lemma in lex.need_verbs and lemma not in lex.need_modals:
                yield "need-verb", "need", token, token
            if lemma in lex.need_modals:
                verb = self._modal_verb(token)
                if verb is not None:
                    yield "need-modal", "need", token, verb
            if _nominal(token, lex.need_nouns):
                yield "need-noun", "need", token, self._governor(token)
            if _nominal(token, lex.pledge_nouns):
                yield "pledged-noun", "pledge", token, self._governor(token)
            if _nominal(token, lex.call_nouns):
                yield "called-noun", "call", token, self._governor(token)
            if (lemma in lex.pledge_adjectives or _singular(token.lower_) in lex.pledge_adjectives) \
                    and pos in ("ADJ", "VERB"):
                yield "pledged-adjective", "pledge", token, self._predicate(token)
            if lemma in lex.need_adjectives and (pos == "ADJ" or _children(token, "cop")):
                yield "need-adjective", "need", token, self._predicate(token)
            if self._exhorts(token):
                yield "exhortation", "call", token, token
            if pos == "VERB" and lemma in lex.wish_verbs and _has_infinitive(token):
                yield "wish", "pledge", token, token
            future = self._future_verb(token)
            if future is not None:
                yield "future", "pledge", token, future
            reported = self._reported_verb(token)
            if reported is not None:
                yield "reported-future", "pledge", token, reported

    def _modal_verb(self, token):
        """The verb a modal governs ("must act" → act), or None when it is not a modal here."""
        lemma = _lemma(token)
        if token.dep_ in ("aux", "aux:tense") and lemma not in ("have", "need", "falloir"):
            return token.head
        for child in token.children:
            if child.dep_ in ("xcomp", "ccomp") and (child.pos_ in ("VERB", "AUX", "ADJ", "NOUN")) \
                    and ("VerbForm=Inf" in str(child.morph) or child.pos_ != "VERB" or any(
                        c.lower_ == "to" or (c.dep_.startswith("aux") and "VerbForm=Inf" in str(c.morph))
                        for c in child.children)):
                return child            # "must act", "doivent être partagées"
        return None

    def _future_verb(self, token):
        lemma = _lemma(token)
        if self.lex.language == "en":
            if lemma in ("will", "shall") and token.dep_ == "aux" and token.head.pos_ in ("VERB", "AUX"):
                return token.head
            return None
        if token.pos_ == "VERB" and "Tense=Fut" in str(token.morph) and _french_future(token):
            return token
        if lemma == "aller" and "Tense=Pres" in str(token.morph):
            targets = [c for c in token.children if c.dep_ == "xcomp" and "VerbForm=Inf" in str(c.morph)]
            if token.dep_ in ("aux", "aux:tense") and "VerbForm=Inf" in str(token.head.morph):
                targets.append(token.head)
            return targets[0] if targets else None
        return None

    def _reported_verb(self, token):
        """The verb of a future told in reported speech: "the mayors said they would work
        together", "la Ville a annoncé qu'elle renforcerait…" (the clause completes a
        reporting verb)."""
        lemma = _lemma(token)
        if self.lex.language == "en":
            verb = token.head if lemma == "would" and token.dep_ == "aux" else None
        else:
            verb = token if token.pos_ == "VERB" and ("Mood=Cnd" in str(token.morph) or _french_conditional(token)) \
                else None
        if verb is None or verb.dep_ not in ("ccomp", "xcomp") or _lemma(verb.head) not in self.lex.reporting_verbs:
            return None
        return verb

    @staticmethod
    def _predicate(adjective):
        """The token that carries an adjective's subject: itself when it has the copula
        (French), the copula it completes otherwise ("we are determined")."""
        if _children(adjective, "cop", *_SUBJECTS) or adjective.dep_ not in ("acomp", "attr", "xcomp", "oprd"):
            return adjective
        return adjective.head

    def _exhorts(self, token) -> bool:
        """"Let us stand together", "Serrons-nous les coudes": an exhortation to act together."""
        if self.lex.language == "en":
            return _lemma(token) == "let" and token.i == 0 and any(
                c.lower_ in ("us", "'s") for c in token.doc[1:3])
        following = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
        return token.pos_ == "VERB" and token.i == 0 and (
            ("Mood=Imp" in str(token.morph) and "Person=1" in str(token.morph))
            or (following is not None and following.lower_ == "-nous"))

    def _governor(self, noun):
        """The verb a noun depends on, through at most three prepositions or nouns."""
        token = noun
        for _ in range(4):
            if token.pos_ in ("VERB", "AUX") and token.i != noun.i:
                return token
            if token.head.i == token.i:
                return token
            token = token.head
        return token

    # ---- judging one way ------------------------------------------------------------------

    def judge(self, way: str, kind: str, cue, verb) -> Finding | None:
        lex = self.lex
        if _in_relative(verb) or _in_relative(cue):
            return None
        beliefs = lex.belief_verbs | lex.rejection_verbs
        if _governed(verb, beliefs - lex.reporting_verbs if way == "reported-future" else beliefs):
            return None
        if self._addresses_reader() and not (way == "call" and _lemma(cue) in lex.urging_verbs):
            return None               # "we invite you to register": only an urging call addresses the reader
        subject = subject_of(verb, lex.document_nouns)
        klass = self.subject_class(subject, verb)
        if klass in ("second", "relative"):
            return None
        when = tense(verb, lex.language)
        if when == "pluperfect":
            return None
        judged = getattr(self, "_" + way.replace("-", "_"))(cue, verb, klass, when)
        if judged is None:
            return None
        kind, klass = judged
        span = None
        if klass in ("actor", "self", "pronoun", "first", "document") and subject is not None:
            tokens = list(subject.subtree)
            span = (tokens[0].idx, tokens[-1].idx + len(tokens[-1]))
        return Finding(kind, _RANK[way if way in _RANK else kind], span, klass, cue.i)

    def _addresses_reader(self) -> bool:
        return any(_lemma(t) in _SECOND or t.lower_ in _SECOND for t in self.doc)

    def _speaker(self, klass: str) -> bool:
        """Whether a subject of this class can commit."""
        if klass in ("first", "self", "actor", "pronoun", "document"):
            return True
        return klass == "none" and (self.context.authors or self.context.listed)

    def _call(self, cue, verb, klass, when):
        lemma = _lemma(cue)
        if when == "conditional":
            return None
        if _passive(cue):
            # "each city is invited to implement…": a call on the subject, by the authors
            return ("call", "implicit") if when in ("present", "nonfinite") and _has_infinitive(cue) else None
        needs_complement = lemma in ("invite", "inviter", "encourage", "encourager", "call", "appeler",
                                     "press", "presser", "prier") and klass != "first"
        if needs_complement and not (_has_infinitive(cue) or _takes(cue, {"on", "upon", "for", "à", "au", "aux"})):
            return None
        return ("call", klass) if self._speaker(klass) else None

    def _pledge(self, cue, verb, klass, when):
        lemma = _lemma(cue)
        if when == "conditional":
            return None
        if lemma in ("engager", "attacher", "efforcer", "vouer") and not (
                any(_lemma(c) in ("se", "soi", "nous") or c.dep_.startswith("expl") for c in cue.children)
                or _passive(cue)):
            return None
        if lemma in ("engage", "resolve", "dedicate", "strive", "endeavour", "endeavor", "résoudre") \
                and not _has_infinitive(cue) and not any(c.lower_ in ("to", "à") for c in cue.subtree):
            return None
        return ("pledge", klass) if self._speaker(klass) else None

    def _resolution(self, cue, verb, klass, when):
        if _passive(cue):
            return None               # "was adopted"
        if when not in ("present", "nonfinite", "future"):
            return None               # "adopted the declaration", "ont convenu de…": procedural facts
        if klass in ("first", "self", "document") or (klass == "none" and self._speaker(klass)):
            return "resolution", klass
        return None

    def _need_verb(self, cue, verb, klass, when):
        lemma = _lemma(cue)
        if when in ("past", "conditional"):
            return None
        if lemma in ("revenir", "appartenir", "incomber", "falloir"):
            return ("need", "implicit") if klass in ("it", "none") and _has_infinitive(cue) else None
        if lemma in ("obliger", "oblige"):
            objects = [c for c in cue.children if c.dep_ in ("obj", "dobj", "nsubj", "iobj", "expl:comp")]
            return ("need", "first") if any(_first_person(o) for o in objects) else None
        if lemma == "need":
            return ("need", klass) if klass in ("first", "self") and _has_infinitive(cue) else None
        return ("need", "implicit") if klass in ("thing", "it", "actor", "self", "first") else None

    def _need_modal(self, cue, verb, klass, when):
        if when == "past":
            return None
        lemma = _lemma(cue)
        copula = _lemma(verb) in ("be", "être") or bool(_children(verb, "cop"))
        duty = any(_lemma(t) in self.lex.need_nouns for t in verb.subtree)
        weak = lemma in ("should", "ought") or (lemma == "devoir" and "Mood=Cnd" in str(cue.morph))
        if klass in ("first", "self"):
            return "need", klass
        if klass == "addressee":
            return "call", "implicit"
        if weak:
            return None               # advice ("cities should consider…")
        if copula and not duty:
            return None               # a statement of principle ("debate should be free")
        if klass in ("thing", "actor", "pronoun"):
            return "need", klass if klass != "thing" else "implicit"
        if klass == "none" and _passive(verb):
            return "need", "implicit"       # "… doit être soutenue"
        return None

    def _need_noun(self, cue, verb, klass, when):
        if when == "past" and _lemma(verb) not in self.lex.stance_verbs:
            return None               # a duty declared in the past is reported; one held, a fact
        if cue.head.lower_ in ("in", "en") and cue.head.dep_ in ("prep", "case"):
            return None               # "in need of protection"
        governor = _lemma(verb)
        complement = any(t.pos_ == "VERB" and "VerbForm=Inf" in str(t.morph) for t in cue.subtree) or any(
            c.dep_ in ("acl", "xcomp", "nmod", "prep") and any(g.pos_ in ("VERB", "NOUN") for g in c.subtree)
            for c in cue.children) or self.doc.text.rstrip().endswith(":")    # the list completes it
        copula = bool(_children(cue, "cop"))
        stated = governor in ("have", "avoir", "bear", "be", "être", "revenir") or \
            governor in self.lex.stance_verbs or copula
        if not (stated and complement):
            return None
        if klass in ("first", "self", "actor", "it", "pronoun") or copula:
            return "need", klass if klass in ("first", "self", "actor", "pronoun") else "implicit"
        return None

    def _pledged_noun(self, cue, verb, klass, when):
        if when in ("conditional",):
            return None
        possessed = any(c.dep_ in ("poss", "det", "nmod:poss") and "Poss=Yes" in str(c.morph) for c in cue.children)
        governor = _lemma(verb)
        stated = governor in self.lex.stance_verbs or governor in ("take", "make", "prendre", "stand")
        if not (stated and (possessed or governor in ("take", "make", "prendre"))):
            return None
        return ("pledge", klass) if self._speaker(klass) or klass == "none" else None

    def _called_noun(self, cue, verb, klass, when):
        if when in ("conditional",):
            return None
        governor = _lemma(verb)
        owned = any(c.dep_ in ("poss", "det", "nmod:poss") and "Poss=Yes" in str(c.morph) for c in cue.children) \
            or any(c.dep_ in ("nmod", "prep") and any(_lemma(g) in self.lex.actor_nouns for g in c.subtree)
                   for c in cue.children)
        if governor not in self.lex.stance_verbs or not (
                owned or klass in ("first", "self", "actor") or _takes(cue, {"to", "for", "à", "aux", "au"})):
            return None
        return ("call", klass) if self._speaker(klass) else None

    def _pledged_adjective(self, cue, verb, klass, when):
        if when in ("conditional",) or not any(
                t.pos_ == "VERB" and t.i > cue.i for t in cue.subtree) and not _takes(cue, {"to", "à", "de"}):
            return None                # "we are ready" for nothing said
        return ("pledge", klass) if self._speaker(klass) else None

    def _need_adjective(self, cue, verb, klass, when):
        if when in ("past", "conditional"):
            return None
        copula = bool(_children(cue, "cop")) or _lemma(verb) in ("be", "être")
        complement = any(t.pos_ in ("VERB", "AUX") and t.i > cue.i for t in cue.subtree) or any(
            t.pos_ in ("VERB", "AUX") and t.i > cue.i for t in verb.subtree if t.dep_ in ("ccomp", "xcomp", "csubj"))
        if not (copula and complement) or klass not in ("it", "first", "self"):
            return None                # "solidarity is essential to…": a statement of principle
        return "need", klass if klass in ("first", "self") else "implicit"

    def _exhortation(self, cue, verb, klass, when):
        return "call", "first"

    def _reported_future(self, cue, verb, klass, when):
        lemma = _lemma(verb)
        if lemma in self.lex.event_verbs or lemma in self.lex.description_verbs or _passive(verb):
            return None
        return ("pledge", klass) if klass in ("first", "self", "actor", "pronoun") else None

    def _wish(self, cue, verb, klass, when):
        if when not in ("present", "future"):
            return None
        return ("pledge", klass) if klass in ("first", "self", "actor", "pronoun") else None

    def _future(self, cue, verb, klass, when):
        lex = self.lex
        lemma = _lemma(verb)
        if lemma in lex.event_verbs or any(_lemma(c) in lex.event_objects for c in verb.children):
            return None
        if klass in ("first", "self"):
            return "pledge", klass
        if _passive(verb) or lemma in lex.description_verbs:
            return None               # "will be held", "this partnership will provide"
        # "they will …" mostly goes on describing a programme: only a named actor pledges so
        return ("pledge", klass) if klass == "actor" else None



def analyse(doc, lexicon: Lexicon, context: Context = Context()) -> Finding | None:
    """The commitment a parsed sentence carries, or None.

    >>> from indexer.extract.pipeline import parse
    >>> from .lexicon import load_lexicon
    >>> [analyse(d, load_lexicon("en")).kind for d in parse(["We call on states to act.", "We must act."], "en")]
    ['call', 'need']
    >>> analyse(parse(["The mayors had pledged to act."], "en")[0], load_lexicon("en")) is None
    True
    """
    text = doc.text.rstrip()
    if text.endswith("?"):
        return None
    if any(_lemma(t) in lexicon.logistics_verbs for t in doc):
        return None
    judge = _Judge(doc, lexicon, context)
    best, best_key = None, None
    for way, kind, cue, verb in judge.cues():
        finding = judge.judge(way, kind, cue, verb)
        # the one nearest the main clause first; at one depth, the surest way
        key = finding and (sum(1 for _ in _ancestors(verb)), finding.rank)
        if finding is not None and (best is None or key < best_key):
            best, best_key = finding, key
    return best


def committing_lead_in(doc, lexicon: Lexicon) -> str | None:
    """The kind of a lead-in that its list completes ("pledge to:", "will:", "Nous nous
    engageons à :"), when its parse says nothing sure: a word of commitment among its
    last words before the colon. None otherwise."""
    words = [t for t in doc if not t.is_punct][-4:]
    kinds = (("call", lexicon.call_verbs), ("pledge", lexicon.pledge_verbs | {"will", "shall"}),
             ("resolution", lexicon.resolution_verbs), ("need", lexicon.need_modals | lexicon.need_verbs))
    for token in reversed(words):
        for kind, lemmas in kinds:
            if _lemma(token) in lemmas or token.lower_ in lemmas:
                return kind
    return None


def verb_first(doc) -> bool:
    """Whether a clause starts with its verb (an item, or a verb-first clause under an
    opening: "Promouvoir la paix", "Denouncing all acts of hate", "ask national
    authorities to…")."""
    for token in doc:
        if token.is_punct or token.pos_ in ("ADV", "PART", "CCONJ", "SPACE"):
            continue
        return token.pos_ in ("VERB", "AUX") and not _children(token, *_SUBJECTS)
    return False


def infinitive_sentence(doc) -> bool:
    """A sentence that is an objective: its main verb an infinitive and first ("To set up a
    monitoring network…", "Mettre en place un observatoire…"), not a purpose clause before
    a main one ("To prevent hate, cities should…")."""
    for token in doc:
        if token.is_punct or token.pos_ in ("ADV", "PART", "CCONJ", "SPACE", "ADP") and token.lower_ in (
                "to", "and", "et", "also", "aussi", "effectively"):
            continue
        return token.dep_ == "ROOT" and token.pos_ == "VERB" and "VerbForm=Inf" in str(token.morph) or (
            token.dep_ == "ROOT" and token.tag_ == "VB")
    return False
