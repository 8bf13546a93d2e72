"""A document as a reference a researcher can import: CSL-JSON, BibTeX and RIS.

The reference is built once (``reference``, as a CSL-JSON item, the format the others
are written from): its authors are the organisations that published the document, as
its front matter names them (``Record.organisations``: a person decided), never the
organisations the extraction found in its text; its URL is where it was published (or
its page here); its date as precise as the document's; the date it was accessed.
BibTeX is written by ``bibtexparser`` with every value encoded for LaTeX (``pylatexenc``:
braces, ``&``, ``%``, accents), RIS by ``rispy`` with every value on one line, so that
no title can end an entry or add a field.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any, Mapping

from model.fields import BY_NAME

# CSL and RIS types by document type (model.fields: type); others are generic.
CSL_TYPES = {"report": "report", "article": "article", "guide": "report"}
RIS_TYPES = {"report": "RPRT", "article": "NEWS", "press_release": "PRESS"}
FORMATS = {"bib": "application/x-bibtex", "ris": "application/x-research-info-systems",
           "json": "application/vnd.citationstyles.csl+json"}


def one_line(text: Any) -> str:
    """Whitespace (new lines too) as single spaces.

    >>> one_line(" Déclaration\\nER  - de   Melbourne ")
    'Déclaration ER - de Melbourne'
    """
    return " ".join(str(text or "").split())


def date_parts(value: str | None) -> list[int]:
    """[year, month, day] of an ISO date, as many as it has: ``2018-07`` → [2018, 7]."""
    return [int(part) for part in re.findall(r"\d+", value or "")[:3]]


def reference(document: Mapping[str, Any], url: str, accessed: dt.date) -> dict[str, Any]:
    """The CSL-JSON item of ``document`` (``kb.search.document_dict``'s, with its front
    matter's ``publishers``).

    >>> item = reference({"id": "m-2018", "title": "Déclaration", "type": "declaration", "language": "fr",
    ...                   "date": "2018-07", "publishers": ["Strong Cities Network"]},
    ...                  "https://example.org/m", dt.date(2024, 5, 1))
    >>> item["author"], item["issued"], item["accessed"], item["type"], item["genre"]
    ([{'literal': 'Strong Cities Network'}], {'date-parts': [[2018, 7]]}, {'date-parts': [[2024, 5, 1]]}, 'document', 'Declaration')
    """
    item: dict[str, Any] = {
        "id": document["id"],
        "type": CSL_TYPES.get(document.get("type", ""), "document"),
        "title": one_line(document["title"]),
        "author": [{"literal": one_line(name)} for name in document.get("publishers") or [] if one_line(name)],
        "URL": url,
        "accessed": {"date-parts": [[accessed.year, accessed.month, accessed.day]]},
        "language": document.get("language") or "",
    }
    label = BY_NAME["type"].value_labels.get(document.get("type", ""))
    if label is not None and document.get("type") != "unknown":
        item["genre"] = label.template         # English: "Declaration", "Press release"
    if date_parts(document.get("date")):
        item["issued"] = {"date-parts": [date_parts(document.get("date"))]}
    return {key: value for key, value in item.items() if value not in ("", [], None)}


def csl_json(item: Mapping[str, Any]) -> str:
    """A CSL-JSON file: a list of one item."""
    return json.dumps([item], ensure_ascii=False, indent=2) + "\n"


def bibtex(item: Mapping[str, Any]) -> str:
    """One ``@misc`` entry; corporate authors in braces (not split into first and last
    names), every value encoded for LaTeX.

    >>> print(bibtex({"id": "a-1", "title": "50% {unbalanced", "author": [{"literal": "Ville & Cité"}],
    ...               "issued": {"date-parts": [[2018, 7]]}, "URL": "https://e.org/a_b",
    ...               "accessed": {"date-parts": [[2024, 5, 1]]}, "language": "fr"}), end="")
    @misc{a-1,
      author = {{Ville \\& Cit\\'e}},
      title = {50\\% \\{unbalanced},
      year = {2018},
      month = {7},
      url = {https://e.org/a_b},
      urldate = {2024-05-01},
      language = {french}
    }
    """
    import bibtexparser
    from bibtexparser.model import Entry, Field
    from pylatexenc.latexencode import unicode_to_latex

    def latex(text: str) -> str:
        return unicode_to_latex(one_line(text), non_ascii_only=False, unknown_char_policy="keep")

    fields: list[tuple[str, str]] = []
    if item.get("author"):
        fields.append(("author", " and ".join("{%s}" % latex(a["literal"]) for a in item["author"])))
    fields.append(("title", latex(item["title"])))
    parts = (item.get("issued") or {}).get("date-parts", [[]])[0]
    if parts:
        fields.append(("year", str(parts[0])))
    if len(parts) > 1:
        fields.append(("month", str(parts[1])))
    if item.get("genre"):
        fields.append(("note", latex(item["genre"])))
    fields.append(("url", one_line(item["URL"]).replace("{", "%7B").replace("}", "%7D")))
    accessed = item["accessed"]["date-parts"][0]
    fields.append(("urldate", "%04d-%02d-%02d" % tuple(accessed)))
    if item.get("language"):
        fields.append(("language", {"fr": "french", "en": "english"}.get(item["language"], item["language"])))
    entry = Entry("misc", re.sub(r"[^\w:.-]", "-", item["id"]), [Field(k, v) for k, v in fields])
    layout = bibtexparser.BibtexFormat()
    layout.indent = "  "
    return bibtexparser.write_string(bibtexparser.Library([entry]), bibtex_format=layout)


def ris(item: Mapping[str, Any], document_type: str = "") -> str:
    """One RIS record (``TY`` … ``ER``), every value on one line.

    >>> print(ris({"id": "a-1", "title": "Une\\nER  - ligne", "author": [{"literal": "AIMF"}],
    ...            "issued": {"date-parts": [[2016, 4, 8]]}, "URL": "https://e.org/a",
    ...            "accessed": {"date-parts": [[2024, 5, 1]]}, "language": "fr", "genre": "Press release"},
    ...           "press_release"), end="")
    TY  - PRESS
    ID  - a-1
    TI  - Une ER - ligne
    AU  - AIMF
    PY  - 2016
    DA  - 2016/04/08/
    UR  - https://e.org/a
    Y2  - 2024/05/01/
    LA  - fr
    M3  - Press release
    ER  - 
    """
    import rispy

    parts = (item.get("issued") or {}).get("date-parts", [[]])[0]
    record: dict[str, Any] = {"type_of_reference": RIS_TYPES.get(document_type, "GEN"), "id": one_line(item["id"]),
                              "title": one_line(item["title"])}
    if item.get("author"):
        record["authors"] = [one_line(a["literal"]) for a in item["author"]]
    if parts:
        record["year"] = str(parts[0])
        record["date"] = "/".join([f"{parts[0]:04d}", *(f"{p:02d}" for p in parts[1:])]) + "/" * (4 - len(parts))
    record["urls"] = [one_line(item["URL"])]
    accessed = item["accessed"]["date-parts"][0]
    record["access_date"] = "%04d/%02d/%02d/" % tuple(accessed)
    if item.get("language"):
        record["language"] = item["language"]
    if item.get("genre"):
        record["type_of_work"] = one_line(item["genre"])
    class Writer(rispy.RisWriter):
        def set_header(self, count: int) -> str:
            return ""          # no "1." line: the record starts the file, with TY

    return rispy.dumps([record], implementation=Writer)
