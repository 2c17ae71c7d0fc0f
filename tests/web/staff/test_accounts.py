"""Staff accounts: `make staff-user` reads the password from standard input and stores only an
Argon2id hash; names, roles and short passwords are refused with the reason."""
from __future__ import annotations

import subprocess
import sys

import pytest

from ops.settings import ROOT
from web.staff import accounts
from web.staff.store import StaffStore


@pytest.fixture
def store(tmp_path):
    return StaffStore(f"sqlite:///{tmp_path / 'staff.db'}")


def test_a_password_is_stored_hashed_and_verified(store):
    assert accounts.save(store, "li.ming", "editor", "a long passphrase") is True
    row = store.user("li.ming")
    assert row["role"] == "editor" and row["password_hash"].startswith("$argon2id$")
    assert "a long passphrase" not in row["password_hash"]
    assert accounts.authenticate(store, "li.ming", "a long passphrase")["name"] == "li.ming"
    assert accounts.authenticate(store, "li.ming", "a long passphrasE") is None
    assert accounts.authenticate(store, "nobody", "a long passphrase") is None
    assert accounts.authenticate(store, "", "") is None


def test_saving_again_updates_role_and_password(store):
    accounts.save(store, "li", "editor", "first password")
    assert accounts.save(store, "li", "viewer", "second password") is False
    assert store.user("li")["role"] == "viewer"
    assert accounts.authenticate(store, "li", "first password") is None
    assert accounts.authenticate(store, "li", "second password") is not None
    assert [r["action"] for r in store.audit_log()] == ["account updated", "account created"]


@pytest.mark.parametrize("name, role, password, message", [
    ("l", "editor", "long enough pw", "NAME"),
    ("li ming", "editor", "long enough pw", "NAME"),
    ("li", "admin", "long enough pw", "ROLE"),
    ("li", "editor", "short", "at least"),
])
def test_bad_accounts_are_refused(store, name, role, password, message):
    with pytest.raises(accounts.AccountError, match=message):
        accounts.save(store, name, role, password)
    assert store.user(name) is None


def test_the_command_reads_the_password_from_stdin(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT),
           "TRACKER_SQLITE_PATH": str(tmp_path / "tracker.db")}
    done = subprocess.run([sys.executable, "-m", "web.staff.accounts", "zhang", "viewer"],
                          input="from stdin 123\n", capture_output=True, text=True, env=env,
                          cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "created viewer zhang"
    store = StaffStore(f"sqlite:///{tmp_path / 'var' / 'staff.db'}")
    assert accounts.authenticate(store, "zhang", "from stdin 123") is not None
    bad = subprocess.run([sys.executable, "-m", "web.staff.accounts", "zhang", "boss"],
                         input="from stdin 123\n", capture_output=True, text=True, env=env,
                         cwd=tmp_path, timeout=120)
    assert bad.returncode == 1 and "ROLE" in bad.stderr
