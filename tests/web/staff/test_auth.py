"""Signed session cookies and CSRF tokens; the secret key generated once, readable by the owner
only."""
from __future__ import annotations

import stat

from web.staff import auth


def test_the_secret_key_is_generated_once_with_mode_0600(tmp_path):
    path = tmp_path / "var" / "staff_secret.key"
    key = auth.secret_key(None, path)
    assert len(key) >= 48 and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert auth.secret_key(None, path) == key
    assert auth.secret_key("from-settings", path) == b"from-settings"


def test_signatures_and_csrf_tokens_need_the_key():
    signer, other = auth.Signer(b"k" * 32), auth.Signer(b"j" * 32)
    signed = signer.sign("session-id")
    assert signer.unsign(signed) == "session-id"
    assert other.unsign(signed) is None
    assert signer.unsign(signed[:-1]) is None and signer.unsign("") is None
    assert signer.unsign(None) is None and signer.unsign("no-dot") is None
    token = signer.csrf("session-id")
    assert signer.csrf_ok("session-id", token)
    assert not signer.csrf_ok("other-session", token)
    assert not other.csrf_ok("session-id", token)
    assert not signer.csrf_ok(None, token) and not signer.csrf_ok("session-id", None)
    # a cookie's signature is not a CSRF token (another purpose in the MAC)
    assert not signer.csrf_ok("session-id", signed.rpartition(".")[2])
