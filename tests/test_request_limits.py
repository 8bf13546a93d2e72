"""One anonymous request must not take the machine down: the number of parameters, of
values of one parameter and the length of a value are bounded (settings, a 400 above),
and the links a page builds from the request add up to a size linear in it (4,000
``organisation=`` values made a page of 1.24 GB: every chip linked to all the others)."""
from __future__ import annotations

import dataclasses
import html
from urllib.parse import urlencode

import pytest

from tests.test_api import error_of

ROUTES = ("/search", "/api/search", "/api/search.csv", "/commitments", "/api/commitments",
          "/api/commitments.json")


def values(name: str, count: int, prefix: str = "Organisation") -> str:
    return urlencode([("q", "maires")] + [(name, f"{prefix} {n}") for n in range(count)])


@pytest.mark.parametrize("route", ROUTES)
def test_too_many_values_of_one_parameter_is_a_400(client, published, route):
    name = "actor" if "commitments" in route else "organisation"
    assert client.get(f"{route}?{values(name, 10)}").status_code == 200
    response = client.get(f"{route}?{values(name, 11)}")
    assert response.status_code == 400
    message = "'%s' is given 11 times; at most 10 values of one parameter are accepted." % name
    if route.startswith("/api/"):
        assert error_of(response, 400) == message
    else:
        assert message in html.unescape(response.get_data(as_text=True))


def test_too_many_parameters_or_too_long_a_value_is_a_400(client, published):
    many = urlencode([("q", "maires")] + [(f"p{n}", "1") for n in range(120)])
    assert error_of(client.get(f"/api/search?{many}"), 400) == \
        "This request has 121 parameters; at most 120 are accepted."
    long = urlencode([("city", "Paris" * 201)])
    assert error_of(client.get(f"/api/commitments?{long}"), 400) == \
        "'city' is 1005 characters long; at most 1000 are accepted."


def test_the_refusal_is_said_in_french_on_the_pages(client, published):
    page = client.get(f"/search?{values('organisation', 11)}", headers={"Accept-Language": "fr"})
    assert page.status_code == 400
    assert "« organisation » est donné 11 fois ; au plus 10 valeurs d’un même paramètre sont acceptées." \
        in html.unescape(page.get_data(as_text=True))


@pytest.fixture
def lenient_client(settings, make_app, published):
    """A client of an app whose bounds let thousands of values through."""
    lenient = dataclasses.replace(settings, max_facet_values=10_000, max_parameters=10_000)
    return make_app({"KB_SETTINGS": lenient, "TESTING": True}).test_client()


@pytest.mark.parametrize("route, name", [("/search", "organisation"), ("/api/search", "organisation"),
                                         ("/commitments", "organisation"), ("/commitments", "document")])
def test_links_built_from_a_request_grow_linearly_with_it(lenient_client, route, name):
    sizes = {}
    for count in (400, 1600):
        query = values(name, count)
        response = lenient_client.get(f"{route}?{query}")
        assert response.status_code == 200
        sizes[count] = len(response.get_data())
    # four times the values: at most about four times the bytes (sixteen before: quadratic)
    assert sizes[1600] < 6 * sizes[400], sizes
    assert sizes[1600] < 300 * len(values(name, 1600)) + 512 * 1024, sizes


def test_two_thousand_parameters_are_refused_before_any_search(client, published, monkeypatch):
    """2,001 query parameters took 7.5 s to answer: refused before anything is searched."""
    def searched(*args, **kwargs):
        raise AssertionError("searched")
    monkeypatch.setattr("webapp.views.api.search", searched)
    query = urlencode([("q", "maires")] + [("city", f"Ville {n}") for n in range(2000)])
    response = client.get(f"/api/search?{query}")
    assert response.status_code == 400 and "parameters" in response.get_json()["error"]["message"]
