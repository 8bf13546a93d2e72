"""Shared fixtures: per-test corpus and data folders, a document factory, the app and client."""
from __future__ import annotations

import hashlib
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from kb.config import ENGINES, load_settings
from kb.index import open_index
from kb.sync import sync_index
from model.record import Record

REPO = Path(__file__).resolve().parent.parent
pytest_plugins = ["tests.typesense.fixtures"]     # the typesense_cluster fixture


class CorpusFactory:
    """Writes corpus files into a temporary folder: ``make_document(**overrides)``."""

    def __init__(self, root: Path):
        self.root = root
        self.count = 0

    def make_document(self, body: str = "Nous nous engageons à lutter contre la haine.",
                      path: str | None = None, **meta) -> Path:
        self.count += 1
        defaults = {"id": f"doc-{self.count}", "title": f"Document {self.count}",
                    "type": "declaration", "language": "fr"}
        fields = {**defaults, **meta}
        fields = {k: v for k, v in fields.items() if v is not None}
        target = self.root / (path or f"{fields.get('type', 'unknown')}/{fields.get('id', self.count)}.md")
        target.parent.mkdir(parents=True, exist_ok=True)
        front = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False)
        target.write_text(f"---\n{front}---\n{textwrap.dedent(body).strip()}\n", encoding="utf-8")
        return target

    def write(self, path: str, content: str | bytes) -> Path:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
        return target


@dataclass(frozen=True)
class EngineCase:
    """A search engine the engine-dependent tests run on."""
    name: str                       # the ``engine`` setting
    marks: tuple = ()               # e.g. a marker that a run can deselect
    fixture: str | None = None      # a fixture giving more settings (servers, keys), if any
    module_fixture: str | None = None   # the same, for fixtures of module scope


# The tests marked ``every_engine`` run once per entry. Typesense runs them on the
# session's local cluster (tests/typesense/fixtures.py: typesense_settings gives each test
# a collection of its own there); ``-m "not typesense"`` leaves them out.
ENGINES_UNDER_TEST = (EngineCase("tantivy"), EngineCase("whoosh"),
                      EngineCase("typesense", (pytest.mark.typesense,), "typesense_settings",
                                 "typesense_module_settings"))
DEFAULT_ENGINE = EngineCase(ENGINES[0])      # the other tests: the default engine


def pytest_generate_tests(metafunc):
    if "engine" in metafunc.fixturenames and metafunc.definition.get_closest_marker("every_engine"):
        metafunc.parametrize("engine", [pytest.param(case, id=case.name, marks=case.marks)
                                        for case in ENGINES_UNDER_TEST], indirect=True)


@pytest.fixture(scope="session")
def engine(request) -> EngineCase:
    """The engine of ``settings``: the default one, or each of ENGINES_UNDER_TEST for a
    test marked ``every_engine``."""
    return getattr(request, "param", DEFAULT_ENGINE)


def engine_environment(settings) -> dict[str, str]:
    """The environment a ``kb`` process needs to open the index of ``settings``: the
    engine, and a remote engine's connection settings (KB_TYPESENSE_*)."""
    env = {"KB_ENGINE": settings.engine}
    if settings.engine == "typesense":
        for name in ("typesense_nodes", "typesense_api_key", "typesense_collection", "typesense_timeout",
                     "typesense_write_timeout"):
            env["KB_" + name.upper()] = str(getattr(settings, name))
    return env


# Where each engine with a folder of its own keeps, in the index folder, the version of
# its format and its table of contents (tests that damage an index on disk).
INDEX_FILES = {"tantivy": {"format": "TANTIVY_FORMAT", "contents": "meta.json"},
               "whoosh": {"format": "SCHEMA_VERSION", "contents": "_MAIN_*.toc"}}


@pytest.fixture
def index_files(settings) -> dict[str, str]:
    """INDEX_FILES of the engine of ``settings`` (a test of a remote engine is skipped:
    name it first, so that the skip comes before the other fixtures are built)."""
    if settings.engine not in INDEX_FILES:
        pytest.skip(f"the {settings.engine} engine keeps no index folder")
    return INDEX_FILES[settings.engine]


@pytest.fixture
def corpus(tmp_path) -> CorpusFactory:
    root = tmp_path / "corpus"
    root.mkdir()
    return CorpusFactory(root)


@pytest.fixture
def settings(tmp_path, corpus, engine, request):
    more = request.getfixturevalue(engine.fixture) if engine.fixture else {}
    return load_settings({"corpus_dir": corpus.root, "data_dir": tmp_path / "data",
                          "engine": engine.name, **more}, environ={})


@pytest.fixture
def store(settings):
    """The index of ``settings`` (``kb.index.Index``, the engine the settings name)."""
    index = open_index(settings.replace(index_lock_timeout=5))
    yield index
    index.close()


@pytest.fixture
def index(settings, store):
    """Call to bring the index in line with the corpus; returns the SyncReport."""
    def run(rebuild: bool = False):
        return sync_index(settings, store, rebuild=rebuild)
    return run


@pytest.fixture(scope="session")
def relevance_records() -> list:
    """Records of corpus/ and of the relevance documents, read straight from their files
    (no extraction): what the engine tests index."""
    records = []
    relevance = REPO / "tests" / "gold" / "relevance" / "docs"
    for path in sorted([*(REPO / "corpus").rglob("*.md"), *relevance.rglob("*.md")]):
        _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
        meta = yaml.safe_load(front)
        date = meta.get("date")
        records.append(Record(
            id=meta["id"], title=meta["title"], type=meta["type"], language=meta["language"],
            body=body.strip(), path=path.name, fingerprint=hashlib.sha256(body.encode()).hexdigest(),
            date=str(date) if date else None, translation_key=meta.get("translation_key")))
    return records


@pytest.fixture
def published(store):
    """The index holding the API tests' knowledge base (tests/api_support.py)."""
    from tests.api_support import api_records
    with store.write() as writer:
        for record in api_records():
            writer.put(record)
    return store


@pytest.fixture
def make_app():
    """``make_app(config)``: ``create_app(config)``, its index searchers closed after the test."""
    from webapp import create_app
    made = []

    def make(config: dict | None = None):
        made.append(create_app(config))
        return made[-1]
    yield make
    for app in made:
        app.extensions["kb"].close()


@pytest.fixture
def app(settings, make_app):
    return make_app({"KB_SETTINGS": settings, "TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def auth(app, client):
    """Staff login for the client: ``auth.login()``, ``auth.post(url, data)`` (adds the CSRF
    token), ``auth.logout()``; the account ``alice`` exists (tests/staff_support.py)."""
    from tests.staff_support import AuthActions
    actions = AuthActions(app, client)
    actions.create()
    return actions


@pytest.fixture
def runner():
    from click.testing import CliRunner
    return CliRunner()
