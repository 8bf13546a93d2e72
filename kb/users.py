"""Staff accounts: names and scrypt password hashes in ``<data>/users.json`` (outside the
corpus, written atomically, readable by the owner only), and the throttle that locks
logging in after repeated failures.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from werkzeug.security import check_password_hash, generate_password_hash

from .config import Settings
from .storage import atomic_write, locked

NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """Checked when a name is unknown, so that unknown names take as long as wrong passwords."""
    return generate_password_hash("not a password of anyone", method="scrypt")


class UserError(ValueError):
    """A user name or password that cannot be used; the message says why."""


@dataclass(frozen=True)
class User:
    name: str
    password_hash: str
    created: str
    session_epoch: int = 0      # raised when the account's sessions end (logging out)

    @property
    def session_id(self) -> str:
        """What a login session remembers: the name and a digest of the password hash and
        the session epoch, so that logging out, changing the password or removing the
        account ends every session of the account, even from a cookie kept aside."""
        digest = hashlib.sha256(f"{self.password_hash}\n{self.session_epoch}".encode()).hexdigest()[:16]
        return f"{self.name}:{digest}"

    @classmethod
    def from_entry(cls, name: str, entry: dict) -> "User":
        return cls(name, entry["password_hash"], entry.get("created", ""), int(entry.get("session_epoch", 0)))


def users_file(settings: Settings) -> Path:
    return Path(settings.data_dir) / "users.json"


def check_name(name: str) -> str:
    if not NAME_PATTERN.match(name or ""):
        raise UserError("a user name is 2 to 40 lower-case letters, digits, '.', '_' or '-', "
                        "starting with a letter or digit")
    return name


def check_password(password: str, name: str = "") -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise UserError(f"the password must have at most {MAX_PASSWORD_LENGTH} characters")
    if name and password.casefold() == name.casefold():
        raise UserError("the password must not be the user name")
    return password


class UserStore:
    """The accounts file. Every change is a locked read-modify-write, written atomically."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.lock_file = self.path.with_name(self.path.name + ".lock")

    @classmethod
    def for_settings(cls, settings: Settings) -> "UserStore":
        return cls(users_file(settings))

    def _read(self) -> dict[str, dict]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except ValueError as exc:
            raise UserError(f"{self.path}: not valid JSON ({exc}); restore it from a backup") from None
        users = data.get("users") if isinstance(data, dict) else None
        if not isinstance(users, dict):
            raise UserError(f"{self.path}: expected {{\"users\": {{…}}}}")
        return users

    def _write(self, users: dict[str, dict]) -> None:
        payload = json.dumps({"users": users}, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        atomic_write(self.path, payload, mode=0o600)

    def list(self) -> list[User]:
        return [User.from_entry(name, entry) for name, entry in sorted(self._read().items())]

    def get(self, name: str) -> User | None:
        entry = self._read().get(name)
        return User.from_entry(name, entry) if entry else None

    def add(self, name: str, password: str) -> User:
        check_name(name)
        check_password(password, name)
        password_hash = generate_password_hash(password, method="scrypt")
        created = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        with locked(self.lock_file):
            users = self._read()
            if name in users:
                raise UserError(f"there is already a user called {name!r}")
            users[name] = {"password_hash": password_hash, "created": created}
            self._write(users)
        return User(name, password_hash, created)

    def set_password(self, name: str, password: str) -> User:
        check_password(password, name)
        password_hash = generate_password_hash(password, method="scrypt")
        with locked(self.lock_file):
            users = self._read()
            if name not in users:
                raise UserError(f"there is no user called {name!r}")
            users[name]["password_hash"] = password_hash
            users[name]["session_epoch"] = int(users[name].get("session_epoch", 0)) + 1
            self._write(users)
        return User.from_entry(name, users[name])

    def end_sessions(self, name: str) -> None:
        """End every session of ``name`` (a new session epoch): a session cookie saved
        before no longer logs anyone in. Nothing for an unknown name."""
        with locked(self.lock_file):
            users = self._read()
            if name in users:
                users[name]["session_epoch"] = int(users[name].get("session_epoch", 0)) + 1
                self._write(users)

    def remove(self, name: str) -> None:
        with locked(self.lock_file):
            users = self._read()
            if name not in users:
                raise UserError(f"there is no user called {name!r}")
            del users[name]
            self._write(users)

    def verify(self, name: str, password: str) -> User | None:
        """The user when ``password`` is theirs, else None (in about the same time)."""
        user = self.get(name) if NAME_PATTERN.match(name or "") else None
        if user is None:
            check_password_hash(_dummy_hash(), password)
            return None
        return user if check_password_hash(user.password_hash, password) else None

    def by_session_id(self, session_id: str) -> User | None:
        name = session_id.split(":", 1)[0]
        user = self.get(name) if NAME_PATTERN.match(name) else None
        return user if user is not None and user.session_id == session_id else None


class LoginThrottle:
    """Counts failed logins per account and per client address; after ``max_failures``
    within ``lockout`` seconds, logging in is locked for ``lockout`` seconds from the last
    failure. Kept in memory: the web app is one process (Waitress, threads)."""

    def __init__(self, max_failures: int = 5, lockout: float = 15 * 60, clock=time.monotonic):
        self.max_failures = max_failures
        self.lockout = lockout
        self.clock = clock
        self._failures: dict[tuple[str, str], list[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, str], now: float) -> list[float]:
        times = [t for t in self._failures.get(key, ()) if now - t < self.lockout]
        if times:
            self._failures[key] = times
        else:
            self._failures.pop(key, None)
        return times

    def locked_for(self, name: str, address: str) -> float:
        """Seconds until logging in is possible again for this account or address (0: now)."""
        now = self.clock()
        with self._lock:
            waits = []
            for key in (("user", name), ("address", address)):
                times = self._recent(key, now)
                if len(times) >= self.max_failures:
                    waits.append(times[-1] + self.lockout - now)
            return max(waits, default=0.0)

    def failed(self, name: str, address: str) -> None:
        now = self.clock()
        with self._lock:
            for key in (("user", name), ("address", address)):
                self._failures.setdefault(key, []).append(now)
                self._recent(key, now)

    def succeeded(self, name: str, address: str) -> None:
        with self._lock:
            self._failures.pop(("user", name), None)
            self._failures.pop(("address", address), None)
