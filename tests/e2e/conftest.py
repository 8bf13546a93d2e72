"""Browser tests: the app served by Waitress in a thread on a free loopback port, driven by
Debian's Chromium through Playwright, on a small corpus built in a temporary folder.

Screenshots of the main pages go to ``artifacts/screenshots/`` (gitignored).
"""
from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

from kb.config import load_settings
from kb.index import IndexStore
from tests.conftest import REPO

from . import corpus

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
SCREENSHOTS = REPO / "artifacts" / "screenshots"


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The base URL of the app, served by Waitress on 127.0.0.1 and a free port."""
    from waitress import wasyncore
    from waitress.server import create_server

    from webapp import create_app

    root = tmp_path_factory.mktemp("e2e")
    (root / "corpus").mkdir()
    settings = load_settings({"corpus_dir": root / "corpus", "data_dir": root / "data"}, environ={})
    store = IndexStore(settings.index_dir, lock_timeout=5)
    corpus.build(store)
    store.close()
    app = create_app({"KB_SETTINGS": settings, "TESTING": True})
    server = create_server(app, host="127.0.0.1", port=0, threads=4, asyncore_loop_timeout=0.1,
                           ident="kb-e2e")
    thread = threading.Thread(target=server.run, name="waitress-e2e", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    # Closing sockets from this thread would pull them from under the loop's select():
    # the loop closes them itself, then finds its map empty and returns.
    server.trigger.pull_trigger(lambda: wasyncore.close_all(server.map))
    thread.join(timeout=5)
    server.task_dispatcher.shutdown()
    app.extensions["kb"].store.close()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip("Debian's chromium is not installed (make browser installs it)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context (no cookies) in English, 1280 px wide."""
    context = browser.new_context(base_url=live_server, locale="en-GB",
                                  extra_http_headers={"Accept-Language": "en-GB,en;q=0.9"},
                                  viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, f"errors in the browser console: {errors}"


def screenshot(page, name: str, full_page: bool = True) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
