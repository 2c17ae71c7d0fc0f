"""Settings of the web front: the web part of ops/settings.py (the environment is read there)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional, Tuple

from ops.endpoints import action_endpoint
from ops.report import tracker_url
from ops.settings import DEFAULT_FEEDBACK_DB, ROOT, Settings, parse_origins

__all__ = ["WebConfig", "parse_origins"]

DEFAULT_STAFF_DB = Path("var") / "staff.db"
DEFAULT_SECRET_FILE = Path("var") / "staff_secret.key"
DEFAULT_EVAL_SET = ROOT / "tests" / "eval" / "dev.yml"


@dataclass(frozen=True)
class WebConfig:
    host: str = "127.0.0.1"
    port: int = 8000
    bot_url: str = "http://localhost:5005"       # Rasa server with the REST channel
    allowed_origins: Tuple[str, ...] = ()          # origins allowed to call /api (CORS)
    feedback_db: Path = DEFAULT_FEEDBACK_DB
    guide_path: Optional[Path] = None              # None: guide_kb's default (GUIDE_PATH or repo)
    access_log: bool = False
    # the bot's tracker store (SQLAlchemy URL): 👍/👎 only for messages a sender received; None
    # takes every rating (a page without a bot behind it)
    tracker_url: Optional[str] = None
    # the staff pages' data (web/staff/store.py): the tracker store's PostgreSQL when it is one,
    # else SQLite var/staff.db
    staff_db_url: str = f"sqlite:///{DEFAULT_STAFF_DB}"
    staff_secret_key: Optional[str] = None         # None: generated into secret_file
    secret_file: Path = DEFAULT_SECRET_FILE
    review_interval_days: int = 365
    rasa_token: Optional[str] = None               # Rasa's HTTP API token: publishing a model
    action_url: str = "http://localhost:5055/webhook"  # the action server, for evaluating
    models_dir: Path = ROOT / "models"             # where published models are trained to
    publish_dir: Path = ROOT / "var" / "publish"   # publishing's training data and logs
    # the set a new model is scored on before it is published (tests/eval/run_eval.py)
    eval_set: Path = DEFAULT_EVAL_SET

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None) -> "WebConfig":
        """Raises ops.settings.ConfigurationError naming the variable that cannot work."""
        settings = Settings.from_env() if env is None else Settings.from_env(env)
        return cls.from_settings(settings)

    @classmethod
    def from_settings(cls, settings: Settings) -> "WebConfig":
        tracker = tracker_url(settings)
        return cls(host=settings.web_host, port=settings.web_port,
                   bot_url=settings.browser_bot_url,
                   allowed_origins=settings.web_allowed_origins,
                   feedback_db=settings.feedback_db, access_log=settings.web_access_log,
                   tracker_url=tracker,
                   staff_db_url=(tracker if tracker.startswith("postgresql://")
                                 else f"sqlite:///{DEFAULT_STAFF_DB}"),
                   staff_secret_key=settings.staff_secret_key,
                   review_interval_days=settings.review_interval_days,
                   rasa_token=settings.auth_token,
                   action_url=action_endpoint(settings)["url"],
                   eval_set=settings.publish_eval_set or DEFAULT_EVAL_SET)

    @classmethod
    def coerce(cls, value: "WebConfig | Mapping | None") -> "WebConfig":
        """create_app accepts a WebConfig, a dict of its fields, or None (environment)."""
        if value is None:
            return cls.from_env()
        if isinstance(value, cls):
            return value
        data = dict(value)
        if "allowed_origins" in data and isinstance(data["allowed_origins"], str):
            data["allowed_origins"] = parse_origins(data["allowed_origins"])
        if "allowed_origins" in data:
            data["allowed_origins"] = tuple(o.rstrip("/") for o in data["allowed_origins"])
        for key in ("feedback_db", "guide_path", "secret_file", "models_dir", "eval_set",
                    "publish_dir"):
            if data.get(key) is not None:
                data[key] = Path(data[key])
        if "bot_url" in data:
            data["bot_url"] = str(data["bot_url"]).rstrip("/")
        return cls(**data)

