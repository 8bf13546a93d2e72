"""Logging staff in and out (Flask-Login), with CSRF-protected forms and a lock after
repeated failures (per account and per client address)."""
from __future__ import annotations

import datetime as dt
import math

from flask import (Blueprint, Flask, current_app, flash, redirect, render_template, request,
                   session, url_for)
from flask_babel import gettext, lazy_gettext, ngettext
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_wtf.csrf import CSRFError

from kb import audit
from kb.users import LoginThrottle, User, UserError, UserStore

from ..links import safe_next
from .forms import LoginForm

bp = Blueprint("auth", __name__)
SESSION_HOURS = 8


class StaffUser(UserMixin):
    """The logged-in staff member. The session remembers ``User.session_id``, so logging
    out, a changed password or a removed account ends the session on the server."""

    def __init__(self, user: User):
        self.user = user
        self.name = user.name

    def get_id(self) -> str:
        return self.user.session_id


def settings():
    return current_app.extensions["kb"].settings


def users() -> UserStore:
    return UserStore.for_settings(settings())


def throttle() -> LoginThrottle:
    return current_app.extensions["login_throttle"]


def actor() -> str:
    """Who is acting, for the audit log."""
    return current_user.name if current_user.is_authenticated else "anonymous"


def init_app(app: Flask) -> None:
    kb_settings = app.extensions["kb"].settings
    manager = LoginManager()
    manager.login_view = "auth.login"
    manager.localize_callback = str         # the lazy message, in the interface language
    manager.login_message = lazy_gettext("Log in to use the staff pages.")
    manager.login_message_category = "info"
    manager.session_protection = "basic"
    manager.init_app(app)

    @manager.user_loader
    def load_user(session_id: str) -> StaffUser | None:
        try:
            user = users().by_session_id(session_id)
        except UserError:
            return None
        return StaffUser(user) if user else None

    app.extensions["login_throttle"] = LoginThrottle(kb_settings.login_max_failures,
                                                     kb_settings.login_lockout_minutes * 60)
    app.register_blueprint(bp)

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        message = gettext("The form expired or did not come from this site (%(problem)s) Go back, reload "
                          "the page and send it again.", problem=error.description)
        return render_template("staff/message.html", code=400, title=gettext("This form cannot be used"),
                               message=message), 400


def _minutes(seconds: float) -> int:
    return max(1, math.ceil(seconds / 60))


@bp.route("/login", methods=["GET", "POST"])
def login():
    next_url = safe_next(request.values.get("next"))
    if current_user.is_authenticated and request.method == "GET":
        return redirect(next_url or url_for("staff.dashboard"))
    if request.method == "GET":
        return render_template("staff/login.html", next=next_url, name="", error=None)
    form = LoginForm()
    name, password = form.name.data or "", form.password.data or ""
    address = request.remote_addr or "unknown"
    wait = throttle().locked_for(name, address)
    if wait:
        audit.record(settings(), name or "?", "login-locked", address=address)
        return _locked(name, next_url, wait)
    try:
        user = users().verify(name, password)
    except UserError:
        user = None
    if user is None:
        throttle().failed(name, address)
        audit.record(settings(), name or "?", "login-failed", address=address)
        wait = throttle().locked_for(name, address)
        if wait:
            return _locked(name, next_url, wait)
        return render_template("staff/login.html", next=next_url, name=name,
                               error=gettext("Wrong user name or password.")), 401
    throttle().succeeded(name, address)
    session.clear()                       # a fresh session: no fixation
    login_user(StaffUser(user))
    session.permanent = True
    audit.record(settings(), user.name, "login", address=address)
    return redirect(next_url or url_for("staff.dashboard"), code=303)


def _locked(name: str, next_url: str | None, wait: float):
    until = (dt.datetime.now() + dt.timedelta(seconds=wait)).strftime("%H:%M")
    minutes = settings().login_lockout_minutes
    message = " ".join((
        ngettext("Too many failed logins: logging in to this account or from this address is locked "
                 "for %(num)s minute after the last failure.",
                 "Too many failed logins: logging in to this account or from this address is locked "
                 "for %(num)s minutes after the last failure.", minutes),
        ngettext("Try again in %(num)s minute (at %(until)s), or ask another staff member.",
                 "Try again in %(num)s minutes (at %(until)s), or ask another staff member.",
                 _minutes(wait), until=until)))
    return render_template("staff/login.html", next=next_url, name=name, error=message), 429


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        users().end_sessions(current_user.name)     # a copy of the cookie must not log in again
        audit.record(settings(), current_user.name, "logout")
    logout_user()
    session.clear()
    flash(gettext("You are logged out."), "info")
    return redirect(url_for("auth.login"), code=303)
