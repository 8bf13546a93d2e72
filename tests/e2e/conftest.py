"""Browser tests: the app served by Waitress in a thread on a free loopback port, driven by
Debian's Chromium through Playwright, on a small corpus built in a temporary folder.

Screenshots of the main pages go to ``artifacts/screenshots/`` (gitignored).
"""
from __future__ import annotations

import re
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest

from kb.config import load_settings
from kb.index import open_index
from tests.conftest import REPO

from . import corpus

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
SCREENSHOTS = REPO / "artifacts" / "screenshots"


@contextmanager
def serving(root: Path, staff: tuple[str, str] | None = None, build=corpus.build, **settings_):
    """Serve the app on 127.0.0.1 and a free port, over the test corpus built in ``root``
    by ``build(index)`` (and with a staff account when ``staff`` is a name and password;
    ``settings_`` over the default settings); yields the base URL."""
    from waitress import wasyncore
    from waitress.server import create_server

    from kb.users import UserStore
    from webapp import create_app

    (root / "corpus").mkdir()
    settings = load_settings({"corpus_dir": root / "corpus", "data_dir": root / "data", **settings_},
                             environ={})
    store = open_index(settings.replace(index_lock_timeout=5))
    build(store)
    store.close()
    if staff:
        UserStore.for_settings(settings).add(*staff)
    app = create_app({"KB_SETTINGS": settings, "TESTING": True})
    # Warmed up as a served app is (lookups, translator and its compiled dictionary, index
    # tables, catalog), so that the browser's first search does not wait for all of it.
    app.extensions["kb"].warm_up_in_background().join(120)
    sockets: dict = {}      # the server's socket map: emptying it ends its loop
    server = create_server(app, map=sockets, host="127.0.0.1", port=0, threads=4, asyncore_loop_timeout=0.1,
                           ident="kb-e2e")
    thread = threading.Thread(target=server.run, name="waitress-e2e", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        # Closing sockets from this thread would pull them from under the loop's select():
        # the loop closes them itself, then finds its map empty and returns.
        server.trigger.pull_trigger(lambda: wasyncore.close_all(sockets))
        thread.join(timeout=5)
        server.task_dispatcher.shutdown()
        app.extensions["kb"].close()
        assert not thread.is_alive(), "the test server's loop did not end"


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The base URL of the app, for the public pages (nothing is changed through it)."""
    with serving(tmp_path_factory.mktemp("e2e")) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip("Debian's chromium is not installed (make browser installs it)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@contextmanager
def browsing(browser, base_url: str, language: str = "en", timezone: str | None = None):
    """A fresh browser context (no cookies) that asks for ``language`` (in ``timezone``
    when given: an IANA name), 1280 px wide; fails
    when the browser console shows an error (other than the status of a page the test went
    to: a 4xx page a test opens on purpose is not a broken resource)."""
    locale = {"en": "en-GB", "fr": "fr-FR"}[language]
    context = browser.new_context(base_url=base_url, locale=locale,
                                  extra_http_headers={"Accept-Language": f"{locale},{language};q=0.9"},
                                  viewport={"width": 1280, "height": 900}, accept_downloads=True,
                                  **({"timezone_id": timezone} if timezone else {}))
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    pages_in_error: list[str] = []      # "status of 404": pages (not resources) answered so
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("response", lambda response: pages_in_error.append(f"status of {response.status} ")
            if response.status >= 400 and response.request.is_navigation_request() else None)
    try:
        yield page
    finally:
        context.close()
    for error in list(errors):
        status = re.search(r"status of \d+ ", error)
        if error.startswith("Failed to load resource") and status and status.group(0) in pages_in_error:
            pages_in_error.remove(status.group(0))
            errors.remove(error)
    assert not errors, f"errors in the browser console: {errors}"


@pytest.fixture
def page(browser, live_server):
    """A page of the public site in English."""
    with browsing(browser, live_server) as page:
        yield page


def screenshot(page, name: str, full_page: bool = True) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
