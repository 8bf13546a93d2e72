"""The Flask web app: an application factory, blueprints, templates, static files.

Run in production with ``kb serve`` or ``waitress-serve --call webapp:create_app``.
"""
from __future__ import annotations

import datetime as dt
import logging
import secrets
import threading
from pathlib import Path
from typing import Any, Mapping

from flask import Flask, make_response, redirect, render_template, request, url_for
from flask_babel import lazy_gettext
from flask_wtf.csrf import CSRFProtect

from indexer.extract.gazetteer import use_data_folder
from kb.config import Settings, load_settings
from kb.index import IndexUnavailableError
from kb.sync import open_current_index
from kb.translation import use_data_folder as use_translation_folder

from .errors import allowed_methods
from .limits import is_api_request, parameter_problem, refuse


class KnowledgeBase:
    """What the views need: the settings and the one index of this process."""

    def __init__(self, settings: Settings):
        from kb.background import Background

        self.settings = settings
        self.index = open_current_index(settings, say=logging.getLogger(__name__).warning)
        self.jobs = Background(settings, self.index)      # scans read in threads of this process
        self.warming: threading.Thread | None = None

    def close(self, timeout: float = 60.0) -> None:
        """Wait for the warm-up to end, stop the background jobs (one being read goes back
        in the queue), then close the index (its files)."""
        if self.warming is not None:
            self.warming.join(timeout)
        self.jobs.stop()
        self.index.close()

    def warm_up_in_background(self) -> threading.Thread:
        """Prepare, without delaying start-up, what the first requests would otherwise
        wait for: the query lookups and translator (its dictionary compiled if needed),
        the index's per-generation tables (one search) and the catalog of cities,
        organisations and commitments."""
        def warm_up() -> None:
            from kb import lookups
            from kb.catalog import catalog_for
            from kb.search import SearchRequest, search
            try:
                lookups.load()
                from kb.translation import default_translator
                default_translator().for_query("maire")   # the dictionary, the lexicons
                search(self.index, SearchRequest(query=""))
                catalog_for(self.index)
            except Exception:   # the requests will do it (and report) themselves
                logging.getLogger(__name__).exception("warming up failed")
        self.warming = threading.Thread(target=warm_up, name="kb-warm-up", daemon=True)
        self.warming.start()
        return self.warming


def _secret_key(settings: Settings) -> str:
    """The configured key, else one generated once and kept in the data folder."""
    if settings.secret_key:
        return settings.secret_key
    path = Path(settings.data_dir) / "secret_key"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    config = dict(test_config or {})
    settings = config.pop("KB_SETTINGS", None) or load_settings()
    app.config.update(
        KB_SETTINGS=settings,
        SECRET_KEY=_secret_key(settings),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.secure_cookies,
        PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=8),   # a staff login lasts a working day
        WTF_CSRF_TIME_LIMIT=8 * 3600,                      # a form stays usable as long
        MAX_CONTENT_LENGTH=settings.max_upload_mb * 1024 * 1024,
        MAX_FORM_MEMORY_SIZE=settings.max_upload_mb * 1024 * 1024,   # pasted and edited texts
        JSON_SORT_KEYS=False,
    )
    app.config.update(config)
    use_data_folder(settings.data_dir)       # the gazetteer, compiled once, read from there
    use_translation_folder(settings.data_dir)   # the compiled dictionary, likewise
    app.extensions["kb"] = KnowledgeBase(settings)
    if not app.testing:
        app.extensions["kb"].warm_up_in_background()
    app.extensions["kb"].jobs.start_if_waiting()     # scans left queued by the last run

    from . import i18n      # interface language per request; _() in templates
    i18n.init_app(app)
    from .views import pages
    app.register_blueprint(pages.bp)

    from .views import search
    app.register_blueprint(search.bp)
    from .views import api
    app.register_blueprint(api.bp)
    from .views import feeds                # Atom feeds of searches and commitments
    app.register_blueprint(feeds.bp)

    CSRFProtect(app)                      # every POST form carries a token
    from .views import auth, staff        # staff: login, add, correct, publish
    auth.init_app(app)
    app.register_blueprint(staff.bp)

    @app.before_request
    def bounded_request():
        """Every request's parameters are bounded before any view runs (a 400 above):
        thousands of values made pages of gigabytes."""
        problem = parameter_problem(request.args, settings)
        if problem:
            refuse(problem)

    @app.after_request
    def security_headers(response):
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    # Browsers ask for it on pages without an icon link (the API's JSON, the feeds).
    app.add_url_rule("/favicon.ico", "favicon",
                     lambda: redirect(url_for("static", filename="favicon.svg"), code=301))

    for code in (400, 404, 405, 413, 500):
        app.register_error_handler(code, _error_page)
    app.register_error_handler(IndexUnavailableError, _unavailable)
    return app


# Said in place of Werkzeug's own explanations, which are in English.
ERROR_EXPLANATIONS = {
    400: lazy_gettext("This request cannot be used as it is."),
    404: lazy_gettext("There is nothing at this address: check it, or search for what you wanted."),
    405: lazy_gettext("This address cannot be used that way."),
    413: lazy_gettext("What was sent is too large."),
    500: lazy_gettext("Something went wrong on our side. Try again in a moment."),
}


UNAVAILABLE = lazy_gettext("Search is unavailable for a moment: try again shortly.")


def _unavailable(error: IndexUnavailableError):
    """The search engine's servers cannot be reached (engine: typesense): 503, said plainly;
    what failed goes to the log, not to the visitor."""
    logging.getLogger(__name__).error("search engine unavailable: %s", error)
    if is_api_request():
        from .views.api import error_response
        return error_response(503, str(UNAVAILABLE))
    return render_template("error.html", code=503, description=str(UNAVAILABLE)), 503


def _error_page(error):
    code = getattr(error, "code", 500) or 500
    if is_api_request():      # unknown API route, wrong method
        from .views.api import routing_error
        response = make_response(routing_error(error))
    else:
        description = getattr(error, "description", None)
        if not description or description == getattr(type(error), "description", None):
            description = str(ERROR_EXPLANATIONS.get(code, ERROR_EXPLANATIONS[500]))
        response = make_response(render_template("error.html", code=code, description=description), code)
    if code == 405:      # the methods the address takes, as HTTP asks of a 405
        response.headers["Allow"] = ", ".join(allowed_methods(error))
    return response
