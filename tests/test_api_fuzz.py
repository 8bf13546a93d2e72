"""The API fuzzed from its own description: Schemathesis generates requests from
/api/openapi.json (valid ones, invalid ones, and methods the document does not list) and
checks every answer against it: no 500, every status, media type and body as documented,
a request the document allows accepted, one it does not refused, a 405 with its Allow
header. Bounded in examples and time (15 s, some 3,000 requests); the same run for 9
minutes found 19 failures before the document said what the endpoints accept."""
from __future__ import annotations

import collections
import time

import pytest
import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import events
from schemathesis.engine.run import PhaseName

from kb.config import Settings
from kb.query import QueryError, check_phrases
from kb.search import SearchRequest, search

EXAMPLES = 6            # per operation, in the fuzzing phase
MAX_SECONDS = 15        # the whole run stops there: the examples and the coverage phases take
                        # about 7 s, the fuzzing phase the rest
MAX_PARAMETERS = Settings().max_parameters
QUERY_REFUSED: dict = {}      # "search": whether the index refuses a query (QueryError)


@schemathesis.check
def refusal_explained(ctx, response, case) -> None:
    """Schemathesis's positive_data_acceptance, less what JSON Schema cannot say: a request
    the document allows may still be refused for its query (an unclosed quote, an operator
    without a word, only common words), for a date range backwards, or for asking more
    than ``max_parameters`` values in all."""
    if case.meta is None or not case.meta.generation.mode.is_positive or response.status_code != 400:
        return None
    query = case.query or {}
    if sum(len(v) if isinstance(v, list) else 1 for v in query.values()) > MAX_PARAMETERS:
        return None
    start, end = str(query.get("from", "")), str(query.get("to", ""))
    if start and end and start[:len(end)] > end:       # 'from' after 'to': a date range backwards
        return None
    q, expand = str(query.get("q", "")), str(query.get("expand", "1")) not in ("0", "false", "no", "off")
    try:
        check_phrases(q) if "commitments" in case.operation.label else QUERY_REFUSED["search"](q, expand)
    except QueryError:
        return None
    raise AssertionError(f"A request the document allows was refused: {response.text[:300]}")


@pytest.fixture
def fuzzed(settings, published, make_app):
    QUERY_REFUSED["search"] = lambda q, expand: search(published, SearchRequest(query=q, expand=expand))
    app = make_app({"KB_SETTINGS": settings, "TESTING": True, "PROPAGATE_EXCEPTIONS": False})
    config = SchemathesisConfig.from_dict({
        "seed": 15, "max-time": MAX_SECONDS,
        "generation": {"max-examples": EXAMPLES, "mode": "all", "deterministic": True, "database": "none"},
        "phases": {"stateful": {"enabled": False}},
        "checks": {"positive_data_acceptance": {"enabled": False}},
    })
    return schemathesis.openapi.from_wsgi("/api/openapi.json", app, config=config)


@pytest.mark.filterwarnings("ignore:Generating overly large repr")
def test_the_api_answers_as_its_document_says(fuzzed):
    started = time.monotonic()
    failures, calls, operations = collections.Counter(), 0, set()
    examples = {}
    per_phase = collections.Counter()
    for event in schemathesis.engine.from_schema(fuzzed).execute():
        if isinstance(event, events.ScenarioFinished):
            operations.add(event.recorder.label)
            calls += len(event.recorder.interactions)
            per_phase[event.phase] += len(event.recorder.interactions)
            for case_id, checks in event.recorder.checks.items():
                for check in checks:
                    if check.failure_info is not None:
                        key = (event.recorder.label, check.name)
                        failures[key] += 1
                        case = event.recorder.cases[case_id].value
                        examples.setdefault(key, f"{case.method} {case.formatted_path} {case.query}: "
                                                 f"{check.failure_info.failure.title}")
        elif isinstance(event, (events.NonFatalError, events.FatalError)):
            failures[("error", str(getattr(event, "value", event)))] += 1
    print(f"{calls} requests to {len(operations)} operations in {time.monotonic() - started:.1f} s: "
          f"{dict(per_phase)}")
    assert not failures, "\n".join(f"{n} × {key}: {examples.get(key, '')}" for key, n in failures.items())
    documented = {f"{method.upper()} {path}" for path, item in fuzzed.raw_schema["paths"].items() for method in item}
    assert operations == documented - {"GET /api/openapi.json"}    # every route but the document itself
