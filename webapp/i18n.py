"""The interface in French and English: a small dict-based translation and date formatting.

Messages are written in English in the templates (``{{ _("Search") }}``); the French text
of each one is in ``translations/fr.yaml``. The language is the ``lang`` cookie when set
(the switch link sets it), else the best match of the browser's Accept-Language, else
English. A message without a translation shows in English rather than failing.

>>> format_date("2024-04-08", "fr"), format_date("2024-04-08", "en")
('8 avril 2024', '8 April 2024')
>>> format_date("2018-07", "fr"), format_date("2018-07", "en"), format_date("2016", "fr")
('juillet 2018', 'July 2018', '2016')
>>> format_date("2024-05-01", "fr")
'1er mai 2024'
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

import yaml
from flask import Blueprint, Flask, g, redirect, request, url_for
from markupsafe import Markup, escape

from model.fields import FIELDS
from model.messages import Message
from model.record import ISO_DATE, LANGUAGES as DOCUMENT_LANGUAGES

from .links import safe_next

DEFAULT = "en"
LANGUAGES = (DEFAULT, *(lang for lang in DOCUMENT_LANGUAGES if lang != DEFAULT))   # of the interface
COOKIE = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600
TRANSLATIONS = Path(__file__).with_name("translations")

MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"),
}

bp = Blueprint("i18n", __name__)


@lru_cache(maxsize=None)
def catalog(lang: str) -> dict[str, str]:
    """English message → message in ``lang`` (empty for English)."""
    path = TRANSLATIONS / f"{lang}.yaml"
    if lang == DEFAULT or not path.is_file():
        return {}
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    return {str(k): str(v) for k, v in data.items()}


def current_language() -> str:
    return getattr(g, "lang", DEFAULT)


def translate(message: str, lang: str | None = None, **values) -> str:
    """``message`` in the interface language, with ``%(name)s`` placeholders filled."""
    text = catalog(lang or current_language()).get(message, message)
    return text % values if values else text


def translate_plural(singular: str, plural: str, count: int, lang: str | None = None, **values) -> str:
    """The singular or plural message for ``count`` (French: 0 and 1 are singular)."""
    lang = lang or current_language()
    one = count <= 1 if lang == "fr" else count == 1
    values.setdefault("n", count)
    return translate(singular if one else plural, lang, **values)


def localise(text: object) -> str:
    """A message of ``kb`` or ``indexer`` in the interface language: a ``Message`` by its
    template, with its values (those that are Messages localised too); other text as it is."""
    if isinstance(text, Message):
        values = {k: localise(v) if isinstance(v, Message) else v for k, v in text.values.items()}
        return translate(text.template, **values)
    return str(text)


def problem_of(error: Exception) -> str:
    """What an exception of ``kb`` or ``indexer`` says, in the interface language."""
    return localise(error.args[0]) if error.args else str(error)


def gettext_markup(message: str, **values) -> Markup:
    """For templates: the message escaped as text, then values put in, escaped unless they
    are already Markup (``q=Markup("<q>%s</q>") % query``): safe in attributes too."""
    text = escape(catalog(current_language()).get(message, message))
    return text % values if values else text


def ngettext_markup(singular: str, plural: str, count: int, **values) -> Markup:
    """``_n("%(n)s document", "%(n)s documents", total)``: ``n`` is ``count`` unless given."""
    lang = current_language()
    one = count <= 1 if lang == "fr" else count == 1
    values.setdefault("n", count)
    return gettext_markup(singular if one else plural, **values)


def format_date(value: str | None, lang: str | None = None) -> str:
    """An ISO date (YYYY, YYYY-MM or YYYY-MM-DD) in words; its year when the rest is not a
    real month or day (``2018-13``); anything else as it is."""
    if not value:
        return ""
    lang = lang or current_language()
    text = str(value)
    match = ISO_DATE.match(text)
    if not match:
        return text[:4] if text[:4].isdigit() and text[4:5] == "-" else text
    year, month, day = match.groups()
    if not month:
        return year
    month_name = MONTHS[lang if lang in MONTHS else DEFAULT][int(month) - 1]
    if not day:
        return f"{month_name.capitalize()} {year}" if lang == "en" else f"{month_name} {year}"
    number = int(day)
    if lang == "fr":
        return f"{'1er' if number == 1 else number} {month_name} {year}"
    return f"{number} {month_name} {year}"


def format_range(value: str | None, end: str | None = None, lang: str | None = None) -> str:
    """A date or a range of dates in words: "14 May 2024 – 15 May 2024"."""
    if end and end != value:
        return f"{format_date(value, lang)} – {format_date(end, lang)}"
    return format_date(value, lang)


# Labels of the fields and their values (model.fields), and of the date filters.
FACET_NAMES = {**{f.name: f.label for f in FIELDS if f.is_facet}, "from": "From", "to": "To"}
VALUE_NAMES = {f.name: dict(f.value_labels) for f in FIELDS if f.value_labels}
ROLE_NAMES = {"signatory": "signatory", "venue": "venue", "mentioned": "mentioned",
              "deadline": "deadline", "event": "event", "reference": "reference"}


def facet_name(name: str) -> str:
    return translate(FACET_NAMES.get(name, name.replace("_", " ").capitalize()))


def value_label(facet: str, value: str) -> str:
    """How a facet value reads in the interface: "press_release" → "Communiqué de presse"."""
    if facet in VALUE_NAMES:
        fallback = value.upper() if facet == "language" else value.replace("_", " ").capitalize()
        return translate(VALUE_NAMES[facet].get(value, fallback))
    if facet == "role":
        return translate(ROLE_NAMES.get(value, value))
    if facet in ("from", "to"):
        return format_date(value)
    return value


def role_label(role: str) -> str:
    return translate(ROLE_NAMES.get(role, role))


def today(lang: str | None = None) -> str:
    return format_date(dt.date.today().isoformat(), lang)


def choose_language() -> str:
    """The cookie's language, else the best one the browser accepts, else English."""
    chosen = request.cookies.get(COOKIE, "")
    if chosen in LANGUAGES:
        return chosen
    return accepted_language(request.accept_languages) or DEFAULT


def accepted_language(accept) -> str | None:
    """The browser's most wanted language that the site has, by primary tag: with
    ``de, fr-BE;q=0.5, en;q=0.3`` that is French (Werkzeug's best_match would pick
    English, the only exact match)."""
    for value, _quality in accept:          # highest quality first
        primary = value.split("-")[0].split("_")[0].lower()
        if primary in LANGUAGES:
            return primary
    return None


@bp.route("/language/<lang>")
def switch(lang: str):
    """Set the interface language (remembered in a cookie) and go back to the page."""
    response = redirect(safe_next(request.args.get("next")) or "/", code=303)
    if lang in LANGUAGES:
        response.set_cookie(COOKIE, lang, max_age=COOKIE_MAX_AGE, samesite="Lax", httponly=True)
    return response


def switch_url(lang: str) -> str:
    """The link that switches to ``lang`` and comes back to the current page."""
    here = request.full_path if request.query_string else request.path
    return url_for("i18n.switch", lang=lang, next=here)


def init_app(app: Flask) -> None:
    """Choose the language of each request and give templates ``_``, ``_n`` and date filters."""
    app.register_blueprint(bp)

    @app.before_request
    def _set_language():
        g.lang = choose_language()

    @app.after_request
    def _vary(response):
        response.vary.add("Accept-Language")
        response.vary.add("Cookie")
        response.headers.setdefault("Content-Language", current_language())
        return response

    app.jinja_env.globals.update(_=gettext_markup, _n=ngettext_markup, switch_url=switch_url,
                                 current_language=current_language, today=today,
                                 LANGUAGES=LANGUAGES, facet_name=facet_name,
                                 value_label=value_label)
    app.jinja_env.filters["date_label"] = lambda value: format_date(value) or translate("undated")
    app.jinja_env.filters["date_range"] = format_range
    app.jinja_env.filters["role_label"] = role_label
    app.jinja_env.globals["role_label"] = role_label
