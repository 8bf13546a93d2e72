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
from .syntax import (SUBJECTS, ancestors, children, first_person, french_conditional,
                     french_future, governed, has_infinitive, in_relative, lemma_of, named, nominal, passive,
                     singular, subject_of, takes, tense)

# How sure each way of carrying a commitment is, best first: it decides the kind when a
# sentence carries several ("we must commit to…" is a pledge).
_RANK = {"call": 0, "exhortation": 0, "called-noun": 0, "pledge": 1, "pledged-noun": 2, "pledged-adjective": 2,
         "resolution": 3, "need": 4, "wish": 5, "future": 6, "reported-future": 6}
_SECOND = {"you", "your", "vous", "votre", "vos", "toi", "tu"}
_IT = {"it", "il", "ce", "cela", "ça", "this", "that", "there", "on"}
_RELATIVE_PRONOUNS = {"which", "who", "that", "qui", "que", "lequel", "laquelle", "lesquels", "lesquelles"}


@dataclass(frozen=True)
class Finding:
    kind: str                          # pledge | call | need | resolution
    rank: int
    subject: tuple[int, int] | None    # character span, in the sentence, of who commits
    subject_class: str                 # first | actor | holder | pronoun | none | implicit
    cue: int                           # token index of the carrying word


@dataclass(frozen=True)
class Context:
    """What a sentence cannot tell by itself."""
    authors: bool = False              # the document says who "we" are (an opening)
    authors_words: frozenset[str] = frozenset()   # the words naming them ("local governments")
    listed: bool = False               # an item of a committing list


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
        lemma, lower = lemma_of(subject), subject.lower_
        if first_person(subject):
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
        if lemma in self.lex.actor_nouns or named(subject):
            return "actor"
        if any(lemma_of(t) in self.lex.actor_nouns for t in subject.children if t.dep_ in ("compound", "nmod")):
            return "actor"
        return "thing"

    # ---- the ways a clause carries a commitment -----------------------------------------

    def cues(self):
        """(way, kind, cue token, clause verb) for every word that may carry a commitment."""
        lex = self.lex
        for token in self.doc:
            lemma, pos = lemma_of(token), token.pos_
            if pos != "VERB" and lemma not in lex.cue_lemmas and singular(token.lower_) not in lex.cue_lemmas:
                continue        # none of the ways below starts from this word
            if pos == "VERB" and lemma in lex.call_verbs:
                yield "call", "call", token, token
            if pos == "VERB" and lemma in lex.pledge_verbs:
                yield "pledge", "pledge", token, token
            if pos in ("VERB", "AUX") and lemma in lex.standing_verbs and self._stands_together(token):
                yield "pledge", "pledge", token, token      # "we stand together to face…"
            if pos == "VERB" and lemma in lex.resolution_verbs:
                yield "resolution", "resolution", token, token
            if pos in ("VERB", "AUX") and lemma in lex.need_verbs and lemma not in lex.need_modals:
                yield "need-verb", "need", token, token
            if lemma in lex.need_modals:
                verb = self._modal_verb(token)
                if verb is not None:
                    yield "need-modal", "need", token, verb
            if nominal(token, lex.need_nouns):
                yield "need-noun", "need", token, self._governor(token)
            if nominal(token, lex.pledge_nouns):
                yield "pledged-noun", "pledge", token, self._governor(token)
            if nominal(token, lex.call_nouns):
                yield "called-noun", "call", token, self._governor(token)
            if (lemma in lex.pledge_adjectives or singular(token.lower_) in lex.pledge_adjectives) \
                    and pos in ("ADJ", "VERB"):
                yield "pledged-adjective", "pledge", token, self._predicate(token)
            if lemma in lex.need_adjectives and (pos == "ADJ" or children(token, "cop")):
                yield "need-adjective", "need", token, self._predicate(token)
            if self._exhorts(token):
                yield "exhortation", "call", token, token
            if pos == "VERB" and lemma in lex.wish_verbs and has_infinitive(token):
                yield "wish", "pledge", token, token
            future = self._future_verb(token)
            if future is not None:
                yield "future", "pledge", token, future
            reported = self._reported_verb(token)
            if reported is not None:
                yield "reported-future", "pledge", token, reported

    def _stands_together(self, verb) -> bool:
        """"stand together to face…", "restons unis pour combattre…": one of standing_words
        beside the verb (or beside its attribute), and a verb it governs."""
        near = [*verb.children, *(g for c in verb.children for g in c.children)]
        return has_infinitive(verb) and any(t.lower_ in self.lex.standing_words for t in near)

    def _modal_verb(self, token):
        """The verb a modal governs ("must act" → act), or None when it is not a modal here."""
        lemma = lemma_of(token)
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
        lemma = lemma_of(token)
        if self.lex.language == "en":
            if lemma in ("will", "shall") and token.dep_ == "aux" and token.head.pos_ in ("VERB", "AUX"):
                return token.head
            return None
        if token.pos_ == "VERB" and "Tense=Fut" in str(token.morph) and french_future(token):
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
        lemma = lemma_of(token)
        if self.lex.language == "en":
            verb = token.head if lemma == "would" and token.dep_ == "aux" else None
        else:
            verb = token if token.pos_ == "VERB" and ("Mood=Cnd" in str(token.morph) or french_conditional(token)) \
                else None
        if verb is None or verb.dep_ not in ("ccomp", "xcomp") or lemma_of(verb.head) not in self.lex.reporting_verbs:
            return None
        return verb

    @staticmethod
    def _predicate(adjective):
        """The token that carries an adjective's subject: itself when it has the copula
        (French), the copula it completes otherwise ("we are determined")."""
        if children(adjective, "cop", *SUBJECTS) or adjective.dep_ not in ("acomp", "attr", "xcomp", "oprd"):
            return adjective
        return adjective.head

    def _exhorts(self, token) -> bool:
        """"Let us stand together", "Serrons-nous les coudes": an exhortation to act together."""
        if self.lex.language == "en":
            return lemma_of(token) == "let" and token.i == 0 and any(
                c.lower_ in ("us", "'s") for c in token.doc[1:3])
        following = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
        if token.pos_ != "VERB" or any(t.pos_ not in ("CCONJ", "ADV", "PUNCT") for t in token.doc[:token.i]):
            return False
        first_plural = "Person=1" in str(token.morph) and "Number=Plur" in str(token.morph)
        # without an opening saying who "nous" are, a first "-ons" verb with no subject
        # exhorts ("Et combattons sans relâche…"); under one, it goes on the opening
        return (first_plural and ("Mood=Imp" in str(token.morph)
                                  or not (self.context.authors or children(token, *SUBJECTS)))) \
            or (following is not None and following.lower_ == "-nous")

    def _exhortation(self, cue, verb, klass, when):
        if lemma_of(cue) in self.lex.reporting_verbs | self.lex.belief_verbs:
            return None               # "Disons-le", "Rappelons que…": a turn of speech
        return "call", "first"

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
        if in_relative(verb) or in_relative(cue):
            return None
        beliefs = lex.belief_verbs | lex.rejection_verbs
        if governed(verb, beliefs - lex.reporting_verbs if way == "reported-future" else beliefs):
            return None
        if self._addresses_reader() and not (way == "call" and lemma_of(cue) in lex.urging_verbs):
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
        if klass == "holder":
            span = _phrase_span(self._holder(cue))
        elif klass in ("actor", "self", "pronoun", "first", "document") and subject is not None:
            tokens = list(subject.subtree)
            span = (tokens[0].idx, tokens[-1].idx + len(tokens[-1]))
        return Finding(kind, _RANK[way if way in _RANK else kind], span, klass, cue.i)

    def _addresses_reader(self) -> bool:
        return any(lemma_of(t) in _SECOND or t.lower_ in _SECOND for t in self.doc)

    def _speaker(self, klass: str) -> bool:
        """Whether a subject of this class can commit."""
        if klass in ("first", "self", "actor", "pronoun", "document"):
            return True
        return klass == "none" and (self.context.authors or self.context.listed)

    def _call(self, cue, verb, klass, when):
        lemma = lemma_of(cue)
        if when == "conditional":
            return None
        if passive(cue):
            # "each city is invited to implement…": a call on the subject, by the authors
            return ("call", "implicit") if when in ("present", "nonfinite") and has_infinitive(cue) else None
        needs_complement = lemma in ("invite", "inviter", "encourage", "encourager", "call", "appeler",
                                     "press", "presser", "prier") and klass != "first"
        if needs_complement and not (has_infinitive(cue) or takes(cue, {"on", "upon", "for", "à", "au", "aux"})):
            return None
        return ("call", klass) if self._speaker(klass) else None

    def _pledge(self, cue, verb, klass, when):
        lemma = lemma_of(cue)
        if when == "conditional":
            return None
        if lemma in ("engager", "attacher", "efforcer", "vouer") and not (
                any(lemma_of(c) in ("se", "soi", "nous") or c.dep_.startswith("expl") for c in cue.children)
                or passive(cue)):
            return None
        if lemma in ("engage", "resolve", "dedicate", "strive", "endeavour", "endeavor", "résoudre") \
                and not has_infinitive(cue) and not any(c.lower_ in ("to", "à") for c in cue.subtree):
            return None
        return ("pledge", klass) if self._speaker(klass) else None

    def _resolution(self, cue, verb, klass, when):
        if passive(cue):
            return None               # "was adopted"
        action = self._agreed_action(cue)
        if lemma_of(cue) in ("accept", "accepter") and action is None:
            return None               # "we accept the invitation"
        if when == "past" and action is not None and self._group(subject_of(verb, self.lex.document_nouns)):
            return "pledge", klass    # "the participants agreed to review…": a decision to act, reported
        if when not in ("present", "nonfinite", "future"):
            return None               # "adopted the declaration", "ont convenu de…": procedural facts
        if klass in ("first", "self", "document") or (klass == "none" and self._speaker(klass)):
            return "resolution", klass
        return None

    def _group(self, subject) -> bool:
        """The subject is a group that can commit (mayors, members, a network), not a
        person or "we" telling what they once decided ("we decided to try this place")."""
        return subject is not None and lemma_of(subject) in self.lex.actor_nouns and \
            subject.pos_ in ("NOUN", "PROPN") and lemma_of(subject) not in self.lex.addressee_nouns

    def _agreed_action(self, cue):
        """The action a verb of agreeing takes as its complement ("agreed to review",
        "ont accepté de revoir"), unless it is a meeting's or a text's ("decided to hold
        the next summit in Dakar"); None when it takes no verb."""
        lex = self.lex
        if lemma_of(cue) in lex.procedural_verbs:
            return None               # "adopted a measure to fight…": the adoption is the news
        for child in children(cue, "xcomp"):
            if child.pos_ == "VERB" and "VerbForm=Inf" in str(child.morph):
                lemma = lemma_of(child)
                if lemma in lex.event_verbs or lemma in lex.procedural_verbs or lemma in lex.description_verbs:
                    return None
                return child
        return None

    def _need_verb(self, cue, verb, klass, when):
        lemma = lemma_of(cue)
        if when in ("past", "conditional"):
            return None
        if lemma in ("revenir", "appartenir", "incomber", "falloir"):
            return ("need", "implicit") if klass in ("it", "none") and has_infinitive(cue) else None
        if lemma in ("obliger", "oblige"):
            objects = [c for c in cue.children if c.dep_ in ("obj", "dobj", "nsubj", "iobj", "expl:comp")]
            return ("need", "first") if any(first_person(o) for o in objects) else None
        if lemma == "need":
            return ("need", klass) if klass in ("first", "self") and has_infinitive(cue) else None
        return ("need", "implicit") if klass in ("thing", "it", "actor", "self", "first") else None

    def _need_modal(self, cue, verb, klass, when):
        if when == "past":
            return None
        lemma = lemma_of(cue)
        copula = lemma_of(verb) in ("be", "être") or bool(children(verb, "cop"))
        duty = any(lemma_of(t) in self.lex.need_nouns for t in verb.subtree)
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
        if klass == "none" and passive(verb):
            return "need", "implicit"       # "… doit être soutenue"
        return None

    def _need_noun(self, cue, verb, klass, when):
        if when == "past" and lemma_of(verb) not in self.lex.stance_verbs:
            return None               # a duty declared in the past is reported; one held, a fact
        if cue.head.lower_ in ("in", "en") and cue.head.dep_ in ("prep", "case"):
            return None               # "in need of protection"
        governor = lemma_of(verb)
        complement = any(t.pos_ == "VERB" and "VerbForm=Inf" in str(t.morph) for t in cue.subtree) or any(
            c.dep_ in ("acl", "xcomp", "nmod", "prep") and any(g.pos_ in ("VERB", "NOUN") for g in c.subtree)
            for c in cue.children) or self.doc.text.rstrip().endswith(":")    # the list completes it
        copula = bool(children(cue, "cop"))
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
        # "l'engagement des maires à placer…", "the mayors' commitment to act" (not "la
        # résolution du Conseil", a text)
        held = self._holder(cue) is not None and any(
            t.pos_ == "VERB" and "VerbForm=Inf" in str(t.morph) for t in cue.subtree)
        governor = lemma_of(verb)
        stated = governor in self.lex.stance_verbs or governor in ("take", "make", "prendre", "stand")
        if not (stated and (possessed or held or governor in ("take", "make", "prendre"))):
            return None
        if held:
            return "pledge", "holder"      # who holds the commitment, whoever states it
        return ("pledge", klass) if self._speaker(klass) or klass == "none" else None

    def _holder(self, noun):
        """The actor a noun names as its holder ("of the mayors", "des maires", "the
        mayors'"), or None."""
        for child in noun.children:
            if child.dep_ in ("nmod", "prep", "poss", "nmod:poss"):
                for token in child.subtree:
                    if token.pos_ == "NOUN" and lemma_of(token) in self.lex.actor_nouns:
                        return token
        return None

    def _called_noun(self, cue, verb, klass, when):
        if when in ("conditional",):
            return None
        governor = lemma_of(verb)
        owned = any(c.dep_ in ("poss", "det", "nmod:poss") and "Poss=Yes" in str(c.morph) for c in cue.children) \
            or self._holder(cue) is not None
        if governor not in self.lex.stance_verbs or not (
                owned or klass in ("first", "self", "actor") or takes(cue, {"to", "for", "à", "aux", "au"})):
            return None
        return ("call", klass) if self._speaker(klass) else None

    def _pledged_adjective(self, cue, verb, klass, when):
        if when in ("conditional",) or not any(
                t.pos_ == "VERB" and t.i > cue.i for t in cue.subtree) and not takes(cue, {"to", "à", "de"}):
            return None                # "we are ready" for nothing said
        return ("pledge", klass) if self._speaker(klass) else None

    def _need_adjective(self, cue, verb, klass, when):
        if when in ("past", "conditional"):
            return None
        copula = bool(children(cue, "cop")) or lemma_of(verb) in ("be", "être")
        complement = any(t.pos_ in ("VERB", "AUX") and t.i > cue.i for t in cue.subtree) or any(
            t.pos_ in ("VERB", "AUX") and t.i > cue.i for t in verb.subtree if t.dep_ in ("ccomp", "xcomp", "csubj"))
        if not (copula and complement) or klass not in ("it", "first", "self"):
            return None                # "solidarity is essential to…": a statement of principle
        return "need", klass if klass in ("first", "self") else "implicit"

    def _reported_future(self, cue, verb, klass, when):
        lemma = lemma_of(verb)
        if lemma in self.lex.event_verbs or lemma in self.lex.description_verbs or passive(verb):
            return None
        return ("pledge", klass) if klass in ("first", "self", "actor", "pronoun") else None

    def _wish(self, cue, verb, klass, when):
        if when not in ("present", "future"):
            return None
        if any(children(c, *SUBJECTS) for c in children(cue, "ccomp", "xcomp")):
            return None               # "cities want all lives to be protected": a wish for others
        return ("pledge", klass) if klass in ("first", "self", "actor", "pronoun") else None

    def _future(self, cue, verb, klass, when):
        lex = self.lex
        lemma = lemma_of(verb)
        if lemma in lex.event_verbs or any(lemma_of(c) in lex.event_objects for c in verb.children):
            return None
        if klass in ("first", "self"):
            return "pledge", klass
        if passive(verb) or lemma in lex.description_verbs:
            return None               # "will be held", "this partnership will provide"
        # "they will …" mostly goes on describing a programme: only a named actor pledges so
        return ("pledge", klass) if klass == "actor" else None



def _phrase_span(noun) -> tuple[int, int]:
    """Character span of a noun with its determiners and modifiers, without the word that
    introduces it nor the clauses that complete it ("maires francophones", not "des maires
    francophones à placer l'Homme au cœur…")."""
    clauses = {"acl", "acl:relcl", "relcl", "xcomp", "ccomp", "advcl", "conj", "cc", "punct", "appos"}
    tokens, waiting = [], [noun]
    while waiting:
        token = waiting.pop()
        tokens.append(token)
        waiting += [child for child in token.children if child.dep_ not in clauses
                    and not (token is noun and child.dep_ in ("case", "prep"))]     # "des", "of"
    tokens.sort(key=lambda t: t.i)
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1])


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
    if any(lemma_of(t) in lexicon.logistics_verbs for t in doc):
        return None
    judge = _Judge(doc, lexicon, context)
    best, best_key = None, None
    for way, kind, cue, verb in judge.cues():
        finding = judge.judge(way, kind, cue, verb)
        # the one nearest the main clause first; at one depth, the surest way
        key = finding and (sum(1 for _ in ancestors(verb)), finding.rank)
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
            if lemma_of(token) in lemmas or token.lower_ in lemmas:
                return kind
    return None


def verb_first(doc) -> bool:
    """Whether a clause starts with its verb (an item, or a verb-first clause under an
    opening: "Promouvoir la paix", "Denouncing all acts of hate", "ask national
    authorities to…")."""
    for token in doc:
        if token.is_punct or token.pos_ in ("ADV", "PART", "CCONJ", "SPACE"):
            continue
        return token.pos_ in ("VERB", "AUX") and not children(token, *SUBJECTS)
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
