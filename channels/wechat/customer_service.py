"""Client of the 客服消息 (customer-service message) API, for answers that miss the 5 s window.

  POST {api_base}/cgi-bin/message/custom/send?access_token=..
       {"touser": openid, "msgtype": "text", "text": {"content": "..."}} → {"errcode": 0}

The access token comes from channels.wechat.api (cached, fetched again once when WeChat calls it
invalid). The server's public IP must be on the account's IP whitelist (IP白名单) or the token
call fails with errcode 40164.
"""
from __future__ import annotations

import time
from typing import Callable, Optional

from channels.wechat.api import TOKEN_MARGIN, WeChatApi
from channels.wechat.errors import CustomerServiceError

HINTS = {
    45015: "the user has not written to the account in the last 48 hours",
    48001: "the account has no customer-service message permission",
}


class CustomerServiceClient:
    def __init__(self, appid: str, appsecret: str, api_base: Optional[str] = None,
                 timeout: float = 10.0, margin: float = TOKEN_MARGIN,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.api = WeChatApi(appid, appsecret, api_base, timeout=timeout, margin=margin,
                             clock=clock, hints=HINTS, error=CustomerServiceError)

    @property
    def api_base(self) -> str:
        return self.api.api_base

    async def send_text(self, openid: str, content: str) -> None:
        """Send one text message to `openid`; raises CustomerServiceError."""
        await self.api.call("POST", "/cgi-bin/message/custom/send", {
            "touser": openid, "msgtype": "text", "text": {"content": content}})
