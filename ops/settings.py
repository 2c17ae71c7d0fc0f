"""Every setting the deployment reads, from the environment, with the embedded defaults.

Nothing secret lives in the repo: tokens and database URLs come from these variables only.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Optional

ROOT = Path(__file__).resolve().parent.parent
# The trained model every process, test and benchmark uses (`make train` writes it).
MODEL = ROOT / "models" / "bot.tar.gz"


@dataclass(frozen=True)
class Settings:
    bot_port: int = 5005
    actions_port: int = 5055
    web_port: int = 8000
    # postgresql://user:password@host:5432/db — default: SQLite in var/tracker.db
    tracker_db_url: Optional[str] = None
    # redis://host:6379/0 — default: Rasa's in-memory lock store (one instance)
    lock_store_url: Optional[str] = None
    auth_token: Optional[str] = None
    allowed_origins: List[str] = field(default_factory=list)
    action_workers: int = 1
    sqlite_path: Path = ROOT / "var" / "tracker.db"
    # http://actions:5055/webhook when the action server runs elsewhere (containers); default:
    # http://localhost:<actions_port>/webhook
    action_endpoint_url: Optional[str] = None
    # signs the staff pages' session cookies; unset: generated once into var/staff_secret.key
    staff_secret_key: Optional[str] = None
    # the staff dashboard lists guide entries not reviewed for longer than this
    review_interval_days: int = 365

    @classmethod
    def from_env(cls, env=os.environ) -> "Settings":
        origins = env.get("BOT_ALLOWED_ORIGINS", "http://localhost:8000,http://127.0.0.1:8000")
        return cls(bot_port=_int(env, "BOT_PORT", 5005),
                   actions_port=_int(env, "ACTIONS_PORT", 5055),
                   web_port=_int(env, "WEB_PORT", 8000),
                   tracker_db_url=env.get("TRACKER_DB_URL") or None,
                   lock_store_url=env.get("LOCK_STORE_URL") or None,
                   auth_token=env.get("RASA_AUTH_TOKEN") or None,
                   allowed_origins=[o.strip() for o in origins.split(",") if o.strip()],
                   action_workers=_int(env, "ACTION_WORKERS", 1),
                   sqlite_path=Path(env.get("TRACKER_SQLITE_PATH",
                                            ROOT / "var" / "tracker.db")),
                   action_endpoint_url=env.get("ACTION_ENDPOINT_URL") or None,
                   staff_secret_key=env.get("STAFF_SECRET_KEY") or None,
                   review_interval_days=_int(env, "REVIEW_INTERVAL_DAYS", 365))


def _int(env, name: str, default: int) -> int:
    raw = str(env.get(name) or default).strip()
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, got {raw!r}") from None
    if value < 0:
        raise ValueError(f"{name} must not be negative, got {value}")
    return value
