"""The staff data: accounts, resolutions of inbox entries, the audit log, published models.

In the tracker store's PostgreSQL database when TRACKER_DB_URL is set (tables prefixed staff_),
else in SQLite var/staff.db. SQLAlchemy Core, one short transaction per call.
"""
from __future__ import annotations

import datetime
import sqlite3
from pathlib import Path
from typing import Any, Dict, List, Optional

import sqlalchemy as sa

DEFAULT_SQLITE = Path("var") / "staff.db"

metadata = sa.MetaData()
users = sa.Table(
    "staff_users", metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("password_hash", sa.String(255), nullable=False),
    sa.Column("updated_at", sa.String(32), nullable=False))
audit = sa.Table(
    "staff_audit", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.String(32), nullable=False),
    sa.Column("user_name", sa.String(64), nullable=False),
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("target", sa.String(128), nullable=False),
    sa.Column("detail", sa.Text, nullable=False))
resolutions = sa.Table(
    "staff_resolutions", metadata,
    sa.Column("entry", sa.String(64), primary_key=True),   # turn:<event id> / rating:<id>
    sa.Column("kind", sa.String(16), nullable=False),      # means / right / gap
    sa.Column("item_id", sa.String(64)),
    sa.Column("wording", sa.Text),
    sa.Column("question", sa.Text, nullable=False),        # masked, as stored by the channel
    sa.Column("resolved_by", sa.String(64), nullable=False),
    sa.Column("resolved_at", sa.String(32), nullable=False))
sessions = sa.Table(
    "staff_sessions", metadata,
    sa.Column("id_hash", sa.String(64), primary_key=True),  # sha256 of the cookie's session id
    sa.Column("user_name", sa.String(64), nullable=False),
    sa.Column("expires", sa.Float, nullable=False))
models = sa.Table(
    "staff_models", metadata,
    sa.Column("name", sa.String(128), primary_key=True),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("cases", sa.Integer, nullable=False),
    sa.Column("published_by", sa.String(64)),
    sa.Column("published_at", sa.String(32)))


def now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


def engine_for(url: str) -> sa.engine.Engine:
    if url.startswith("sqlite:///"):
        path = Path(url[len("sqlite:///"):])
        path.parent.mkdir(parents=True, exist_ok=True)
        return sa.create_engine("sqlite://", creator=lambda: sqlite3.connect(
            str(path), timeout=10, check_same_thread=False))
    return sa.create_engine(url, connect_args={"connect_timeout": 5}, pool_pre_ping=True)


class StaffStore:
    def __init__(self, url: str) -> None:
        self.engine = engine_for(url)
        metadata.create_all(self.engine)

    # ---- accounts ----
    def user(self, name: str) -> Optional[Dict[str, Any]]:
        with self.engine.connect() as connection:
            row = connection.execute(sa.select(users).where(users.c.name == name)).first()
        return dict(row._mapping) if row else None

    def save_user(self, name: str, role: str, password_hash: str) -> bool:
        """Create or update; True when the account is new."""
        with self.engine.begin() as connection:
            exists = connection.execute(sa.select(users.c.name).where(users.c.name == name)
                                        ).first()
            values = {"role": role, "password_hash": password_hash, "updated_at": now()}
            if exists:
                connection.execute(users.update().where(users.c.name == name).values(**values))
            else:
                connection.execute(users.insert().values(name=name, **values))
        return not exists

    # ---- sessions ----
    def add_session(self, id_hash: str, user: str, expires: float) -> None:
        with self.engine.begin() as connection:
            connection.execute(sessions.delete().where(sessions.c.expires < expires - 86400 * 7))
            connection.execute(sessions.insert().values(id_hash=id_hash, user_name=user,
                                                        expires=expires))

    def session_user(self, id_hash: str, at: float) -> Optional[Dict[str, Any]]:
        """The account of a live session, None when it ended or the account is gone."""
        query = (sa.select(users).join(sessions, sessions.c.user_name == users.c.name)
                 .where(sessions.c.id_hash == id_hash, sessions.c.expires > at))
        with self.engine.connect() as connection:
            row = connection.execute(query).first()
        return dict(row._mapping) if row else None

    def end_session(self, id_hash: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(sessions.delete().where(sessions.c.id_hash == id_hash))

    # ---- audit ----
    def log(self, user: str, action: str, target: str, detail: str = "") -> None:
        with self.engine.begin() as connection:
            connection.execute(audit.insert().values(at=now(), user_name=user, action=action,
                                                     target=target[:128], detail=detail))

    def audit_log(self, limit: int = 200) -> List[Dict[str, Any]]:
        with self.engine.connect() as connection:
            rows = connection.execute(sa.select(audit).order_by(audit.c.id.desc()).limit(limit))
            return [dict(r._mapping) for r in rows]

    # ---- inbox resolutions ----
    def resolve(self, entry: str, kind: str, question: str, user: str,
                item_id: Optional[str] = None, wording: Optional[str] = None) -> bool:
        """False when the entry was already resolved (by someone else, in the meantime)."""
        try:
            with self.engine.begin() as connection:
                connection.execute(resolutions.insert().values(
                    entry=entry, kind=kind, item_id=item_id, wording=wording, question=question,
                    resolved_by=user, resolved_at=now()))
        except sa.exc.IntegrityError:
            return False
        return True

    def resolutions(self) -> Dict[str, Dict[str, Any]]:
        with self.engine.connect() as connection:
            return {r.entry: dict(r._mapping) for r in connection.execute(sa.select(resolutions))}

    def gaps(self) -> List[Dict[str, Any]]:
        with self.engine.connect() as connection:
            rows = connection.execute(sa.select(resolutions).where(resolutions.c.kind == "gap")
                                      .order_by(resolutions.c.resolved_at.desc()))
            return [dict(r._mapping) for r in rows]

    # ---- published models ----
    def model_score(self, name: str) -> Optional[Dict[str, Any]]:
        with self.engine.connect() as connection:
            row = connection.execute(sa.select(models).where(models.c.name == name)).first()
        return dict(row._mapping) if row else None

    def record_model(self, name: str, score: float, cases: int,
                     published_by: Optional[str] = None) -> None:
        with self.engine.begin() as connection:
            connection.execute(models.delete().where(models.c.name == name))
            connection.execute(models.insert().values(
                name=name, score=score, cases=cases, published_by=published_by,
                published_at=now() if published_by else None))
