"""ops.settings: every variable of the deployment read in one place; a value that cannot work is a
ConfigurationError naming the variable, for every process alike."""
import dataclasses
from pathlib import Path

import pytest

from channels.wechat.channel import WeChatInput, read_credentials
from channels.wechat.errors import ConfigurationError as WeChatConfigurationError
from ops.settings import ConfigurationError, Settings, WeChatSettings
from web.config import WebConfig


def test_settings_from_the_environment(tmp_path):
    settings = Settings.from_env({
        "BOT_PORT": "5006", "TRACKER_DB_URL": "postgresql://db/rasa",
        "LOCK_STORE_URL": "redis://cache/0", "RASA_AUTH_TOKEN": "t0k",
        "BOT_ALLOWED_ORIGINS": "https://a.example, https://b.example,", "ACTION_WORKERS": "2",
        "ACTION_ENDPOINT_URL": "http://actions:5055/webhook",
        "TRACKER_SQLITE_PATH": str(tmp_path / "t.db"), "ACTIONS_HOST": "0.0.0.0",
        "ENDPOINTS_PATH": str(tmp_path / "e.yml")})
    assert settings.bot_port == 5006 and settings.action_workers == 2
    assert settings.allowed_origins == ["https://a.example", "https://b.example"]
    assert settings.auth_token == "t0k" and settings.sqlite_path == tmp_path / "t.db"
    assert settings.actions_host == "0.0.0.0" and settings.endpoints_path == tmp_path / "e.yml"
    assert Settings.from_env({}).tracker_db_url is None
    assert Settings.from_env({"RASA_AUTH_TOKEN": ""}).auth_token is None


@pytest.mark.parametrize("name, value", [("BOT_PORT", "two"), ("ACTION_WORKERS", "two"),
                                         ("WEB_PORT", "abc"), ("WEB_PORT", "-1"),
                                         ("ACTIONS_PORT", "70000")])
def test_a_bad_number_is_a_configuration_error_naming_the_variable(name, value):
    with pytest.raises(ConfigurationError, match=name):
        Settings.from_env({name: value})


def test_the_web_pages_read_their_port_and_bot_from_the_same_settings():
    env = {"WEB_PORT": "9000", "BOT_PORT": "5006", "FEEDBACK_DB": "/tmp/x/fb.db"}
    settings, config = Settings.from_env(env), WebConfig.from_env(env)
    assert config.port == settings.web_port == 9000
    assert config.bot_url == settings.browser_bot_url == "http://localhost:5006"
    assert config.feedback_db == settings.feedback_db == Path("/tmp/x/fb.db")
    assert WebConfig.from_env({"BOT_URL": "https://bot.example.gov.cn/"}).bot_url == \
        "https://bot.example.gov.cn"


def test_wechat_credentials_are_read_from_the_environment_once():
    env = {"WECHAT_TOKEN": "tok", "WECHAT_APPID": "wx1", "WECHAT_API_BASE": " "}
    wechat = Settings.from_env(env).wechat
    assert wechat == WeChatSettings(token="tok", appid="wx1")
    # the channel takes exactly these: nothing of credentials.yml but tuning numbers
    assert {k: v for k, v in read_credentials({"token": "file"}, env).items()
            if k in dataclasses.asdict(wechat)} == dataclasses.asdict(wechat)


def test_one_configuration_error():
    assert issubclass(WeChatConfigurationError, ConfigurationError)
    assert not WeChatInput(token="t", appid="wx1", encoding_aes_key="short").enabled
