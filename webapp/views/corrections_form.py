"""The corrections part of the staff edit form: what extraction found, with a "remove"
box per item, and rows to add what it missed; parsed back into the ``corrections:``
front matter (``indexer.corrections``).

Fields (WTForms, mixed into ``forms.EditForm``): ``city_remove``, ``date_remove``,
``commitment_remove``, ``organisation_remove`` (repeated, the item's value); the rows
``city_add-N-name``, ``city_add-N-country``, ``city_add-N-role``; ``date_add-N-value``,
``date_add-N-end``, ``date_add-N-role``; ``commitment_add-N-text``, ``commitment_add-N-actor``.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from flask_babel import gettext
from wtforms import FieldList, Form, FormField, SelectMultipleField, StringField

from indexer import frontmatter
from indexer.corrections import CITY_ROLES, DATE_ROLES, apply_corrections, validate_corrections
from indexer.errors import DocumentError
from model.record import Extraction

from ..i18n import city_label, country_label, role_label

BLANK_ROWS = 2
MAX_ROWS = 50


def squash(value: str | None) -> str:
    """Spaces and line breaks as single spaces, none at the ends (a filter of text fields)."""
    return " ".join((value or "").split())


def _text() -> StringField:
    return StringField(default="", filters=[squash])


class CityRow(Form):
    name, country, role = _text(), _text(), _text()


class DateRow(Form):
    value, end, role = _text(), _text(), _text()


class CommitmentRow(Form):
    text, actor = _text(), _text()


def _removed() -> SelectMultipleField:
    return SelectMultipleField(validate_choice=False)      # the values of the ticked items


class CorrectionFields:
    """The corrections' fields, for a form class to inherit."""
    city_remove, date_remove, commitment_remove, organisation_remove = (
        _removed(), _removed(), _removed(), _removed())
    city_add = FieldList(FormField(CityRow), max_entries=MAX_ROWS)
    date_add = FieldList(FormField(DateRow), max_entries=MAX_ROWS)
    commitment_add = FieldList(FormField(CommitmentRow), max_entries=MAX_ROWS)


def _rows(rows: FieldList, filled: tuple[str, ...]) -> list[dict[str, str]]:
    """The rows in which one of ``filled`` has a value."""
    return [row.data for row in rows if any(row.data[name] for name in filled)]


def _chosen(field: SelectMultipleField) -> list[str]:
    return list(dict.fromkeys(v for v in field.data or () if v.strip()))


def parse(form: CorrectionFields, text: str) -> tuple[dict[str, Any], dict[str, str]]:
    """(corrections, errors by section) from the submitted form; ``text`` is the document's
    plain text, which added commitments must come from."""
    errors: dict[str, str] = {}
    corrections: dict[str, dict[str, list]] = {}

    def put(section: str, key: str, values: list) -> None:
        if values:
            corrections.setdefault(section, {})[key] = values

    put("cities", "remove", _chosen(form.city_remove))
    put("dates", "remove", _chosen(form.date_remove))
    put("commitments", "remove", _chosen(form.commitment_remove))
    put("organisations", "remove", _chosen(form.organisation_remove))

    cities = []
    for row in _rows(form.city_add, ("name", "country")):
        place = _find_city(row["name"], row["country"].upper())
        if not row["name"]:
            errors["cities"] = gettext("An added city needs its name, not only a country.")
            continue
        if place is None:
            errors["cities"] = gettext("No city called “%(name)s” (country: %(country)s) in the gazetteer: "
                                       "check the spelling (any language) and the two-letter country code.",
                                       name=row["name"], country=row["country"].upper() or "–")
            continue
        role = row["role"] if row["role"] in CITY_ROLES else "mentioned"
        cities.append({"name": place.name, "country": place.country, "role": role})
    put("cities", "add", cities)

    dates = []
    for row in _rows(form.date_add, ("value", "end")):
        wrong = [value for value in (row["value"], row["end"]) if value and not _is_date(value)]
        if wrong:
            errors["dates"] = gettext("An added date “%(date)s” is not a real date written YYYY, YYYY-MM "
                                      "or YYYY-MM-DD.", date=wrong[0])
            continue
        item = {"value": row["value"], "role": row["role"] if row["role"] in DATE_ROLES else "reference"}
        if row["end"]:
            item["end"] = row["end"]
        dates.append(item)
    put("dates", "add", dates)

    commitments = []
    folded_text = " ".join(text.split()).casefold()
    for row in _rows(form.commitment_add, ("text", "actor")):
        if not row["text"]:
            errors["commitments"] = gettext("An added commitment needs its text, not only an actor.")
            continue
        if row["text"].casefold() not in folded_text:
            errors["commitments"] = gettext("An added commitment must be a sentence of the text, copied "
                                            "exactly: “%(text)s” is not in it.", text=row["text"][:80])
            continue
        item = {"text": row["text"]}
        if row["actor"]:
            item["actor"] = row["actor"]
        commitments.append(item)
    put("commitments", "add", commitments)
    try:
        corrections = validate_corrections(corrections, Path("form"))
    except DocumentError as exc:
        problem = exc.problem.removeprefix("'corrections': ")
        errors["corrections"] = problem[:1].upper() + problem[1:] + "."
    return corrections, errors


def _is_date(value: str) -> bool:
    try:
        frontmatter.normalise_date(value, Path("form"))
    except DocumentError:
        return False
    return True


def _find_city(name: str, country: str):
    from indexer.extract.gazetteer import load_gazetteer

    if not name:
        return None
    places = load_gazetteer().lookup(name)
    if country:
        places = [p for p in places if p.country == country]
    return places[0] if places else None


def view(raw: Extraction, corrections: Mapping[str, Any]) -> dict[str, Any]:
    """What the template shows: every extracted item with whether it is removed, the
    additions as editable rows (plus blank ones), and the corrected extraction."""
    corrections = dict(corrections or {})
    section = lambda name: corrections.get(name) or {}   # noqa: E731
    folded = lambda values: {" ".join(str(v).split()).casefold() for v in values}   # noqa: E731
    city_gone = folded(section("cities").get("remove", ()))
    date_gone = set(section("dates").get("remove", ()))
    commitment_gone = folded(section("commitments").get("remove", ()))
    organisation_gone = folded(section("organisations").get("remove", ()))
    return {
        "cities": [{"value": c.name, "label": f"{city_label(c.name, c.country)} ({country_label(c.country)})",
                    "detail": ", ".join(role_label(r) for r in c.roles),
                    "surface": ", ".join(c.surface), "removed": c.name.casefold() in city_gone}
                   for c in raw.cities],
        "dates": [{"value": d.value, "label": d.value + (f" – {d.end}" if d.end else ""),
                   "detail": role_label(d.role), "surface": d.surface, "removed": d.value in date_gone}
                  for d in raw.dates],
        "commitments": [{"value": c.text, "label": c.text, "detail": c.actor,
                         "surface": ", ".join(c.themes),
                         "removed": " ".join(c.text.split()).casefold() in commitment_gone}
                        for c in raw.commitments],
        "organisations": [{"value": o.name, "label": o.name, "detail": "",
                           "surface": ", ".join(o.surface), "removed": o.name.casefold() in organisation_gone}
                          for o in raw.organisations],
        "city_rows": list(section("cities").get("add", ())) + [{}] * BLANK_ROWS,
        "date_rows": list(section("dates").get("add", ())) + [{}] * BLANK_ROWS,
        "commitment_rows": list(section("commitments").get("add", ())) + [{}] * BLANK_ROWS,
        "corrected": apply_corrections(raw, corrections).to_dict(),
        "city_roles": CITY_ROLES,
        "date_roles": DATE_ROLES,
    }
