"""Dates of a text: regex candidates (French and English), normalized to ISO, with a role.

Candidates are day-month-year dates and ranges ("14-15 mai 2024", "les 14 et 15 mai
2024", "du 2 au 4 octobre 2022", "3–5 June 2023", "June 3, 2023"), months ("juillet
2018", "September 2015"), numeric dates (14/05/2024, 2024-05-14), years in a date-like
context ("en 2016", "l'année 2016", "2015-2020") and relative dates ("hier", "last
June", "mi-mars", "vendredi"). Values are ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``; a
range has an ``end``. A date without a year takes the year of ``base_date`` (the
document's date); relative dates resolve against it; both are left out without one.
Numbers that are not dates are not: "25 000 morts", "220 villes", "1,200 participants",
phone numbers, "XXIe siècle".

Roles: ``deadline`` ("au plus tard le", "avant le", "no later than", "by", "deadline"),
``event`` (a meeting, summit, launch… in the same sentence, or the date line of an
invitation), ``reference`` (anything else).

>>> [(d.value, d.end, d.role) for d in extract_dates("Réunion les 14 et 15 mai 2024 ; inscription au plus tard le 8 avril 2024.")]
[('2024-05-14', '2024-05-15', 'event'), ('2024-04-08', None, 'deadline')]
>>> [(d.value, d.surface) for d in extract_dates("Réunies hier à New York.", base_date="2015-09-30")]
[('2015-09-29', 'hier')]
>>> extract_dates("Contact : 01.42.76.49.61, 25 000 morts, 220 villes au XXIe siècle.")
()
"""
from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass

from model.record import DateMention
from model.vocabulary import fold

from .sentences import sentence_of, sentence_spans

MONTHS = {
    # French
    "janvier": 1, "janv": 1, "fevrier": 2, "fevr": 2, "fev": 2, "mars": 3, "avril": 4, "avr": 4,
    "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "aout": 8, "septembre": 9, "octobre": 10,
    "novembre": 11, "decembre": 12, "dec": 12,
    # English
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12,
}
WEEKDAYS = {"lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5,
            "dimanche": 6, "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3,
            "friday": 4, "saturday": 5, "sunday": 6}
ROLE_ORDER = ("deadline", "event", "reference")

_MONTH_WORDS = sorted({m for m in MONTHS} | {"février", "févr", "fév", "août", "décembre", "déc"},
                      key=len, reverse=True)
_M = r"(?P<{name}>" + "|".join(_MONTH_WORDS) + r")\.?"
_DAY = r"(?P<{name}>[0-3]?\d)(?:er|re|e|st|nd|rd|th)?"
_YEAR = r"(?P<{name}>(?:19|20)\d\d|2100)"
_WEEKDAY = r"(?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|monday|tuesday|wednesday|thursday|friday|saturday|sunday),?\s+)?"
_DASH = r"\s*(?:-|–|—|au|à|to|until|through|and|et|&)\s*"
_B = r"(?<![\w.,/])"        # no digit, letter or number separator just before
_E = r"(?![\w/]|[.,]\d|\s\d{3}\b)"   # …nor just after ("25 000", "1,200", "12.5")


def _p(template: str, **names: str) -> str:
    return template.format(**names)


# Longest forms first; every pattern names its groups d1 d2 m1 m2 y (some optional).
_PATTERNS: list[tuple[str, re.Pattern]] = [(kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in [
    ("range2", _B + r"(?:du\s+|from\s+|between\s+)?" + _WEEKDAY + _p(_DAY, name="d1") + r"\s+" + _p(_M, name="m1")
     + r"(?:\s+" + _p(_YEAR, name="y1") + r")?" + _DASH + _WEEKDAY + _p(_DAY, name="d2") + r"\s+" + _p(_M, name="m2")
     + r"(?:,?\s+" + _p(_YEAR, name="y") + r")?" + _E),
    ("range", _B + r"(?:(?:les|le|du|from|between)\s+)?" + _WEEKDAY + _p(_DAY, name="d1") + _DASH + _WEEKDAY
     + _p(_DAY, name="d2") + r"\s+(?:of\s+)?" + _p(_M, name="m1") + r"(?:,?\s+" + _p(_YEAR, name="y") + r")?" + _E),
    ("range2_en", _B + _WEEKDAY + _p(_M, name="m1") + r"\s+" + _p(_DAY, name="d1") + r"\s*(?:-|–|—|to|until|through)\s*"
     + _WEEKDAY + _p(_M, name="m2") + r"\s+" + _p(_DAY, name="d2") + r"(?:,?\s+" + _p(_YEAR, name="y") + r")?" + _E),
    ("range_en", _B + _p(_M, name="m1") + r"\s+" + _p(_DAY, name="d1") + _DASH + _p(_DAY, name="d2")
     + r"(?:,?\s+" + _p(_YEAR, name="y") + r")?" + _E),
    ("day", _B + r"(?:(?:le|the)\s+)?" + _WEEKDAY + _p(_DAY, name="d1") + r"\s+(?:of\s+|de\s+)?" + _p(_M, name="m1")
     + r"(?:,?\s+" + _p(_YEAR, name="y") + r")?" + _E),
    ("day_en", _B + _WEEKDAY + _p(_M, name="m1") + r"\s+" + _p(_DAY, name="d1") + r"(?:,?\s+" + _p(_YEAR, name="y") + r")?" + _E),
    ("numeric", _B + r"(?P<d1>[0-3]?\d)[/.](?P<m1>[01]?\d)[/.](?P<y>(?:19|20)\d\d)" + _E),
    ("iso", _B + r"(?P<y>(?:19|20)\d\d)-(?P<m1>[01]\d)(?:-(?P<d1>[0-3]\d))?" + _E),
    ("month_range", _B + r"(?:(?:between|from|entre|de|d['’])\s*)?" + _p(_M, name="m1") + r"\s*(?:-|–|—|and|to|et|à|au)\s*"
     + _p(_M, name="m2") + r",?\s+" + _p(_YEAR, name="y") + _E),
    ("month", _B + r"(?:(?P<part>mi|fin|début|debut|mid|early|late|end\s+of|beginning\s+of)[-\s]+)?"
     + _p(_M, name="m1") + r"(?:\s+(?:de\s+l['’]année\s+)?" + _p(_YEAR, name="y") + r"|(?P<rel>\s+(?:dernier|prochain)))?"
     + r"(?![\w])"),
    ("month_rel_en", r"\b(?P<rel>last|next|this\s+past)\s+" + _p(_M, name="m1") + r"(?![\w])"),
    ("year_range", _B + r"(?:(?:between|from|entre|de)\s+)?(?P<y1>(?:19|20)\d\d)\s*(?:-|–|—|/|\s(?:and|to|et|à)\s)\s*"
     r"(?P<y>(?:19|20)\d\d)" + _E),
    ("year", _B + r"(?P<y>(?:19|20)\d\d|2100)" + _E),
    # "aujourd'hui", "today" and "cette année" are left out: they only repeat the document's date
    ("relative", r"\b(?P<word>hier|yesterday|avant-hier|demain|tomorrow|"
     r"l['’]an\s+dernier|l['’]année\s+dernière|last\s+year|l['’]an\s+prochain|l['’]année\s+prochaine|next\s+year|"
     r"(?:la\s+)?fin\s+de\s+l['’]année|(?:the\s+)?end\s+of\s+(?:the|this)\s+year|"
     r"le\s+mois\s+dernier|last\s+month|le\s+mois\s+prochain|next\s+month)\b"),
    ("weekday", r"\b(?P<wd>lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
     r"(?P<rel>\s+(?:dernier|prochain|last|next))?\b"),
]]

# Every date holds one of these: a digit, a month's or a day's name, a word of a relative
# date. The patterns run only around them, which skips most of a text.
_ANCHOR = re.compile(r"\d+|(?<!\w)(?:" + "|".join(sorted(
    {*_MONTH_WORDS, *WEEKDAYS, "hier", "yesterday", "demain", "tomorrow", "dernier", "dernière", "prochain",
     "prochaine", "year", "année", "month"}, key=len, reverse=True)) + r")(?!\w)", re.IGNORECASE)
# How far a date reaches from its nearest anchor, with a margin ("beginning of ", "de l'année ").
_REACH = 30
_WORD_REST = re.compile(r"\w*")
# A bare year is a date only after one of these words (or in parentheses, or on its own line).
_YEAR_CONTEXT = re.compile(
    r"(?:\b(?:en|in|depuis|dès|since|année|l['’]année|an|year|years|avant|before|après|after|d['’]ici|by|until|"
    r"jusqu['’]en|jusqu['’]à|fin|début|mi|during|durant|pendant|of|de|du|printemps|été|automne|hiver|spring|summer|"
    r"autumn|fall|winter|janvier|décembre|exercice|budget|plan|stratégie|strategy|horizon|©)[\s-]*|[(–—]\s*)$",
    re.IGNORECASE)
# A year that closes a name ("World Refugee Day 2016", "Prix Nobel de la Paix 2015"); a
# year between commas of a reference ("Local Level, 2016, Efus, Paris") is taken too.
_NAMED_YEAR = re.compile(r"\b[A-ZÀ-Ý][a-zà-ÿ]+\s+$")
# …unless the number goes on to say what it is part of: "Room 2024 of the Centre"
_NUMBERED = re.compile(r"^\s+(?:of|de|du|des|d['’])\b", re.IGNORECASE)
# Dates that recur ("every year on 16 May", "chaque année le 9 mai") are not points in time.
_RECURRING = re.compile(r"\b(?:every|each|chaque|tous\s+les)\s+(?:year|années?|ans)\b[^.;\n]{0,12}$|\bannually\b[^.;\n]{0,12}$",
                        re.IGNORECASE)
_NOT_YEAR_AFTER = re.compile(r"^\s*(?:%|€|\$|euros?|dollars?|personnes|people|participants|villes|cities|morts|"
                             r"victimes|victims|habitants|inhabitants|membres|members|km|m²|hectares?|h\b)", re.IGNORECASE)
_DEADLINE = re.compile(r"(?:au\s+plus\s+tard|avant\s+(?:le|la\s+date\s+du|fin)|no\s+later\s+than|not\s+later\s+than|"
                       r"\bby\b|\bbefore\b|deadline|date\s+limite|jusqu['’]au|d['’]ici|until|prior\s+to)"
                       r"[\s:,(*]*(?:the\s+|le\s+|au\s+)?[\w\s,]{0,14}$", re.IGNORECASE)
_EVENT = re.compile(
    r"\b(?:réuni\w*|reuni\w*|réunion|rencontre|sommet|conférence|conference|séance|assemblée|forum|atelier|"
    r"séminaire|colloque|congrès|lancement|lanc(?:é|e|ée|és|ent)|inaugur\w*|se\s+tiendr\w+|se\s+tien\w+|se\s+déroul\w+|"
    r"aura\s+lieu|a\s+eu\s+lieu|ont\s+eu\s+lieu|événement|évènement|cérémonie|journée|table\s+ronde|assises|"
    r"visit\w*|visite|study\s+tour|ouverture|opening|opens|opened|accueillera|formation|training|annonc\w+|"
    r"announc\w+|se\s+retrouver|"
    r"meeting|met|meets?|summit|launch\w*|held|convened?|gathered|workshop|seminar|event|ceremony|will\s+take\s+place|"
    r"took\s+place|roundtable|webinar|webinaire|fondé\w*|cofondé\w*|founded|signé\w*|signed)\b",
    re.IGNORECASE)
# The adoption of the document itself: "Adopted in Victoria … on 5 June 2023", "Fait à Beyrouth, le …".
_ADOPTION = re.compile(r"^\W*(?:adopt\w+|fait\s+à|done\s+(?:at|in)|signed\s+(?:at|in))\b", re.IGNORECASE)
# Dates of attacks and other facts are references even next to an event word.
_FACT = re.compile(r"\b(?:attentats?|attaques?|attacks?|explosion|morts|killed|tués?|bombings?|massacres?|"
                   r"shooting|fusillade)\b", re.IGNORECASE)
EVENT_WINDOW = 70


# Left out of a date's surface: "le 8 avril 2024" → "8 avril 2024".
_LEADING_WORD = re.compile(r"^\s*(?:(?:le|les|the|on)\s+)?", re.IGNORECASE)


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    value: str
    end_value: str | None


def _parse_base(base_date: str | None) -> tuple[int | None, int | None, int | None]:
    if not base_date:
        return None, None, None
    match = re.match(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", str(base_date))
    if not match:
        return None, None, None
    return tuple(int(g) if g else None for g in match.groups())  # type: ignore[return-value]


def _month(word: str | None) -> int | None:
    if not word:
        return None
    return MONTHS.get(fold(word).rstrip("."))


def _iso(year: int, month: int | None = None, day: int | None = None) -> str | None:
    try:
        if day is not None and month is not None:
            return dt.date(year, month, day).isoformat()
    except ValueError:
        return None
    if month is not None:
        return f"{year:04d}-{month:02d}" if 1 <= month <= 12 else None
    return f"{year:04d}"


def _group(match: re.Match, name: str) -> str | None:
    return match.groupdict().get(name)


def _resolve(kind: str, match: re.Match, text: str, base: tuple) -> tuple[str | None, str | None]:
    """(value, end) of a candidate, or (None, None) when it is not a date we can place."""
    base_year, base_month, base_day = base
    year = int(match.group("y")) if _group(match, "y") else None
    if year is None and kind not in ("relative", "weekday") and \
            _RECURRING.search(text[max(0, match.start() - 40):match.start()]):
        return None, None
    if kind == "year":
        before = text[max(0, match.start() - 30):match.start()]
        line_start = text.rfind("\n", 0, match.start()) + 1
        line_end = text.find("\n", match.end())
        alone = not text[line_start:line_end if line_end >= 0 else len(text)].strip(" *#()–-").replace(match.group(), "").strip()
        after = text[match.end():match.end() + 15]
        named = (_NAMED_YEAR.search(before) and not _NUMBERED.match(after)) or (
            before.rstrip(" ").endswith(",") and after.lstrip(" ").startswith(","))
        if not (_YEAR_CONTEXT.search(before) or alone or named) or _NOT_YEAR_AFTER.match(after):
            return None, None
        return _iso(year), None
    if kind == "year_range":
        first = int(match.group("y1"))
        return (_iso(first), _iso(year)) if first < year <= first + 50 else (None, None)
    if kind == "relative":
        return _relative(fold(match.group("word")), base)
    if kind == "weekday":
        return _weekday(match, text, base)
    if kind == "month_range":
        first, last = _month(match.group("m1")), _month(match.group("m2"))
        return (_iso(year, first), _iso(year, last)) if first and last and first < last else (None, None)
    m1 = _month(_group(match, "m1")) if kind not in ("numeric", "iso") else (
        int(match.group("m1")) if match.group("m1") else None)
    if kind in ("month", "month_rel_en"):
        rel = (_group(match, "rel") or "").strip().lower()
        if not _plausible_month(match.group("m1"), bool(year), bool(rel)):
            return None, None
        if year:
            return _iso(year, m1), None
        if rel in ("dernier", "last", "this past"):
            if base_year is None or base_month is None:
                return None, None
            return _iso(base_year if m1 < base_month else base_year - 1, m1), None
        if rel in ("prochain", "next"):
            if base_year is None or base_month is None:
                return None, None
            return _iso(base_year if m1 > base_month else base_year + 1, m1), None
        return (_iso(base_year, m1), None) if base_year else (None, None)
    year = year or (int(match.group("y1")) if _group(match, "y1") else None) or base_year
    if year is None:
        return None, None
    d1 = int(match.group("d1")) if _group(match, "d1") else None
    if kind in ("range", "range_en", "range2", "range2_en"):
        d2 = int(match.group("d2"))
        m2 = _month(_group(match, "m2")) or m1
        if kind in ("range2", "range2_en"):
            y1 = int(match.group("y1")) if _group(match, "y1") else (year if m1 <= m2 else year - 1)
            start, end = _iso(y1, m1, d1), _iso(year, m2, d2)
        else:
            if d2 <= d1:
                return None, None
            start, end = _iso(year, m1, d1), _iso(year, m1, d2)
        return (start, end) if start and end and start < end else (None, None)
    if fold(match.group("m1") or "").rstrip(".") in _COMMON_WORDS and not match.group("m1")[0].isupper():
        return None, None
    return _iso(year, m1, d1), None


# Month names that are also English words, and abbreviations: not a month on their own.
_COMMON_WORDS = {"may", "march", "mar"}
_FULL_MONTHS = {m for m in MONTHS if len(m) > 4} | {"mai", "mars", "juin", "june", "july", "aout"}


def _plausible_month(word: str, has_year: bool, has_rel: bool) -> bool:
    """"mai" and "in March" are months, "may" and "Mar" alone are not."""
    folded = fold(word).rstrip(".")
    if folded in _COMMON_WORDS and (not word[0].isupper() or (folded == "may" and not has_year)):
        return False
    return has_year or has_rel or folded in _FULL_MONTHS


def _relative(word: str, base: tuple) -> tuple[str | None, str | None]:
    year, month, day = base
    if year is None:
        return None, None
    word = re.sub(r"\s+", " ", word.replace("’", "'"))
    if word in ("cette annee", "this year"):
        return _iso(year), None
    if word in ("l'an dernier", "l'annee derniere", "last year"):
        return _iso(year - 1), None
    if word in ("l'annee prochaine", "l'an prochain", "next year"):
        return _iso(year + 1), None
    if word.endswith(("fin de l'annee", "end of the year", "end of this year")):
        return _iso(year), None
    if month is None:
        return None, None
    if word in ("le mois dernier", "last month"):
        return (_iso(year, month - 1) if month > 1 else _iso(year - 1, 12)), None
    if word in ("le mois prochain", "next month"):
        return (_iso(year, month + 1) if month < 12 else _iso(year + 1, 1)), None
    if day is None:
        return None, None
    shift = {"hier": -1, "yesterday": -1, "avant-hier": -2, "demain": 1, "tomorrow": 1}[word]
    return (dt.date(year, month, day) + dt.timedelta(days=shift)).isoformat(), None


# "du lundi au vendredi", "Monday to Friday": opening hours, not a date.
_WEEKDAY_NAMES = "|".join(WEEKDAYS)
_OPENING_HOURS = re.compile(rf"(?:\b(?:du|au|from|to|à)\s+(?:{_WEEKDAY_NAMES})\b|(?:{_WEEKDAY_NAMES})\s*(?:-|–|au|à|to)\s*(?:{_WEEKDAY_NAMES}))",
                            re.IGNORECASE)
_FUTURE = re.compile(r"\b(?:se\s+tiendra|aura\s+lieu|will|prochain|next|sera|seront|to\s+be\s+held)\b", re.IGNORECASE)


def _weekday(match: re.Match, text: str, base: tuple) -> tuple[str | None, str | None]:
    """A day of the week: the last one on or before the base date (the next one if the
    sentence speaks of the future). Needs a base date with its day."""
    year, month, day = base
    if day is None or _OPENING_HOURS.search(text[max(0, match.start() - 4):match.end() + 20]):
        return None, None
    target = WEEKDAYS[match.group("wd").lower()]
    rel = (match.group("rel") or "").strip().lower()
    origin = dt.date(year, month, day)
    sentence = text[max(0, match.start() - 80):match.end() + 40]
    if rel in ("prochain", "next") or (not rel and _FUTURE.search(sentence)):
        delta = (target - origin.weekday()) % 7 or 7
    else:
        delta = -((origin.weekday() - target) % 7)
    return (origin + dt.timedelta(days=delta)).isoformat(), None


def _zones(text: str) -> list[tuple[int, int]]:
    """Stretches of ``text`` that hold all its dates: _REACH characters around each anchor,
    up to the end of a word, merged."""
    zones: list[tuple[int, int]] = []
    for anchor in _ANCHOR.finditer(text):
        start = max(0, anchor.start() - _REACH)
        end = _WORD_REST.match(text, min(len(text), anchor.end() + _REACH)).end()
        if zones and start <= zones[-1][1]:
            zones[-1] = (zones[-1][0], end)
        else:
            zones.append((start, end))
    return zones


def _candidates(text: str, base: tuple) -> list[tuple[_Candidate, str]]:
    """Non-overlapping candidates, longest first where they overlap, in text order."""
    found: list[tuple[int, int, str, re.Match]] = []
    zones = _zones(text)
    for kind, pattern in _PATTERNS:
        for start, end in zones:       # a pattern's look-behind still sees before ``start``
            for match in pattern.finditer(text, start, end):
                found.append((match.start(), match.end(), kind, match))
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    taken: list[tuple[int, int]] = []      # disjoint, in text order
    out = []
    for start, end, kind, match in sorted(found, key=lambda f: (-(f[1] - f[0]), f[0])):
        # Of the spans taken, only the last one starting before ``end`` can overlap.
        before = bisect.bisect_left(taken, (end,))
        if before and taken[before - 1][1] > start:
            continue
        value, end_value = _resolve(kind, match, text, base)
        if value is None:
            continue
        taken.insert(before, (start, end))
        leading = _LEADING_WORD.match(match.group())
        surface_start = start + (leading.end() if leading else 0)
        out.append((_Candidate(surface_start, end, value, end_value), kind))
    return sorted(out, key=lambda c: c[0].start)


def _role(text: str, candidate: _Candidate, sentence: tuple[int, int]) -> str:
    before = text[max(sentence[0], candidate.start - 60):candidate.start]
    if _DEADLINE.search(before):
        return "deadline"
    line_start = text.rfind("\n", 0, candidate.start) + 1
    line_end = text.find("\n", candidate.end)
    line = text[line_start:line_end if line_end >= 0 else len(text)]
    rest = line.replace(text[candidate.start:candidate.end], "")
    title = line_start == 0 and len(line) <= 150 and not line.rstrip(" *_").endswith((".", "!", "?"))
    if title or not re.sub(r"[A-ZÀ-Ý][\w'’.-]*", "", rest).strip(" *_#–—-,.:()"):
        return "event"       # the date line of an invitation ("Valencia, Spain — 14–16 October 2025"), a title
    window = text[max(sentence[0], candidate.start - EVENT_WINDOW):min(sentence[1], candidate.end + EVENT_WINDOW)]
    centre = candidate.start - max(sentence[0], candidate.start - EVENT_WINDOW)
    event = _nearest(_EVENT, window, centre)
    fact = _nearest(_FACT, window, centre)
    if event is not None and (fact is None or event < fact):
        return "event"
    if fact is None and _ADOPTION.match(text[sentence[0]:sentence[1]]):
        return "event"
    return "reference"


def _nearest(pattern: re.Pattern, window: str, centre: int) -> int | None:
    """Distance from ``centre`` to the nearest match of ``pattern`` in ``window``."""
    distances = [min(abs(m.start() - centre), abs(m.end() - centre)) for m in pattern.finditer(window)]
    return min(distances) if distances else None


def extract_dates(text: str, language: str = "fr", base_date: str | None = None) -> tuple[DateMention, ...]:
    """Dates of ``text`` in order of first mention, one per value (and end).

    >>> [(d.value, d.role) for d in extract_dates("Deadline: June 3, 2023. The summit was held 3–5 June 2023.")]
    [('2023-06-03', 'deadline'), ('2023-06-03', 'event')]
    """
    base = _parse_base(base_date)
    spans = sentence_spans(text)
    merged: dict[tuple[str, str | None], DateMention] = {}
    for candidate, _ in _candidates(text, base):
        role = _role(text, candidate, sentence_of(spans, candidate.start))
        key = (candidate.value, candidate.end_value)
        previous = merged.get(key)
        if previous is None:
            merged[key] = DateMention(candidate.value, text[candidate.start:candidate.end], role,
                                      candidate.end_value)
        elif ROLE_ORDER.index(role) < ROLE_ORDER.index(previous.role):
            merged[key] = DateMention(previous.value, previous.surface, role, previous.end)
    return tuple(merged.values())
