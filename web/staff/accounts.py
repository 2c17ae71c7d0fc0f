"""Staff accounts: `make staff-user NAME=<name> ROLE=viewer|editor` (password on standard input)
is `python -m web.staff.accounts NAME ROLE`. Passwords are hashed with Argon2id (argon2-cffi).

viewer: reads the inbox, the dashboard and the audit log; editor: also resolves inbox entries and
publishes models.
"""
from __future__ import annotations

import re
import sys
from typing import List, Optional

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from web.staff.store import StaffStore

ROLES = ("viewer", "editor")
NAME = re.compile(r"^[A-Za-z0-9_.-]{2,64}$")
MIN_PASSWORD = 10
_hasher = PasswordHasher()
# verified when the name is unknown, so a wrong name takes as long as a wrong password
_DUMMY = _hasher.hash("not a password of anyone")


class AccountError(ValueError):
    """The account cannot be saved; the message says why."""


def save(store: StaffStore, name: str, role: str, password: str) -> bool:
    if not NAME.match(name):
        raise AccountError("NAME: 2-64 letters, digits, _ . -")
    if role not in ROLES:
        raise AccountError(f"ROLE must be one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password needs at least {MIN_PASSWORD} characters")
    created = store.save_user(name, role, _hasher.hash(password))
    store.log("(command line)", "account " + ("created" if created else "updated"), name, role)
    return created


def authenticate(store: StaffStore, name: str, password: str) -> Optional[dict]:
    """The account when the password is right, else None."""
    user = store.user(name) if NAME.match(name or "") else None
    try:
        _hasher.verify(user["password_hash"] if user else _DUMMY, password)
    except (VerificationError, InvalidHashError):
        return None
    return user


def main(argv: Optional[List[str]] = None) -> int:
    from web.config import WebConfig

    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 2:
        print("usage: make staff-user NAME=<name> ROLE=viewer|editor  (password on stdin)",
              file=sys.stderr)
        return 2
    name, role = argv
    if sys.stdin.isatty():
        import getpass
        password = getpass.getpass(f"password for {name}: ")
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    try:
        created = save(StaffStore(WebConfig.from_env().staff_db_url), name, role, password)
    except AccountError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"{'created' if created else 'updated'} {role} {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
