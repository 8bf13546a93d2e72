"""Cities of a text: gazetteer names, checked against evidence, resolved and given roles.

A gazetteer name counts as a city when nothing says otherwise; a name that is also a
common word ("Nice", "Reading"), a country ("Luxembourg"), a region, or only an
alternate spelling in GeoNames needs evidence: a place entity from spaCy, a preposition
("à", "in"), a list of other cities, or a country named right after it. Names inside a
person's name ("Hassan" in "Ali Hassan Joho"), after "comté de"/"county of", or also
written in lower case elsewhere in the text are not cities.

A name several cities share resolves by context: a country or region named next to it
("Paris, Texas"), then the countries of the document's other cities and countries,
then population. Each mention has a role: ``signatory`` (in a list after "signée par",
"signed by", "signataires"), ``venue`` (where people meet: "réunis à", "se tiendra à",
"held in", the place line of an invitation) or ``mentioned``.

>>> [(c.name, c.country, c.roles) for c in extract_cities("Réunis à Bruxelles, les maires de Victoria et de Montréal.")]
[('Brussels', 'BE', ('venue',)), ('Victoria', 'CA', ('mentioned',)), ('Montreal', 'CA', ('mentioned',))]
"""
from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass, field
from typing import Sequence

from model.record import City
from model.vocabulary import fold

from .commitments import opening_span
from .dates import MONTHS
from .gazetteer import Gazetteer, NameHit, load_gazetteer
from .pipeline import Entity, common_words
from .sentences import sentence_of, sentence_spans
from .stopwords import STOP_WORDS

ROLES = ("signatory", "venue", "mentioned")
# A mention's role; "announced" is a venue in the future (the next meeting): the venue of
# the meeting a document comes from comes first among a city's roles, then "signatory",
# then a venue announced, then "mentioned".
_ORDER = ("venue", "signatory", "announced", "mentioned")
COUNTRY_SUPPORT = 1.0          # in log10(population) units: worth a population ten times larger
OWN_NAME = 0.5                 # a town's own name, against another spelling of a town's name
_PREPOSITION = re.compile(r"(?:\b(?:à|a|au|aux|in|at|from|to|near|of|près de|de|d['’]|vers|en)\s*)$", re.IGNORECASE)
_ADMINISTRATIVE = re.compile(
    r"(?:\b(?:comté|county|département|departement|région|region|province|état|etat|state|"
    r"district|canton|oblast|préfecture|prefecture|governorate|gouvernorat)\s+(?:of\s+|de\s+|du\s+|d['’])?"
    r"(?:l['’]|la\s+|le\s+)?)$", re.IGNORECASE)
# "lac de Bienne", "Lake Geneva", "mont Liban": a lake, a mountain… named after a place
_FEATURE = re.compile(r"\b(?:lac|lake|mont|mount|monts|mountains?|montagnes?|rivière|river|fleuve|golfe|gulf|"
                      r"baie|bay|île|isle|island|cap|cape|désert|desert|vallée|valley|plaine|plain)\s+"
                      r"(?:of\s+|de\s+|du\s+|d['’])?(?:l['’]|la\s+|le\s+|the\s+)?$", re.IGNORECASE)
_ADMINISTRATIVE_AFTER = re.compile(r"^\s+(?:County|State|Province|Region|Oblast|District)\b")
_LIST_SEPARATOR = re.compile(r"^\s*(?:,|;|/|&|–|-|\bet\b|\band\b|\bor\b|\bou\b|\by\b|\bund\b|\be\b)\s*(?:\bet\b|\band\b|\by\b|\bund\b|\be\b)?\s*$", re.IGNORECASE)
_CAPITALISED = re.compile(r"[A-ZÀ-ÖØ-Þ][\w'’.-]*(?:\s+[A-ZÀ-ÖØ-Þ][\w'’.-]*)?")
_SIGNATORY = re.compile(
    r"\b(?:sign(?:é|e)(?:e|s|es)?\s+par|signataires?|signed\s+by|signatories|signatory\s+cities|"
    r"endorsed\s+by|ont\s+signé|have\s+signed)\b", re.IGNORECASE)
_VENUE_TRIGGER = re.compile(
    r"\b(?:réuni(?:e|s|es)?|reuni(?:e|s|es)?|se\s+tiendr(?:a|ont)|se\s+tien(?:t|nent|dra)|se\s+tenait|"
    r"se\s+déroul(?:era|ent|e|ait)|aura\s+lieu|a\s+eu\s+lieu|ont\s+eu\s+lieu|accueill\w*|se\s+retrouver\w*|"
    r"se\s+réuni\w*|organisée?s?|adoptée?s?|fait|"
    r"sommet|conférence|rencontre|réunion|séance|lancement|ouverture|journée|forum|assemblée|congrès|séminaire|"
    r"table\s+ronde|atelier|"
    r"held|hosted|will\s+take\s+place|took\s+place|takes\s+place|convened?|gathered|met\b|meet(?:s|ing)?|"
    r"organi[sz]ed|adopted|summit|conference|launch(?:ed)?|assembly|congress|workshop|seminar|roundtable|"
    r"round\s+table)", re.IGNORECASE)
_FUTURE = re.compile(
    r"\b(?:se\s+tiendr\w+|aura\s+lieu|auront\s+lieu|prochaine?s?|accueillera\w*|se\s+retrouver\w*|"
    r"se\s+réuniront|sera|seront|prévue?s?|next|will|shall|planned|upcoming|to\s+be\s+held)\b", re.IGNORECASE)
# "Déclaration de Melbourne", "Victoria Declaration", "Brussels Commitments": named after
# the place where the document was adopted.
_NAMED_AFTER_BEFORE = re.compile(r"\b(?:Déclaration|Declaration|Charte|Charter|Appel|Pacte|Pact|Engagements|"
                                 r"Commitments|Communiqué)\s+(?:commune\s+)?(?:de|d['’]|of)\s+$")
_NAMED_AFTER_AFTER = re.compile(r"^\s+(?:Declaration|Commitments|Charter|Pact|Call|Communiqué|Statement|Principles)\b")
_DATE_MATERIAL = re.compile(r"\b\d{1,4}(?:er|st|nd|rd|th)?\b|[*_—–-]|\b(?:" + "|".join(
    sorted(MONTHS, key=len, reverse=True))
    + r"|février|août|décembre|et|and|au|to|du|les|le)\b", re.IGNORECASE)
_LOCATIVE = re.compile(r"\b(?:à|a|au|aux|in|at)\s+(?:[^.;:!?,]{0,40}?\b(?:de|du|d['’]|of)\s+)?(?:l['’]|la\s+|le\s+|the\s+)?$",
                       re.IGNORECASE)
_PLACE_LINE_FILLER = re.compile(r"^[\s,()–-]*$")
_REGION_ARTICLE = re.compile(r"\b(?:au|aux|en|dans\s+le|the\s+state\s+of|the\s+province\s+of)\s+$", re.IGNORECASE)
# What may stand between a city and the country or region that says where it is:
# "Antalya, en Turquie", "Valence (Espagne)", "Victoria, the capital of Seychelles".
_COUNTRY_LINK = re.compile(
    r"^[\s,(–-]*(?:(?:en|au|aux|dans|la|le|les|l['’]|in|the|a|an|its|capital|capitale|city|ville|of|de|du|des|"
    r"d['’]|province|state|état|région|region|département|county|comté|near|près)[\s,]+)*$", re.IGNORECASE)
MAX_LINK_CHARS = 40


@dataclass
class _Mention:
    hit: NameHit
    candidates: list[tuple[int, bool]]
    role: str = "mentioned"
    country: str | None = None      # a country or region named right after it
    evidence: set[str] = field(default_factory=set)
    choice: int | None = None


class Entities:
    """spaCy's entities of a text, to ask which overlap a stretch of it in logarithmic
    time (a scan of every entity for each name found made long texts quadratic).

    >>> found = Entities([Entity(0, 5, "LOC", "Paris"), Entity(10, 20, "PER", "Anne Hidalgo")])
    >>> [e.text for e in found.overlapping(3, 12)], found.overlapping(6, 9)
    (['Paris', 'Anne Hidalgo'], [])
    """

    def __init__(self, entities: Sequence[Entity]):
        self.items = sorted(entities, key=lambda e: (e.start, e.end))
        self._starts = [e.start for e in self.items]
        self._reach = []          # the furthest end among the entities up to each one
        furthest = -1
        for e in self.items:
            furthest = max(furthest, e.end)
            self._reach.append(furthest)

    def overlapping(self, start: int, end: int) -> list[Entity]:
        """The entities overlapping ``[start, end)``, in order."""
        found = []
        i = bisect.bisect_left(self._starts, end) - 1
        while i >= 0 and self._reach[i] > start:
            if self.items[i].end > start:
                found.append(self.items[i])
            i -= 1
        return found[::-1]

    def __len__(self) -> int:
        return len(self.items)


def _overlapping(entities: Entities | None, start: int, end: int) -> set[str]:
    if not entities:
        return set()
    return {e.label for e in entities.overlapping(start, end)}


def _in_person(entities: Entities | None, hit: NameHit) -> bool:
    """The name is part of a person's name ("Ali Hassan Joho") or of an organisation's or
    event's ("Washington Post", "Victoria Police"), and not a place entity of its own.
    ("Université de Montréal", "University of Cape Town" still name the city.)"""
    if not entities:
        return False
    for e in entities.overlapping(hit.start, hit.end):
        if e.label == "LOC" and e.start >= hit.start - 1 and e.end <= hit.end + 1:
            return False
        if e.label == "PER" and (e.start < hit.start or e.end > hit.end):
            return True
        if e.label in ("LOC", "PER") or "\n" in e.text or e.start > hit.start:
            continue
        before = _LEADING_ARTICLE.sub("", e.text[:hit.start - e.start])
        if not before and e.label != "DATE" and _YEAR_AFTER.fullmatch(e.text[hit.end - e.start:]):
            continue            # "Manchester 2017": the city and a year (an attack, a games)
        if not before and e.end > hit.end + 1:
            return True         # "(the) Washington Post": the city begins the name
        if before and not _OF.search(before):
            return True         # "Victoria Police", "Monash University": a word of the name
    return False


_YEAR = re.compile(r"\b\d{4}\b")
_YEAR_AFTER = re.compile(r"[\s,(–-]*\d{4}\W*")
BIG_CITY = 500_000


def _big_city(gazetteer: Gazetteer, hit: NameHit) -> bool:
    """A region's name that is first of all a big city's: "Québec", "Washington", "New York"."""
    return any(own and gazetteer.cities[g].population >= BIG_CITY for g, own in hit.cities)


SMALL_TOWN = 100_000
_LEADING_ARTICLE = re.compile(r"^(?:the|le|la|les|l['’])\s*", re.IGNORECASE)
_OF = re.compile(r"\b(?:de|du|des|d['’]|of|à|au|in|at|for|pour)\s*$", re.IGNORECASE)


def _small_towns_only(gazetteer: Gazetteer, hit: NameHit) -> bool:
    """Every town of this name is small: a bare one-word mention needs some evidence."""
    return all(gazetteer.cities[g].population < SMALL_TOWN for g, own in hit.cities if own)


def _acronym(text: str, hit: NameHit) -> bool:
    """"UN", "EU", "AIMF": a short name in capitals in a line that is not all capitals."""
    letters = [c for c in hit.surface if c.isalpha()]
    if len(letters) > 4 or not all(c.isupper() for c in letters):
        return False
    line_start = text.rfind("\n", 0, hit.start) + 1
    line_end = text.find("\n", hit.end)
    line = text[line_start:line_end if line_end >= 0 else len(text)]
    return any(c.islower() for c in line)


def _qualifies(gazetteer: Gazetteer, text: str, hits: list[NameHit], k: int) -> bool:
    """Hit ``k`` (a country or region) says where the city just before it is:
    "Paris, Texas", "Strasbourg, France", "Antalya, en Turquie" — not "Liège, Luxembourg"
    in a list, since no Liège is in Luxembourg."""
    hit = hits[k]
    if k == 0 or not (hit.country or hit.region):
        return False
    city = hits[k - 1]
    between = _between(text, city, hit)
    if not city.cities or len(between) > MAX_LINK_CHARS or not _COUNTRY_LINK.match(between + " "):
        return False
    where = hit.country or hit.region
    return any(gazetteer.cities[g].country == where for g, _ in city.cities)


def _between(text: str, a: NameHit, b: NameHit) -> str:
    return text[a.end:b.start]


def _list_link(text: str, a: NameHit, b: NameHit) -> bool:
    """``a`` and ``b`` are neighbours in a list ("Bamako, Beyrouth", "Paris et Tunis"),
    possibly with a name or two the gazetteer does not know between them."""
    between = _between(text, a, b)
    if len(between) > 60 or "\n\n" in between:
        return False
    rest = _CAPITALISED.sub("", _YEAR.sub("", between))      # "Paris 2015, Nice 2016"
    skipped = len(_CAPITALISED.findall(between))
    return skipped <= 2 and bool(_LIST_SEPARATOR.match(rest) or re.fullmatch(r"(?:\s*[,;]\s*)+(?:et|and)?\s*", rest))


def _lists(text: str, hits: list[NameHit]) -> set[int]:
    """Indexes of hits in a list of three or more names, or of two names with cities."""
    in_list: set[int] = set()
    run = [0] if hits else []
    for k in range(1, len(hits) + 1):
        if k < len(hits) and _list_link(text, hits[k - 1], hits[k]):
            run.append(k)
            continue
        cityish = sum(1 for i in run if hits[i].cities and not hits[i].country and not hits[i].region)
        if len(run) >= 3 or (len(run) == 2 and cityish == 2):
            in_list.update(run)
        run = [k]
    return in_list


LONG_LIST = 3


def _run(in_list: set[int], k: int) -> list[int]:
    """The indexes of the listed names in the run of hit ``k``."""
    start, end = k, k
    while start - 1 in in_list:
        start -= 1
    while end + 1 in in_list:
        end += 1
    return list(range(start, end + 1))


def _long_list(in_list: set[int], k: int) -> bool:
    """Hit ``k`` stands in a run of at least LONG_LIST listed names."""
    return len(_run(in_list, k)) >= LONG_LIST


def _list_of_countries(hits: list[NameHit], in_list: set[int], k: int) -> bool:
    """Hit ``k`` stands in a list of mostly countries and regions ("Djibouti, Ethiopia,
    Kenya"): a country's name there is the country's."""
    run = _run(in_list, k)
    return sum(1 for i in run if hits[i].country or hits[i].region) * 2 > len(run)


def _signatory_zones(text: str) -> list[tuple[int, int]]:
    """Stretches of text after "signée par" & co., up to the end of the list."""
    zones = []
    for match in _SIGNATORY.finditer(text):
        end = text.find("\n\n", match.end())
        end = len(text) if end < 0 else end
        after = text[match.end():end]
        stop = re.search(r"[.!?](?:\s|$)", after)
        zones.append((match.end(), match.end() + (stop.start() if stop else len(after))))
    return zones


def _is_place_line(text: str, hit: NameHit, hits: list[NameHit], position: int) -> bool:
    """The hit is alone on its line, with at most a country: "Strasbourg, France"."""
    line_start = text.rfind("\n", 0, hit.start) + 1
    line_end = text.find("\n", hit.end)
    line_end = len(text) if line_end < 0 else line_end
    before, after = text[line_start:hit.start], text[hit.end:line_end]
    for other in hits[position + 1:]:
        if other.start >= line_end:
            break
        if other.country or other.region:
            after = after.replace(other.surface, " ")
    if _PLACE_LINE_FILLER.match(before) and _PLACE_LINE_FILLER.match(_DATE_MATERIAL.sub(" ", after)):
        return True     # "Strasbourg, France", "Valencia, Spain — 14–16 October 2025"
    # a dateline: "PARIS, Texas — The City of Paris…", "CAPE TOWN — Mayors…"
    return not before.strip(" *_#") and bool(re.match(r"^[\s,]*(?:\w[\w\s.'’-]{0,30})?\s*[—–]\s", after))


def _role(text: str, hit: NameHit, sentence: tuple[int, int], zones, place_line: bool) -> str:
    """One of _ORDER for one mention."""
    if any(start <= hit.start < end for start, end in zones):
        return "signatory"
    if place_line or _NAMED_AFTER_BEFORE.search(text[max(0, hit.start - 30):hit.start]) \
            or _NAMED_AFTER_AFTER.match(text[hit.end:hit.end + 20]):
        return "venue"
    before = text[sentence[0]:hit.start]
    after = text[hit.end:sentence[1]]
    clause = before[-160:]
    if (_LOCATIVE.search(before[-80:]) and _VENUE_TRIGGER.search(clause)) or \
            re.match(r"^\s*(?:will\s+host|accueillera|accueille|hosts|hosted)\b", after, re.IGNORECASE):
        return "announced" if _FUTURE.search(text[sentence[0]:sentence[1]]) else "venue"
    return "mentioned"


_TOKEN = re.compile(r"[\w'’-]+")


def _common_word(tokens: set[str], hit: NameHit) -> bool:
    """A one-word name also written in lower case in the text (``tokens``: the text's
    words as written) is a word, not a town."""
    return hit.words == 1 and hit.surface.lower() in tokens


# A town this large is meant even when its name is also a word ("Paris", "Houston").
WORD_CITY = 1_000_000
_DETERMINED = re.compile(r"\b(?:the|our|their|its|les|au|aux|du|des|notre|nos|leur|leurs)\s+$", re.IGNORECASE)
# What names a place outright: a list of places, a line of its own, a country after it.
_STRONG = {"list", "line", "country"}


def _doubts(gazetteer: Gazetteer, text: str, hit: NameHit, entities: Entities | None,
            words: frozenset[str]) -> set[str]:
    """Why a name found in the gazetteer may not be a city here:

    - ``person``: spaCy reads exactly this name as a person ("Bush", "George");
    - ``word``: a noun or adjective of the language ("Metro", "Temple", "Spring"), unless
      the town is very large;
    - ``name``: a word of a longer proper name, a capitalised word right before or after
      it ("West Bank", "Roman Republic", "Bay Area"), unless the name is of a text
      named after the place ("Düsseldorf Declaration").
    """
    doubts = set()
    if entities and any(e.label == "PER" and e.start <= hit.start and hit.end <= e.end
                        for e in entities.overlapping(hit.start, hit.end)):
        doubts.add("person")
    large = any(own and gazetteer.cities[g].population >= WORD_CITY for g, own in hit.cities)
    if hit.words == 1 and not large and hit.surface.lower() in words:
        doubts.add("word")
    before = re.search(r"(?<![.!?:;\n])\b([A-ZÀ-Ý][\w'’-]*) $", text[max(0, hit.start - 30):hit.start])
    after = re.match(r" (?:(?:of|de|du|des) )?([A-ZÀ-Ý][\w'’-]*)\b", text[hit.end:hit.end + 30])
    beside = [m.group(1) for m in (before, after) if m and m.group(1).lower() not in STOP_WORDS]
    if beside and not _NAMED_AFTER_AFTER.match(text[hit.end:hit.end + 20]):
        doubts.add("name")
    if hit.words == 1 and not large and _DETERMINED.search(text[max(0, hit.start - 12):hit.start]):
        doubts.add("name")      # "the Republic", "our Republic", "les Andes": a town takes no article
    if not any(own for _, own in hit.cities):
        doubts.add("alias")     # only another spelling of the town's name in GeoNames
    return doubts


_MUNICIPAL = re.compile(r"\b(?:maire|maires|mayor|mayors|ville|city|municipalité|municipality|commune|mairie|"
                        r"town|conseil municipal|city council)\s+(?:de\s+la\s+|de\s+|d['’]|du\s+|of\s+(?:the\s+)?)$",
                        re.IGNORECASE)


def _convinced(doubts: set[str], evidence: set[str]) -> bool:
    """Whether the evidence for a city outweighs the doubts about it: a short list
    ("Düsseldorf/David Young") does not clear a longer proper name."""
    if not doubts:
        return True
    if {"alias", "name"} <= doubts:
        # another spelling of a town's name, then a capitalised word: the item of a list
        # is a longer name the gazetteer does not know ("Majdal Anjar" is not Ashkelon)
        return bool(evidence & {"line", "country", "municipal"})
    strong = evidence & _STRONG if "name" not in doubts else evidence & (_STRONG - {"list"} | {"long list"})
    if strong or "municipal" in evidence:
        return True
    return doubts <= {"word", "alias"} and {"entity", "preposition"} <= evidence


def _choose(gazetteer: Gazetteer, mention: _Mention, support: dict[str, float],
            named: frozenset[str] = frozenset()) -> int | None:
    """The city a mention names: among the towns whose own name it is, unless none of them
    is in a country the document names and another spelling's town is ("Saida … in
    Lebanon" is Sidon, not Saïda in Algeria); then by the support of the document's
    countries and by population."""
    candidates = mention.candidates
    if mention.country:
        local = [c for c in candidates if gazetteer.cities[c[0]].country == mention.country]
        candidates = local or candidates
    own = [c for c in candidates if c[1]]
    if not any(gazetteer.cities[c[0]].country in named for c in own):
        own += [c for c in candidates if not c[1] and gazetteer.cities[c[0]].country in named]
    candidates = own or candidates

    def score(candidate: tuple[int, bool]) -> tuple[float, int]:
        place = gazetteer.cities[candidate[0]]
        return (math.log10(place.population + 10) + COUNTRY_SUPPORT * support.get(place.country, 0.0)
                + OWN_NAME * candidate[1], -place.geonameid)

    return max(candidates, key=score)[0] if candidates else None


def extract_cities(text: str, entities: Sequence[Entity] | None = None,
                   gazetteer: Gazetteer | None = None, language: str | None = None,
                   hits: Sequence[NameHit] | None = None) -> tuple[City, ...]:
    """The cities of ``text``, in order of first mention.

    ``entities`` are spaCy's entities for ``text`` (None when the language has no model);
    ``language`` says whose common words a name may be; ``hits`` are the gazetteer's
    names in ``text``, when they are already found.

    >>> [(c.name, c.roles) for c in extract_cities("Signée par Bruxelles, Genève et Paris, Texas.")]
    [('Brussels', ('signatory',)), ('Geneva', ('signatory',)), ('Paris', ('signatory',))]
    >>> extract_cities("Signée par Bruxelles, Genève et Paris, Texas.")[2].country
    'US'
    """
    gazetteer = gazetteer or load_gazetteer()
    entities = Entities(entities) if entities is not None else None
    hits = gazetteer.find(text) if hits is None else hits
    spans = sentence_spans(text)
    in_list = _lists(text, hits)
    zones = _signatory_zones(text)
    opening = opening_span(text)        # "We, the mayors of Victoria, Halifax and Montreal,"
    if opening:
        zones.append(opening)
    named_countries = {h.country for h in hits if h.country}
    tokens = set(_TOKEN.findall(text))
    words = common_words(language) if language else frozenset()
    mentions: list[_Mention] = []
    for k, hit in enumerate(hits):
        if not hit.cities or _acronym(text, hit):
            continue
        if _in_person(entities, hit) and not (k in in_list and _long_list(in_list, k)):
            continue   # a word of a person's or an organisation's name, unless spaCy took a list for one
        if (hit.country or hit.region) and (_qualifies(gazetteer, text, hits, k)
                                           or _REGION_ARTICLE.search(text[max(0, hit.start - 12):hit.start])):
            continue   # "London, Ontario", "Paris, Texas", "au Québec": a region, not a city
        before = text[max(0, hit.start - 40):hit.start]
        if _ADMINISTRATIVE.search(before) or _ADMINISTRATIVE_AFTER.match(text[hit.end:hit.end + 20]) \
                or _FEATURE.search(before):
            continue
        mention = _Mention(hit, list(hit.cities))
        after = hits[k + 1] if k + 1 < len(hits) else None
        if after and (after.country or after.region) and _qualifies(gazetteer, text, hits, k + 1):
            mention.country = after.country or after.region
            mention.evidence.add("country")
        labels = _overlapping(entities, hit.start, hit.end)
        if "LOC" in labels:
            mention.evidence.add("entity")
        if _PREPOSITION.search(before):
            mention.evidence.add("preposition")
        if _MUNICIPAL.search(before):
            mention.evidence.add("municipal")      # "maire de Saint Gratien", "the City of Paris"
        signatory = any(start <= hit.start < end for start, end in zones)
        if k in in_list or signatory:
            mention.evidence.add("list")
            if signatory or _long_list(in_list, k):
                mention.evidence.add("long list")
        sentence = sentence_of(spans, hit.start)
        place_line = _is_place_line(text, hit, hits, k)
        if place_line:
            mention.evidence.add("line")
        if hit.country or (hit.region and not _big_city(gazetteer, hit)):
            # "Luxembourg", "Ontario": a city only among other cities or on a place line
            if not mention.evidence & {"list", "line"} or (
                    k in in_list and "line" not in mention.evidence and _list_of_countries(hits, in_list, k)):
                continue
        elif fold(hit.surface) in MONTHS and not mention.evidence & {"list", "line"}:
            continue   # "March 2023", "in May": a month
        elif hit.ambiguous or not any(primary for _, primary in hit.cities) or _common_word(tokens, hit):
            if not mention.evidence:
                continue
        elif entities is not None and hit.words == 1 and hit.start == sentence[0] and not mention.evidence:
            continue   # a capitalised first word that spaCy does not take for a place
        elif hit.words == 1 and not mention.evidence and _small_towns_only(gazetteer, hit):
            continue   # "Police" (a town in Poland), "University" (Florida): a word, unless a place
        if not _convinced(_doubts(gazetteer, text, hit, entities, words), mention.evidence):
            continue
        mention.role = _role(text, hit, sentence, zones, place_line)
        mentions.append(mention)
    _resolve(gazetteer, mentions, named_countries)
    return _group(gazetteer, mentions)


def _resolve(gazetteer: Gazetteer, mentions: list[_Mention], named_countries: set[str]) -> None:
    """Choose a city for each mention: unambiguous ones first, then the rest in context."""
    support: dict[str, float] = {code: 1.0 for code in named_countries}
    named = frozenset(named_countries)
    placed: dict[str, int] = {}     # a name placed by its context keeps that sense in the document
    for mention in mentions:
        if len(mention.candidates) == 1 or mention.country:
            mention.choice = _choose(gazetteer, mention, {})
            if mention.choice is not None:
                support[gazetteer.cities[mention.choice].country] = 1.0
                if mention.country:
                    placed.setdefault(fold(mention.hit.surface), mention.choice)
    for mention in mentions:
        if mention.choice is None and not mention.country:
            mention.choice = placed.get(fold(mention.hit.surface)) or _choose(gazetteer, mention, support, named)


def _group(gazetteer: Gazetteer, mentions: list[_Mention]) -> tuple[City, ...]:
    order: dict[int, list[_Mention]] = {}
    for mention in mentions:
        if mention.choice is not None:
            order.setdefault(mention.choice, []).append(mention)
    cities = []
    for gid, group in order.items():
        place = gazetteer.cities[gid]
        found = [role for role in _ORDER if any(m.role == role for m in group)]
        roles = tuple(dict.fromkeys("venue" if role == "announced" else role for role in found))
        cities.append(City(name=place.name, country=place.country, geonameid=place.geonameid,
                           lat=place.lat, lon=place.lon,
                           surface=tuple(dict.fromkeys(m.hit.surface for m in group)),
                           count=len(group), roles=roles))
    return tuple(cities)
