"""Console log-in: users, password hashes, signed sessions, CSRF tokens and a log-in throttle.

Passwords: scrypt (N=2^15, r=8, p=1) with a 16-byte salt per user, stored as
`scrypt$N$r$p$salt$hash` so the cost can be raised later without locking anyone out.
Sessions: a cookie signed with KHIEN_CONSOLE_SECRET (itsdangerous), HttpOnly and
SameSite=Strict, holding the username and the session's CSRF token. It expires
KHIEN_CONSOLE_SESSION_MINUTES after log-in whatever the activity; the user is looked up on
every request, so a deactivated user is out at once.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from functools import cached_property
from typing import Optional

from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import Response

from actions.store import ConsoleUser, ReportStore

ROLES = ("counsellor", "supervisor")
MIN_PASSWORD_CHARS = 12
SCRYPT_COST = {"n": 2 ** 15, "r": 8, "p": 1}
SCRYPT_MAXMEM = 64 * 1024 * 1024
COOKIE = "khien_console"


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, maxmem=SCRYPT_MAXMEM, dklen=32, **SCRYPT_COST)
    cost = SCRYPT_COST
    return f"scrypt${cost['n']}${cost['r']}${cost['p']}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        expected = bytes.fromhex(digest)
        if scheme != "scrypt":
            return False
        candidate = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p),
                                   maxmem=SCRYPT_MAXMEM, dklen=len(expected))
    except ValueError:
        return False
    return hmac.compare_digest(candidate, expected)


@dataclass(frozen=True)
class User:
    username: str
    role: str

    @property
    def supervisor(self) -> bool:
        return self.role == "supervisor"


class Users:
    """Console accounts in the report store (table console_users)."""

    def __init__(self, store: ReportStore) -> None:
        self.store = store

    @cached_property
    def _unknown_user_hash(self) -> str:
        """Checked against when the username is unknown, so timing does not tell who exists."""
        return hash_password(secrets.token_hex(16))

    def add(self, username: str, password: str, role: str) -> User:
        username = username.strip()
        if role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}")
        if not 0 < len(username) <= 64 or not username.isprintable():
            raise ValueError("username must be 1 to 64 printable characters")
        if len(password) < MIN_PASSWORD_CHARS:
            raise ValueError(f"password must have at least {MIN_PASSWORD_CHARS} characters")
        with self.store.session() as session, session.begin():
            if session.execute(select(ConsoleUser).where(ConsoleUser.username == username)).scalar_one_or_none():
                raise ValueError(f"user {username!r} exists already")
            session.add(ConsoleUser(username=username, password_hash=hash_password(password), role=role))
        return User(username, role)

    def _find(self, username: str) -> Optional[ConsoleUser]:
        with self.store.session() as session:
            return session.execute(
                select(ConsoleUser).where(ConsoleUser.username == username, ConsoleUser.active.is_(True))
            ).scalar_one_or_none()

    def active(self, username: str) -> Optional[User]:
        found = self._find(username)
        return User(found.username, found.role) if found else None

    def authenticate(self, username: str, password: str) -> Optional[User]:
        found = self._find(username.strip())
        matches = verify_password(password, found.password_hash if found else self._unknown_user_hash)
        return User(found.username, found.role) if found and matches else None


class LoginThrottle:
    """At most `attempts` failed log-ins per username in `window` seconds (in this process)."""

    def __init__(self, attempts: int = 5, window: float = 900.0) -> None:
        self.attempts, self.window = attempts, window
        self._failures: dict[str, deque[float]] = defaultdict(deque)

    def allowed(self, username: str) -> bool:
        failures = self._failures.get(username)
        while failures and failures[0] < time.monotonic() - self.window:
            failures.popleft()
        if failures is not None and not failures:
            del self._failures[username]
        return not failures or len(failures) < self.attempts

    def failed(self, username: str) -> None:
        self._failures[username].append(time.monotonic())

    def succeeded(self, username: str) -> None:
        self._failures.pop(username, None)


class Sessions:
    """The signed session cookie: {"u": username or None before log-in, "t": CSRF token}."""

    def __init__(self, secret: str, max_age_seconds: int) -> None:
        self.max_age = max_age_seconds
        self._serializer = URLSafeTimedSerializer(secret, salt="khien-console-session")

    @staticmethod
    def new(username: Optional[str] = None) -> dict:
        return {"u": username, "t": secrets.token_urlsafe(32)}

    def read(self, request: Request) -> Optional[dict]:
        cookie = request.cookies.get(COOKIE)
        if not cookie:
            return None
        try:
            session = self._serializer.loads(cookie, max_age=self.max_age)
        except BadSignature:  # tampered or expired
            return None
        return session if isinstance(session, dict) and isinstance(session.get("t"), str) else None

    def write(self, response: Response, request: Request, session: dict) -> None:
        response.set_cookie(COOKIE, self._serializer.dumps(session), max_age=self.max_age,
                            path=_cookie_path(request), httponly=True, samesite="strict",
                            secure=request.url.scheme == "https")

    @staticmethod
    def clear(response: Response, request: Request) -> None:
        response.delete_cookie(COOKIE, path=_cookie_path(request), httponly=True, samesite="strict")


def _cookie_path(request: Request) -> str:
    return request.scope.get("root_path") or "/"


def csrf_ok(session: Optional[dict], submitted: object) -> bool:
    return bool(session) and isinstance(submitted, str) and hmac.compare_digest(session["t"].encode(), submitted.encode())
