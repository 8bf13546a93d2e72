"""The interface in French and English: Flask-Babel with gettext catalogs, dates in words,
cities and countries by their names in the reader's language (``city_label``,
``country_label``; URLs and filters keep the stored name and code).

Messages are written in English: ``{{ _("Search") }}`` and ``{{ ngettext(…) }}`` in the
templates, ``gettext("…")`` in the views (``lazy_gettext`` for texts built before a
request), ``Message("…")`` in ``kb``, ``indexer`` and ``model`` (``localise`` translates
them here). Their French is in ``translations/fr/LC_MESSAGES/messages.po``, extracted and
updated with ``make translations`` and compiled to ``messages.mo`` by ``make install``.
The language is the ``lang`` cookie when set (the switch link sets it), else the best
match of the browser's Accept-Language, else English. A message without a translation
shows in English rather than failing.

>>> format_date("2024-04-08", "fr"), format_date("2024-04-08", "en")
('8 avril 2024', '8 April 2024')
>>> format_date("2018-07", "fr"), format_date("2018-07", "en"), format_date("2016", "fr")
('juillet 2018', 'July 2018', '2016')
>>> format_date("2024-05-01", "fr")
'1er mai 2024'
"""
from __future__ import annotations

import datetime as dt

from babel import Locale
from babel.dates import format_datetime, get_month_names
from flask import Blueprint, Flask, has_request_context, redirect, request, url_for
from flask_babel import Babel, get_locale, get_translations, gettext, lazy_gettext
from markupsafe import Markup, escape

from model.fields import BY_NAME
from model.messages import Message
from model.record import ISO_DATE, LANGUAGES as DOCUMENT_LANGUAGES

from .links import safe_next

DEFAULT = "en"
LANGUAGES = (DEFAULT, *(lang for lang in DOCUMENT_LANGUAGES if lang != DEFAULT))   # of the interface
COOKIE = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600

bp = Blueprint("i18n", __name__)


def current_language() -> str:
    """The interface language of this request (English outside one)."""
    locale = get_locale() if has_request_context() else None
    return locale.language if locale else DEFAULT


def localise(text: object) -> str:
    """A message of ``kb`` or ``indexer`` in the interface language: a ``Message`` by its
    template, with its values (those that are Messages localised too); other text as it is."""
    if isinstance(text, Message):
        values = {k: localise(v) if isinstance(v, Message) else v for k, v in text.values.items()}
        return gettext(text.template, **values)
    return str(text)


def problem_of(error: Exception) -> str:
    """What an exception of ``kb`` or ``indexer`` says, in the interface language."""
    return localise(error.args[0]) if error.args else str(error)


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
    month_name = get_month_names("wide", locale=lang if lang in LANGUAGES else DEFAULT)[int(month)]
    if not day:
        return f"{month_name} {year}"
    number = int(day)
    if lang == "fr":
        return f"{'1er' if number == 1 else number} {month_name} {year}"
    return f"{number} {month_name} {year}"


def format_moment(value: str | None, lang: str | None = None) -> str:
    """An ISO date and time (the audit log's, UTC) in words and in UTC: "5 Dec 2026, 01:22 UTC";
    the page's script shows it in the reader's time zone.

    >>> format_moment("2026-12-05T01:22:10+00:00", "fr"), format_moment("2026-12-05T01:22:10+00:00", "en")
    ('5 déc. 2026, 01:22 UTC', '5 Dec 2026, 01:22 UTC')
    """
    if not value:
        return ""
    try:
        moment = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    lang = lang or current_language()
    text = format_datetime(moment.astimezone(dt.timezone.utc), "d MMM y, HH:mm", tzinfo=dt.timezone.utc,
                           locale=lang if lang in LANGUAGES else DEFAULT)
    return f"{text} UTC"


def format_range(value: str | None, end: str | None = None, lang: str | None = None) -> str:
    """A date or a range of dates in words: "14 May 2024 – 15 May 2024"."""
    if end and end != value:
        return f"{format_date(value, lang)} – {format_date(end, lang)}"
    return format_date(value, lang)


# Labels of the date filters and of the roles (those of fields and values: model.fields).
DATE_FILTERS = {"from": lazy_gettext("From"), "to": lazy_gettext("To")}
ROLE_NAMES = {"signatory": lazy_gettext("signatory"), "venue": lazy_gettext("venue"),
              "mentioned": lazy_gettext("mentioned"), "deadline": lazy_gettext("deadline"),
              "event": lazy_gettext("event"), "reference": lazy_gettext("reference")}


def facet_name(name: str) -> str:
    """A facet's heading: its field's label, in the interface language."""
    field = BY_NAME.get(name)
    if field is not None and field.is_facet:
        return localise(field.label)
    return str(DATE_FILTERS.get(name, name.replace("_", " ").capitalize()))


def value_label(facet: str, value: str) -> str:
    """How a facet value reads in the interface: "press_release" → "Communiqué de presse"."""
    field = BY_NAME.get(facet)
    if field is not None and field.value_labels:
        fallback = value.upper() if facet == "language" else value.replace("_", " ").capitalize()
        return localise(field.value_labels.get(value, fallback))
    if facet == "role":
        return role_label(value)
    if facet == "city":
        return city_label(value)
    if facet == "country":
        return country_label(value)
    if facet in DATE_FILTERS:
        return format_date(value)
    return value


def city_label(name: str, country: str | None = None) -> str:
    """A city (stored by its English name) in the interface language: Bruxelles, Genève in
    French; Brussels, Geneva in English. Links and filters keep the stored name."""
    from kb.lookups import city_name
    return city_name(name, current_language(), country)


def country_label(code: str) -> str:
    """A country (stored by its ISO code) by its name in the interface language, from
    CLDR: ``BE`` → Belgique / Belgium; an unknown code as it is."""
    return Locale.parse(current_language()).territories.get((code or "").upper(), code)


def quoted_list(items) -> Markup:
    """Words as quotations (``<q>``: the browser quotes them in the page's language), joined
    by commas; escaped.

    >>> str(quoted_list(["haine", "<b>"]))
    '<q>haine</q>, <q>&lt;b&gt;</q>'
    """
    return Markup(", ").join(Markup("<q>%s</q>") % item for item in items)


def role_label(role: str) -> str:
    return str(ROLE_NAMES.get(role, role))


def today(lang: str | None = None) -> str:
    return format_date(dt.date.today().isoformat(), lang)


def choose_language() -> str | None:
    """The cookie's language, else the best one the browser accepts, else English (None
    outside a request: Flask-Babel's default, English)."""
    if not has_request_context():
        return None
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


def _template_gettext(message: str) -> Markup:
    """Templates' ``_``: the translation is text, escaped (the values put in by Jinja's
    i18n extension are escaped too, unless they are Markup)."""
    return escape(get_translations().ugettext(message))


def _template_ngettext(singular: str, plural: str, count: int) -> Markup:
    return escape(get_translations().ungettext(singular, plural, count))


def init_app(app: Flask) -> None:
    """Flask-Babel choosing the language of each request; templates get ``_``, ``ngettext``
    (Jinja's i18n extension, new style: ``_("%(n)s documents", n=3)``) and date filters."""
    app.register_blueprint(bp)
    Babel(app, locale_selector=choose_language, configure_jinja=False)
    app.jinja_env.add_extension("jinja2.ext.i18n")
    app.jinja_env.install_gettext_callables(_template_gettext, _template_ngettext, newstyle=True)

    @app.after_request
    def _vary(response):
        response.vary.add("Accept-Language")
        response.vary.add("Cookie")
        response.headers.setdefault("Content-Language", current_language())
        return response

    app.jinja_env.globals.update(switch_url=switch_url, current_language=current_language, today=today,
                                 LANGUAGES=LANGUAGES, facet_name=facet_name, value_label=value_label,
                                 role_label=role_label, quoted_list=quoted_list, city_label=city_label,
                                 country_label=country_label)
    app.jinja_env.filters["date_label"] = lambda value: format_date(value) or gettext("undated")
    app.jinja_env.filters["date_range"] = format_range
    app.jinja_env.filters["moment"] = format_moment
    app.jinja_env.filters["role_label"] = role_label
