"""Staff accounts (kb/users.py, `kb user`): scrypt hashes in the data folder, written
atomically; names and passwords checked; the login throttle."""
from __future__ import annotations

import json
import stat

import pytest

from kb.cli import cli
from kb.users import LoginThrottle, UserError, UserStore, users_file

PASSWORD = "correct horse battery staple"


@pytest.fixture
def users(settings):
    return UserStore.for_settings(settings)


def test_add_list_remove(users, settings):
    users.add("alice", PASSWORD)
    users.add("bob", PASSWORD + "!")
    assert [u.name for u in users.list()] == ["alice", "bob"]
    users.remove("alice")
    assert [u.name for u in users.list()] == ["bob"]
    assert users_file(settings).parent == settings.data_dir


def test_passwords_are_scrypt_hashes_in_a_private_file(users, settings):
    users.add("alice", PASSWORD)
    path = users_file(settings)
    data = json.loads(path.read_text())
    assert data["users"]["alice"]["password_hash"].startswith("scrypt:")
    assert PASSWORD not in path.read_text()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not settings.corpus_dir.joinpath("users.json").exists()
    assert [p.name for p in path.parent.iterdir() if "kbtmp" in p.name] == []   # no temporary left


def test_verify(users):
    users.add("alice", PASSWORD)
    assert users.verify("alice", PASSWORD).name == "alice"
    assert users.verify("alice", "wrong password!!") is None
    assert users.verify("nobody", PASSWORD) is None
    assert users.verify("../../etc", PASSWORD) is None


@pytest.mark.parametrize("name", ["A", "x", "Alice", "al ice", "../alice", "-alice", "a" * 41, ""])
def test_bad_names(users, name):
    with pytest.raises(UserError, match="user name"):
        users.add(name, PASSWORD)


@pytest.mark.parametrize("password, problem", [("short", "at least 10"), ("alice12345", None),
                                               ("x" * 1025, "at most")])
def test_bad_passwords(users, password, problem):
    if problem is None:     # the user name, whatever its case
        with pytest.raises(UserError, match="must not be the user name"):
            users.add("alice12345", "ALICE12345")
        return
    with pytest.raises(UserError, match=problem):
        users.add("alice", password)


def test_a_name_is_taken_once(users):
    users.add("alice", PASSWORD)
    with pytest.raises(UserError, match="already a user called 'alice'"):
        users.add("alice", PASSWORD)
    with pytest.raises(UserError, match="no user called 'bob'"):
        users.remove("bob")


def test_session_id_changes_with_the_password(users):
    before = users.add("alice", PASSWORD).session_id
    assert users.by_session_id(before).name == "alice"
    users.set_password("alice", PASSWORD + " again")
    assert users.by_session_id(before) is None
    assert users.by_session_id("alice:forged") is None


def test_ending_the_sessions_of_an_account(users):
    users.add("alice", PASSWORD)
    users.add("bob", PASSWORD)
    alice, bob = users.get("alice").session_id, users.get("bob").session_id
    users.end_sessions("alice")
    users.end_sessions("nobody")                     # nothing to end
    assert users.by_session_id(alice) is None and users.by_session_id(bob).name == "bob"
    assert users.by_session_id(users.get("alice").session_id).name == "alice"
    assert users.verify("alice", PASSWORD)           # the password stays


def test_damaged_accounts_file_is_an_error_not_an_empty_list(users, settings):
    users_file(settings).parent.mkdir(parents=True, exist_ok=True)
    users_file(settings).write_text("{not json")
    with pytest.raises(UserError, match="not valid JSON"):
        users.list()


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_throttle_locks_an_account_after_five_failures_for_fifteen_minutes():
    clock = Clock()
    throttle = LoginThrottle(5, 15 * 60, clock)
    for _ in range(4):
        throttle.failed("alice", "10.0.0.1")
    assert throttle.locked_for("alice", "10.0.0.2") == 0
    throttle.failed("alice", "10.0.0.2")
    assert throttle.locked_for("alice", "10.0.0.3") == 15 * 60       # the account, from anywhere
    assert throttle.locked_for("bob", "10.0.0.3") == 0
    clock.now += 15 * 60 - 1
    assert throttle.locked_for("alice", "10.0.0.3") == 1
    clock.now += 1
    assert throttle.locked_for("alice", "10.0.0.3") == 0


def test_throttle_locks_an_address_trying_many_accounts():
    throttle = LoginThrottle(5, 900, Clock())
    for name in ("a1", "a2", "a3", "a4", "a5"):
        throttle.failed(name, "10.0.0.9")
    assert throttle.locked_for("someone", "10.0.0.9") == 900
    assert throttle.locked_for("someone", "10.0.0.10") == 0


def test_throttle_forgets_old_failures_and_a_success_resets():
    clock = Clock()
    throttle = LoginThrottle(5, 900, clock)
    for _ in range(4):
        throttle.failed("alice", "ip")
        clock.now += 300
    assert throttle.locked_for("alice", "ip") == 0      # spread over 20 minutes
    throttle.failed("alice", "ip")
    throttle.succeeded("alice", "ip")
    assert throttle.locked_for("alice", "ip") == 0


# -- kb user ----------------------------------------------------------------------------
def kb(runner, settings, *args, input=None):
    return runner.invoke(cli, ["--corpus", str(settings.corpus_dir), "--data", str(settings.data_dir),
                               *args], input=input)


def test_kb_user_add_prompts_twice(runner, settings):
    result = kb(runner, settings, "user", "add", "alice", input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert "added user alice" in result.output and PASSWORD not in result.output
    assert UserStore.for_settings(settings).verify("alice", PASSWORD)


def test_kb_user_add_asks_again_when_the_passwords_differ(runner, settings):
    result = kb(runner, settings, "user", "add", "alice",
                input=f"{PASSWORD}\nsomething else\n{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0 and "do not match" in result.output.lower()


def test_kb_user_add_refuses_a_weak_password(runner, settings):
    result = kb(runner, settings, "user", "add", "alice", input="short\nshort\n")
    assert result.exit_code == 1 and "at least 10 characters" in result.output
    assert UserStore.for_settings(settings).list() == []


def test_kb_user_list_remove_password_and_the_audit_log(runner, settings):
    kb(runner, settings, "user", "add", "alice", input=f"{PASSWORD}\n{PASSWORD}\n")
    assert kb(runner, settings, "user", "list").output.startswith("alice\tcreated ")
    result = kb(runner, settings, "user", "password", "alice", input="another password\nanother password\n")
    assert result.exit_code == 0
    assert UserStore.for_settings(settings).verify("alice", "another password")
    assert kb(runner, settings, "user", "remove", "alice", input="n\n").exit_code == 1   # asked, refused
    assert kb(runner, settings, "user", "remove", "alice", "--yes").exit_code == 0
    assert kb(runner, settings, "user", "remove", "alice", "--yes").exit_code == 1
    log = kb(runner, settings, "log", "--json").output.splitlines()
    assert [json.loads(line)["action"] for line in log] == ["user-remove", "user-password", "user-add"]
