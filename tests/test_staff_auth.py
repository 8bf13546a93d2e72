"""Staff login: every staff route refuses anonymous users, forms need CSRF tokens, session
cookies are HttpOnly/SameSite (and Secure when configured), repeated failures lock."""
from __future__ import annotations

import re

import pytest

from kb import audit
from tests.staff_support import PASSWORD, csrf_token

SAMPLE_VALUES = {"doc_id": "doc-1", "token": "A" * 22, "job_id": "B" * 22,
                 "entry_id": "20240101T000000000000Z-doc-1-abcdef"}


def staff_rules(app):
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("staff.")]
    assert len(rules) >= 11
    return rules


def test_every_staff_route_refuses_anonymous_users(app, client, corpus, index, auth):
    corpus.make_document(id="doc-1")
    index()
    token = csrf_token(client.get("/login").get_data(as_text=True))   # a valid token is not enough
    for rule in staff_rules(app):
        url = rule.build(SAMPLE_VALUES)[1] if rule.arguments else rule.rule
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            data = {"csrf_token": token, "action": "publish", "status": "draft", "confirm": "yes"}
            response = client.open(url, method=method, data=data if method == "POST" else None)
            assert response.status_code == 302, (method, url)
            assert response.headers["Location"].startswith("/login?next="), (method, url)
    assert corpus.root.joinpath("declaration/doc-1.md").is_file()     # nothing deleted
    assert [e["action"] for e in audit.entries(auth.settings)] == []


def test_the_same_routes_work_once_logged_in(app, client, auth):
    auth.login()
    for url in ("/staff/", "/staff/add", "/staff/history", "/staff/log"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store"
        assert "noindex" in response.headers["X-Robots-Tag"]


def test_login_and_logout(client, auth):
    response = auth.login()
    assert response.status_code == 303 and response.headers["Location"] == "/staff/"
    html = client.get("/staff/").get_data(as_text=True)
    assert "alice" in html and "Log out" in html
    assert "Staff (alice)" in client.get("/timeline").get_data(as_text=True)   # header link
    response = auth.logout()
    assert response.status_code == 303
    assert client.get("/staff/").status_code == 302
    assert [e["action"] for e in audit.entries(auth.settings)] == ["login", "logout"]


def test_login_goes_back_to_the_page_asked_for_but_never_elsewhere(client, auth):
    assert auth.login(next="/staff/log").headers["Location"] == "/staff/log"
    auth.logout()
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"):
        assert auth.login(next=target).headers["Location"] == "/staff/"
        auth.logout()


def test_wrong_password(client, auth):
    response = auth.login(password="not the password")
    assert response.status_code == 401
    assert "Wrong user name or password." in response.get_data(as_text=True)
    assert client.get("/staff/").status_code == 302
    entry = audit.latest(auth.settings, 1)[0]
    assert entry["action"] == "login-failed" and entry["user"] == "alice" and "address" in entry["detail"]


def test_the_user_name_is_escaped_on_the_login_page(client, auth):
    html = auth.login(name="<script>alert(1)</script>", password="x" * 12).get_data(as_text=True)
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html


def test_five_failures_lock_the_account_with_a_message(client, auth):
    for _ in range(4):
        assert auth.login(password="wrong password!").status_code == 401
    response = auth.login(password="wrong password!")
    assert response.status_code == 429
    message = response.get_data(as_text=True)
    assert "Too many failed logins" in message and "locked for 15 minutes" in message
    assert "Try again in 15 minutes (at " in message and "minute(s)" not in message
    response = auth.login()                      # even the right password, while locked
    assert response.status_code == 429
    assert client.get("/staff/").status_code == 302
    assert audit.latest(auth.settings, 1)[0]["action"] == "login-locked"


def test_five_failures_from_one_address_lock_that_address(app, auth):
    auth.users.add("bob", PASSWORD)
    for name in ("carol", "dave", "erin", "frank", "grace"):
        auth.login(name=name, password="wrong password!")
    assert auth.login(name="bob").status_code == 429
    other = app.test_client()
    response = auth.login(name="bob", client=other, environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert response.status_code == 303           # another address is not locked


def test_forms_need_a_csrf_token(client, auth):
    auth.login()
    response = client.post("/staff/add", data={"text": "Nous nous engageons à agir contre la haine."})
    assert response.status_code == 400
    assert "The form expired or did not come from this site" in response.get_data(as_text=True)
    response = client.post("/staff/add", data={"text": "Nous nous engageons.", "csrf_token": "forged"})
    assert response.status_code == 400
    assert client.post("/login", data={"name": "alice", "password": PASSWORD}).status_code == 400
    assert client.post("/logout").status_code == 400


def test_every_staff_form_carries_a_token(client, auth, corpus, index):
    corpus.make_document(id="doc-1")
    index()
    auth.login()
    for url in ("/staff/", "/staff/add", "/staff/documents/doc-1", "/staff/history", "/staff/log"):
        html = client.get(url).get_data(as_text=True)
        forms = re.findall(r"<form[^>]*>.*?</form>", html, re.S)
        for form in forms:
            if 'method="post"' in form:
                assert 'name="csrf_token"' in form, (url, form[:80])


def test_session_cookie_flags(client, auth):
    response = auth.login()
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_secure_cookies_setting(settings, make_app):
    from kb.users import UserStore

    app = make_app({"KB_SETTINGS": settings.replace(secure_cookies=True), "TESTING": True})
    UserStore.for_settings(settings).add("alice", PASSWORD)
    client = app.test_client()
    https = {"base_url": "https://kb.example", "headers": {"Referer": "https://kb.example/login"}}
    token = csrf_token(client.get("/login", **https).get_data(as_text=True))
    response = client.post("/login", data={"name": "alice", "password": PASSWORD, "csrf_token": token}, **https)
    assert response.status_code == 303
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_removing_an_account_ends_its_sessions(client, auth):
    auth.login()
    assert client.get("/staff/").status_code == 200
    auth.users.remove("alice")
    assert client.get("/staff/").status_code == 302


def test_changing_the_password_ends_other_sessions(client, auth):
    auth.login()
    auth.users.set_password("alice", "a brand new password")
    assert client.get("/staff/").status_code == 302


@pytest.mark.parametrize("path", ["/staff/documents/%3Cscript%3E", "/staff/uploads/..%2F..%2Fsecret_key"])
def test_strange_ids_are_not_found(client, auth, path):
    auth.login()
    response = client.get(path)
    assert response.status_code == 404
    assert "<script>" not in response.get_data(as_text=True)


def _replay(app, cookie: str):
    """A new browser holding only a copy of a session cookie."""
    other = app.test_client()
    other.set_cookie("session", cookie)
    return other


@pytest.mark.parametrize("end", ["logout", "password", "remove"])
def test_a_saved_session_cookie_no_longer_opens_the_staff_pages(app, client, auth, runner, end):
    """Sessions live in a signed cookie: ending one must be said on the server (the
    account's session epoch), or a copy taken before logging out still uploads."""
    from kb.cli import cli

    auth.login()
    token = csrf_token(client.get("/staff/add").get_data(as_text=True))
    saved = client.get_cookie("session").value
    before = _replay(app, saved)
    assert before.get("/staff/").status_code == 200
    upload = {"text": "Nous nous engageons à lutter contre la haine.", "csrf_token": token}
    assert before.post("/staff/add", data=upload).headers["Location"].startswith("/staff/uploads/")
    settings = auth.settings
    base = ["--corpus", str(settings.corpus_dir), "--data", str(settings.data_dir), "user"]
    if end == "logout":
        assert auth.logout().status_code == 303
    elif end == "password":
        result = runner.invoke(cli, [*base, "password", "alice"], input="another password\nanother password\n")
        assert result.exit_code == 0, result.output
    else:
        assert runner.invoke(cli, [*base, "remove", "alice", "--yes"]).exit_code == 0
    replayed = _replay(app, saved)
    response = replayed.get("/staff/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    response = replayed.post("/staff/add", data=upload)
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_logging_in_again_after_logging_out_works(client, auth):
    auth.login()
    auth.logout()
    assert client.get("/staff/").status_code == 302
    auth.login()
    assert client.get("/staff/").status_code == 200
