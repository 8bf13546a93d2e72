"""The links pages build from the current URL parameters (webapp/links.py)."""
from __future__ import annotations

import doctest

from flask import Flask, url_for

import webapp.links
from webapp.links import links_to


def test_docstring_examples():
    result = doctest.testmod(webapp.links)
    assert result.attempted > 0 and result.failed == 0


def test_links_to_writes_what_url_for_writes():
    app = Flask("links")
    app.add_url_rule("/search", "search", lambda: "")
    app.add_url_rule("/cities/<name>", "city", lambda name: "")
    args = {"q": ['"l’extrémisme" OR haine/hate', "a&b=c"], "city": ["Liège", "São Paulo"],
            "type": ["déclaration"], "empty": [], "page": ["2"]}
    with app.test_request_context(base_url="http://localhost/prefix"):
        for endpoint, view_args in (("search", {}), ("city", {"name": "Saint-Louis"})):
            assert links_to(endpoint, **view_args)(args) == url_for(endpoint, **view_args, **args)
            assert links_to(endpoint, **view_args)({}) == url_for(endpoint, **view_args)
