"""Staff sessions and CSRF tokens.

A session is a random id in a signed cookie (HttpOnly, SameSite=Strict, Path=/staff, Secure
behind HTTPS); the server keeps only the id's SHA-256, so logging out ends it for good. Every
form and every state-changing API call carries a CSRF token derived from the session id with the
secret key; the login form's token is derived from a pre-login cookie the same way.
The secret key is STAFF_SECRET_KEY, else generated once into var/staff_secret.key (mode 0600).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from pathlib import Path
from typing import Optional

SESSION_COOKIE = "staff_session"
LOGIN_COOKIE = "staff_login"
SESSION_SECONDS = 8 * 3600  # a working day
DEFAULT_KEY_FILE = Path("var") / "staff_secret.key"


def secret_key(explicit: Optional[str], path: Path = DEFAULT_KEY_FILE) -> bytes:
    if explicit:
        return explicit.encode()
    path = Path(path)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    return path.read_text().strip().encode()


class Signer:
    def __init__(self, key: bytes) -> None:
        self.key = key

    def _mac(self, purpose: str, value: str) -> str:
        digest = hmac.new(self.key, f"{purpose}:{value}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")

    def sign(self, value: str) -> str:
        return f"{value}.{self._mac('cookie', value)}"

    def unsign(self, signed: Optional[str]) -> Optional[str]:
        value, _, mac = (signed or "").rpartition(".")
        if value and hmac.compare_digest(mac, self._mac("cookie", value)):
            return value
        return None

    def csrf(self, session_id: str) -> str:
        return self._mac("csrf", session_id)

    def csrf_ok(self, session_id: Optional[str], token: Optional[str]) -> bool:
        return bool(session_id and token) and hmac.compare_digest(
            str(token), self.csrf(session_id))


def new_id() -> str:
    return secrets.token_urlsafe(32)


def id_hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()
