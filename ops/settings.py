"""Every setting the deployment reads, from the environment, with the embedded defaults: the one
place any process (Rasa and its channels, the action server, the web pages, the operators'
commands) reads a variable of its configuration.

Nothing secret lives in the repo: tokens and database URLs come from these variables only. A
value that cannot work raises ConfigurationError, whose message names the variable.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Mapping, Optional, Tuple

ROOT = Path(__file__).resolve().parent.parent
# The trained model every process, test and benchmark uses (`make train` writes it).
MODEL = ROOT / "models" / "bot.tar.gz"
DEFAULT_FEEDBACK_DB = Path("var") / "feedback.db"


class ConfigurationError(ValueError):
    """A setting that cannot work, named in the message."""


@dataclass(frozen=True)
class WeChatSettings:
    """The 公众号's credentials (docs/wechat.md); without a token the channel is disabled."""
    token: Optional[str] = None
    appid: Optional[str] = None
    encoding_aes_key: Optional[str] = None
    appsecret: Optional[str] = None
    api_base: Optional[str] = None  # default https://api.weixin.qq.com

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> "WeChatSettings":
        return cls(**{name: _text(env, f"WECHAT_{name.upper()}")
                      for name in ("token", "appid", "encoding_aes_key", "appsecret",
                                   "api_base")})


@dataclass(frozen=True)
class Settings:
    bot_port: int = 5005
    actions_port: int = 5055
    actions_host: str = "127.0.0.1"  # only Rasa on this machine calls it; containers: 0.0.0.0
    web_port: int = 8000
    web_host: str = "127.0.0.1"
    # Rasa as the citizen's browser reaches it (the widget's data-bot-url); default
    # http://localhost:<bot_port>
    bot_url: Optional[str] = None
    web_allowed_origins: Tuple[str, ...] = ()  # pages of other sites that may call /api (CORS)
    web_access_log: bool = False
    feedback_db: Path = DEFAULT_FEEDBACK_DB  # 👍/👎 of the widget, read by the report too
    # postgresql://user:password@host:5432/db — default: SQLite in var/tracker.db
    tracker_db_url: Optional[str] = None
    # redis://host:6379/0 — default: Rasa's in-memory lock store (one instance)
    lock_store_url: Optional[str] = None
    auth_token: Optional[str] = None
    allowed_origins: List[str] = field(default_factory=list)  # of the bot's REST channel
    action_workers: int = 1
    sqlite_path: Path = ROOT / "var" / "tracker.db"
    # http://actions:5055/webhook when the action server runs elsewhere (containers); default:
    # http://localhost:<actions_port>/webhook
    action_endpoint_url: Optional[str] = None
    endpoints_path: Optional[Path] = None  # where `python -m ops.launch rasa` writes endpoints.yml
    wechat: WeChatSettings = WeChatSettings()
    # signs the staff pages' session cookies; unset: generated once into var/staff_secret.key
    staff_secret_key: Optional[str] = None
    # the staff dashboard lists guide entries not reviewed for longer than this
    review_interval_days: int = 365
    # the set a model is scored on before the staff pages publish it; None: tests/eval/dev.yml
    publish_eval_set: Optional[Path] = None

    @property
    def browser_bot_url(self) -> str:
        return (self.bot_url or f"http://localhost:{self.bot_port}").rstrip("/")

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> "Settings":
        origins = env.get("BOT_ALLOWED_ORIGINS", "http://localhost:8000,http://127.0.0.1:8000")
        return cls(bot_port=_port(env, "BOT_PORT", 5005),
                   actions_port=_port(env, "ACTIONS_PORT", 5055),
                   actions_host=_text(env, "ACTIONS_HOST") or "127.0.0.1",
                   web_port=_port(env, "WEB_PORT", 8000),
                   web_host=_text(env, "WEB_HOST") or "127.0.0.1",
                   bot_url=_text(env, "BOT_URL"),
                   web_allowed_origins=parse_origins(env.get("WEB_ALLOWED_ORIGINS", "")),
                   web_access_log=(_text(env, "WEB_ACCESS_LOG") or "").lower()
                   in ("1", "true", "yes"),
                   feedback_db=Path(_text(env, "FEEDBACK_DB") or DEFAULT_FEEDBACK_DB),
                   tracker_db_url=_text(env, "TRACKER_DB_URL"),
                   lock_store_url=_text(env, "LOCK_STORE_URL"),
                   auth_token=_text(env, "RASA_AUTH_TOKEN"),
                   allowed_origins=[o.strip() for o in origins.split(",") if o.strip()],
                   action_workers=_int(env, "ACTION_WORKERS", 1),
                   sqlite_path=Path(_text(env, "TRACKER_SQLITE_PATH")
                                    or ROOT / "var" / "tracker.db"),
                   action_endpoint_url=_text(env, "ACTION_ENDPOINT_URL"),
                   endpoints_path=Path(env["ENDPOINTS_PATH"]) if _text(env, "ENDPOINTS_PATH")
                   else None,
                   wechat=WeChatSettings.from_env(env),
                   staff_secret_key=_text(env, "STAFF_SECRET_KEY"),
                   review_interval_days=_int(env, "REVIEW_INTERVAL_DAYS", 365),
                   publish_eval_set=Path(env["PUBLISH_EVAL_SET"]) if _text(
                       env, "PUBLISH_EVAL_SET") else None)


def parse_origins(text: str) -> Tuple[str, ...]:
    """'https://a.gov.cn, https://b.gov.cn/' -> ('https://a.gov.cn', 'https://b.gov.cn')."""
    return tuple(o.strip().rstrip("/") for o in text.replace(" ", ",").split(",") if o.strip())


def _text(env: Mapping[str, str], name: str) -> Optional[str]:
    """The variable's value; unset or blank is None."""
    return (env.get(name) or "").strip() or None


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = _text(env, name) or str(default)
    try:
        value = int(raw)
    except ValueError:
        raise ConfigurationError(f"{name} must be a whole number, got {raw!r}") from None
    if value < 0:
        raise ConfigurationError(f"{name} must not be negative, got {value}")
    return value


def _port(env: Mapping[str, str], name: str, default: int) -> int:
    value = _int(env, name, default)
    if value > 65535:
        raise ConfigurationError(f"{name} must be between 0 and 65535, got {value}")
    return value
