"""Typed errors of the WeChat channel.

Each refusal carries the HTTP status the webhook answers with, so the channel maps an error to a
response in one place and a refused request never reaches the bot.
"""
from __future__ import annotations

from typing import Optional, Sequence, Tuple

from ops import settings


class WeChatError(Exception):
    """Base class; `status` is the HTTP status of the webhook's answer."""

    status = 400


class ChannelDisabled(WeChatError):
    """The channel has no Token: every request is answered 503."""

    status = 503


class ConfigurationError(WeChatError, settings.ConfigurationError):
    """A credential is present but unusable (e.g. an EncodingAESKey that is not 43 characters):
    the deployment's ConfigurationError, answered 503 by the webhook."""

    status = 503


class EncryptionNotConfigured(ConfigurationError):
    """An encrypted (兼容/安全 mode) request arrived but no EncodingAESKey/AppID is configured."""


class InvalidSignature(WeChatError):
    """signature or msg_signature does not match: the request does not come from WeChat."""

    status = 403


class StaleTimestamp(WeChatError):
    """The signed timestamp is outside the freshness window (a replayed request)."""

    status = 403


class ReplayedRequest(WeChatError):
    """A signed timestamp and nonce seen before with another body: a captured signature reused."""

    status = 403


class AppIdMismatch(WeChatError):
    """The decrypted message names another official account's AppID."""

    status = 403


class MessageTooLarge(WeChatError):
    """The body is over the size limit (64 KB by default)."""

    status = 413


class MalformedMessage(WeChatError):
    """The body is not a WeChat XML message (bad XML, DTD/entities, missing fields)."""

    status = 400


class DecryptionError(MalformedMessage):
    """The Encrypt field does not decrypt to a well-formed WeChat plaintext."""


class WeChatApiError(WeChatError):
    """WeChat's server API (or its access-token endpoint) refused a call or could not be reached;
    the message carries WeChat's errcode and errmsg."""

    status = 502

    def __init__(self, message: str, errcode: Optional[int] = None,
                 errmsg: Optional[str] = None) -> None:
        super().__init__(message)
        self.errcode = errcode
        self.errmsg = errmsg


class CustomerServiceError(WeChatApiError):
    """The 客服消息 API (or its access-token endpoint) refused a call."""


class MenuFileError(ConfigurationError):
    """menu.yml breaks a rule: each problem names the entry (button[1].sub_button[2].key) and the
    rule, so the bureau can fix the file without reading code."""

    def __init__(self, source: str, problems: Sequence[Tuple[str, str]]) -> None:
        self.source = source
        self.problems = list(problems)  # (entry, rule)
        self.path, self.rule = self.problems[0]
        super().__init__("\n".join(f"{source}: {path}: {rule}" for path, rule in self.problems))
