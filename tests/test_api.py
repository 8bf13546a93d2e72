"""The JSON API: search twin, documents, catalog, exports and JSON errors, through the test client."""
from __future__ import annotations

import csv
import io
import json

import pytest

from tests.api_support import MELBOURNE_ID


def error_of(response, status):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json
    body = response.get_json()
    assert set(body) == {"error"} and body["error"]["status"] == status
    return body["error"]["message"]


# -- search ------------------------------------------------------------------------------
@pytest.mark.every_engine
def test_search_is_the_dict_of_the_search_page(client, published):
    data = client.get("/api/search?q=melbourne&city=Brussels").get_json()
    assert data["query"] == "melbourne" and data["filters"] == {"city": ["Brussels"]}
    assert [h["id"] for h in data["hits"]] in ([MELBOURNE_ID], ["melbourne-declaration-2018-en"])
    assert data["total"] == 1 and data["hits"][0]["languages"] == ["en", "fr"]
    city = {e["value"]: e for e in data["facets"]["city"]}
    assert city["Brussels"]["selected"] and city["Brussels"]["count"] >= 1
    assert city["Brussels"]["toggle_url"] == "/api/search?q=melbourne"
    assert not city["Paris"]["selected"]
    assert city["Paris"]["toggle_url"] == "/api/search?q=melbourne&city=Brussels&city=Paris"
    assert data["chips"] == [{"facet": "city", "value": "Brussels", "remove_url": "/api/search?q=melbourne"}]
    assert data["links"]["self"] == "/api/search?q=melbourne&city=Brussels"
    assert data["links"]["html"] == "/search?q=melbourne&city=Brussels"
    assert data["links"]["csv"] == "/api/search.csv?q=melbourne&city=Brussels"
    assert data["links"]["json"] == "/api/search.json?q=melbourne&city=Brussels"
    assert "drafts" not in json.dumps(data) and "brouillon" not in {h["id"] for h in data["hits"]}


@pytest.mark.every_engine
def test_search_pages_and_sorts(client, published):
    first = client.get("/api/search?q=maires&size=5&sort=oldest").get_json()
    assert first["total"] == 13 and first["pages"] == 3 and len(first["hits"]) == 5
    assert first["links"]["next"] == "/api/search?q=maires&size=5&sort=oldest&page=2"
    dates = [h["date"] for h in first["hits"]]
    assert dates == sorted(dates)
    last = client.get(first["links"]["last"]).get_json()
    assert last["page"] == 3 and len(last["hits"]) == 3 and "next" not in last["links"]


@pytest.mark.every_engine
def test_search_filters_and_dates(client, published):
    data = client.get("/api/search?type=statement&type=declaration&from=2018&to=2024-05").get_json()
    assert {h["id"] for h in data["hits"]} <= {MELBOURNE_ID, "melbourne-declaration-2018-en", "montreal-2024"}
    assert data["total"] == 2
    assert {c["facet"] for c in data["chips"]} == {"type", "from", "to"}


@pytest.mark.parametrize("value, expected", [("0", False), ("false", False), ("1", True), ("on", True)])
def test_search_expand_parameter(client, published, value, expected):
    data = client.get(f"/api/search?q=haine&expand={value}").get_json()
    assert data["expand"] is expected and data["interpretation"]["expanded"] is expected


# -- errors --------------------------------------------------------------------------------
def test_unknown_api_route_is_404_json(client, published):
    message = error_of(client.get("/api/nothing/here"), 404)
    assert "/api/openapi.json" in message


def test_an_unknown_document_says_so_not_no_route(client, published):
    assert error_of(client.get("/api/documents/nope"), 404) == "No document with id 'nope'."
    assert "names the city" in error_of(client.get("/api/cities/Nowhere"), 404)


def test_openapi_at_the_root_leads_to_the_document(client, published):
    response = client.get("/openapi.json")
    assert response.status_code == 308 and response.headers["Location"] == "/api/openapi.json"
    assert client.get("/openapi.json", follow_redirects=True).get_json()["openapi"].startswith("3.1")


@pytest.mark.parametrize("query, message", [
    ("to=2018-13", "'to' must be a date"), ("from=2023-02-29", "'from' must be a date"),
    ("from=2019&to=2018-06", "'from' (2019) is after 'to' (2018-06)"),
])
def test_dates_that_are_not_on_the_calendar_are_400(client, published, query, message):
    assert message in error_of(client.get(f"/api/search?{query}"), 400)


def test_wrong_method_is_405_json_with_allow(client, published):
    response = client.post("/api/search")
    assert "use GET" in error_of(response, 405)
    assert response.headers["Allow"] == "GET, HEAD, OPTIONS"
    response = client.delete(f"/api/documents/{MELBOURNE_ID}")
    error_of(response, 405)
    assert response.headers["Allow"] == "GET, HEAD, OPTIONS"


def test_wrong_method_on_a_page_is_405_with_allow(client, published):
    response = client.put("/search")
    assert response.status_code == 405 and response.headers["Allow"] == "GET, HEAD, OPTIONS"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_html_pages_keep_html_errors(client, published):
    response = client.get("/no-such-page")
    assert response.status_code == 404 and response.mimetype == "text/html"


def test_server_errors_are_json_without_traceback(settings, published, monkeypatch, make_app):
    from webapp.views import api

    app = make_app({"KB_SETTINGS": settings, "TESTING": False, "PROPAGATE_EXCEPTIONS": False})

    def broken(store):
        raise RuntimeError("secret internals")
    monkeypatch.setattr(api, "catalog_for", broken)
    message = error_of(app.test_client().get("/api/cities"), 500)
    assert "secret" not in message and "Traceback" not in message


# -- documents -----------------------------------------------------------------------------
@pytest.mark.every_engine
def test_document_with_metadata_text_and_extraction(client, published):
    data = client.get(f"/api/documents/{MELBOURNE_ID}").get_json()
    assert data["title"] == "Déclaration de Melbourne" and data["date"] == "2018-07"
    assert data["text"].startswith("Les maires de Bruxelles")
    assert data["source_url"] == "https://example.org/melbourne"
    assert [c["name"] for c in data["extraction"]["cities"]] == ["Brussels", "Paris"]
    assert len(data["extraction"]["commitments"]) == 2
    assert data["links"] == {"self": f"/api/documents/{MELBOURNE_ID}", "html": f"/documents/{MELBOURNE_ID}",
                             "similar": f"/api/documents/{MELBOURNE_ID}/similar"}


@pytest.mark.every_engine
@pytest.mark.parametrize("doc_id", ["brouillon", "no-such-document"])
def test_unknown_or_draft_document_is_404_json(client, published, doc_id):
    assert doc_id in error_of(client.get(f"/api/documents/{doc_id}"), 404)
    error_of(client.get(f"/api/documents/{doc_id}/similar"), 404)


@pytest.mark.every_engine
def test_similar_documents_leave_out_translations_and_drafts(client, published):
    data = client.get(f"/api/documents/{MELBOURNE_ID}/similar?limit=3").get_json()
    ids = [d["id"] for d in data["similar"]]
    assert data["limit"] == 3 and 0 < len(ids) <= 3
    assert MELBOURNE_ID not in ids and "melbourne-declaration-2018-en" not in ids and "brouillon" not in ids
    assert data["similar"][0]["url"] == f"/api/documents/{ids[0]}"


@pytest.mark.parametrize("limit", ["0", "51", "many"])
def test_bad_similar_limit(client, published, limit):
    error_of(client.get(f"/api/documents/{MELBOURNE_ID}/similar?limit={limit}"), 400)


# -- catalog ----------------------------------------------------------------------------------
@pytest.mark.every_engine
def test_cities(client, published):
    data = client.get("/api/cities").get_json()
    assert [c["name"] for c in data["cities"]] == ["Brussels", "Montreal", "Paris"]
    brussels = data["cities"][0]
    assert brussels["document_count"] == 2 and brussels["roles"] == {"signatory": 2}
    assert brussels["url"] == "/api/cities/Brussels?country=BE"
    assert data["total"] == 3
    assert [c["name"] for c in client.get("/api/cities?country=ca").get_json()["cities"]] == ["Montreal"]


def test_one_city(client, published):
    data = client.get("/api/cities/montréal").get_json()
    assert data["name"] == "Montreal" and data["documents"][0]["url"] == "/api/documents/montreal-2024"
    assert "Lyon" in error_of(client.get("/api/cities/Lyon"), 404)      # only in a draft
    error_of(client.get("/api/cities/Brussels?country=FR"), 404)


def test_organisations_and_themes(client, published):
    organisations = client.get("/api/organisations").get_json()
    assert organisations["organisations"][0]["name"] == "Strong Cities Network"
    themes = {t["id"]: t for t in client.get("/api/themes").get_json()["themes"]}
    assert themes["violent-extremism"]["document_count"] == 1
    assert themes["hate-and-discrimination"]["commitment_count"] == 1


def test_commitments_search_filters_and_links(client, published):
    data = client.get("/api/commitments?q=extremisme&country=BE").get_json()
    assert data["total"] == 1
    assert data["commitments"][0]["document_url"] == f"/api/documents/{MELBOURNE_ID}"
    assert data["links"]["csv"] == "/api/commitments.csv?q=extremisme&country=BE"
    everything = client.get("/api/commitments?size=2").get_json()
    assert everything["total"] == 3 and everything["links"]["next"] == "/api/commitments?size=2&page=2"
    assert "Un engagement non publié." not in json.dumps(everything)


BAD_PARAMETERS = {
    "search": {"page=0": "page number must be between 1 and", "page=5.0": "'page' must be a whole number",
               "from=2020-13-45": "'from' must be a date", "to=2023-02-29": "'to' must be a date",
               "kind=promise": "'kind' is one of", "year=20x8": "'year' must be a year", "city=": "'city' is empty",
               "expand=": "'expand' must be 1 or 0", "sort=": "Unknown sort", "page=two": "'page' must be a whole number",
               "size=0": "page size must be between 1 and 100", "sort=best": "Unknown sort 'best'",
               "size=1000": "page size must be between 1 and 100", "to=yesterday": "'to' must be a date",
               "from=2016-4": "'from' must be a date", "q=%22unclosed": "Unclosed quote",
               "q=AND+AND": "'AND' needs a word", "q=colour:red": "Unknown field 'colour:'",
               "colour=red": "Unknown parameter 'colour'", "expand=maybe": "'expand' must be 1 or 0"},
    "commitments": {"colour=red": "Unknown parameter 'colour'", "year=20x8": "'year' must be a year",
                    "q=%22unclosed": "Unclosed quote", "deadline=soon": "'deadline' must be a year",
                    "kind=promise": "'kind' is one of", "actor=": "'actor' is empty", "page=+2": "whole number",
                    "page=0": "'page' must be between 1", "size=500": "'size' must be between 1 and 100"},
}


@pytest.mark.parametrize("route, query, message", [(route, query, message) for route, cases in BAD_PARAMETERS.items()
                                                   for query, message in cases.items()])
def test_bad_parameters_are_400_json(client, published, route, query, message):
    assert message in error_of(client.get(f"/api/{route}?{query}"), 400)
    if route == "commitments" and "page" not in query and "size" not in query:   # the export too
        assert message in error_of(client.get(f"/api/commitments.csv?{query}"), 400)



# -- exports ------------------------------------------------------------------------------
def read_csv(response) -> list[dict[str, str]]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeffid,") or text.startswith("\ufeffdocument_id,")   # UTF-8 with its BOM
    return list(csv.DictReader(io.StringIO(text[1:])))


@pytest.mark.every_engine
def test_search_csv_has_every_match_not_one_page(client, published, monkeypatch):
    monkeypatch.setattr("kb.export.PAGE_SIZE", 4)      # several pages behind one download
    response = client.get("/api/search.csv?q=maires&page=2&size=3")   # page and size: ignored
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="search-maires.csv"'
    rows = read_csv(response)
    assert len(rows) == 13 and len({r["id"] for r in rows}) == 13
    assert rows[0].keys() >= {"id", "title", "date", "cities", "languages"}
    melbourne = next(r for r in rows if r["id"] in (MELBOURNE_ID, "melbourne-declaration-2018-en"))
    assert melbourne["languages"] == "en; fr" and melbourne["countries"]
    assert melbourne["url"] == f"http://localhost/documents/{melbourne['id']}"
    assert {r["title"] for r in rows if r["id"].startswith("maires-")} == {f"'-Maires {n:02d}" for n in range(12)}


@pytest.mark.every_engine
def test_search_json_export(client, published, monkeypatch):
    monkeypatch.setattr("kb.export.PAGE_SIZE", 5)
    response = client.get("/api/search.json?q=haine&type=report")
    assert response.headers["Content-Disposition"] == 'attachment; filename="search-haine.json"'
    data = json.loads(response.get_data(as_text=True))
    assert data["total"] == 12 == len(data["hits"]) and data["filters"] == {"type": ["report"]}
    assert all(hit["url"] == "http://localhost/documents/" + hit["id"] for hit in data["hits"])


def test_bad_export_is_400_json_not_a_broken_download(client, published):
    assert "Unclosed quote" in error_of(client.get("/api/search.csv?q=%22x"), 400)
    error_of(client.get("/api/search.json?sort=sideways"), 400)
    error_of(client.get("/api/search.csv?colour=red"), 400)
    error_of(client.get("/api/search.xml"), 404)


def test_commitments_csv_is_safe_for_spreadsheets(client, published):
    response = client.get("/api/commitments.csv?document=" + MELBOURNE_ID)
    assert response.headers["Content-Disposition"] == 'attachment; filename="commitments.csv"'
    rows = read_csv(response)
    assert [r["number"] for r in rows] == ["1", "2"]
    assert rows[1]["text"] == "'=HYPERLINK(\"http://evil\")" and rows[1]["actor"] == "'@maires"
    assert rows[0]["cities"] == "Brussels; Paris" and rows[0]["kind"] == "pledge"
    assert rows[1]["url"] == f"http://localhost/documents/{MELBOURNE_ID}#c-2"


def test_commitments_json_export(client, published):
    response = client.get("/api/commitments.json?q=cohesion")
    assert response.headers["Content-Disposition"] == 'attachment; filename="commitments-cohesion.json"'
    data = json.loads(response.get_data(as_text=True))
    assert data["total"] == 1 and data["commitments"][0]["actor"] == "The Mayor of Montréal"


def test_commitments_searched_in_the_other_language(client, published):
    """The API's explorer reads words as search does: their equivalents are searched too
    and listed (``expansions``); expand=0 searches the words as typed."""
    body = client.get("/api/commitments?q=cohésion sociale").get_json()
    assert body["expansions"][0]["text"] == "cohésion sociale"
    assert "social cohesion" in body["expansions"][0]["alternatives"]
    assert [c["text"] for c in body["commitments"]] == ["We commit to social cohesion."]
    alone = client.get("/api/commitments?q=cohésion sociale&expand=0").get_json()
    assert alone["expansions"] == [] and alone["commitments"] == []
    assert client.get("/api/commitments?q=haine&expand=maybe").status_code == 400


def test_commitment_flags_are_checked_without_words_too(client, published):
    assert client.get("/api/commitments?translate=AAA").status_code == 400
    assert client.get("/api/commitments.csv?expand=maybe").status_code == 400
