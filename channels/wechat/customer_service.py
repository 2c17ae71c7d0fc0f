"""Client of the 客服消息 (customer-service message) API, for answers that miss the 5 s window.

  GET  {api_base}/cgi-bin/token?grant_type=client_credential&appid=..&secret=..
       → {"access_token": "...", "expires_in": 7200}, cached until expiry minus a margin
  POST {api_base}/cgi-bin/message/custom/send?access_token=..
       {"touser": openid, "msgtype": "text", "text": {"content": "..."}} → {"errcode": 0}

The server's public IP must be on the account's IP whitelist (IP白名单) or the token call fails
with errcode 40164. A token WeChat calls invalid or expired is fetched again once.
"""
from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any, Callable, Dict, Optional

import aiohttp

from channels.wechat.errors import CustomerServiceError

logger = logging.getLogger(__name__)

DEFAULT_API_BASE = "https://api.weixin.qq.com"
TOKEN_MARGIN = 300.0  # seconds before expiry when a token is renewed
TOKEN_ERRCODES = {40001, 40014, 42001}  # invalid credential / invalid token / token expired
HINTS = {
    40164: "add this server's public IP to the account's IP whitelist (IP白名单)",
    40125: "WECHAT_APPSECRET is wrong",
    40013: "WECHAT_APPID is wrong",
    45015: "the user has not written to the account in the last 48 hours",
    48001: "the account has no customer-service message permission",
}


def normalise_api_base(api_base: Optional[str]) -> str:
    base = (api_base or "").strip().rstrip("/") or DEFAULT_API_BASE
    if not base.startswith(("http://", "https://")):
        raise ValueError(f"api_base must start with http:// or https://, got {base!r}")
    return base


class CustomerServiceClient:
    def __init__(self, appid: str, appsecret: str, api_base: Optional[str] = None,
                 timeout: float = 10.0, margin: float = TOKEN_MARGIN,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if not appid or not appsecret:
            raise ValueError("appid and appsecret are needed for the customer-service API")
        self._appid = appid
        self._appsecret = appsecret
        self.api_base = normalise_api_base(api_base)
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._margin = margin
        self._clock = clock
        self._token: Optional[str] = None
        self._expires_at = 0.0
        self._lock: Optional[asyncio.Lock] = None

    # ---- access token -------------------------------------------------------------------------

    def invalidate_token(self) -> None:
        self._token = None
        self._expires_at = 0.0

    async def access_token(self, session: aiohttp.ClientSession) -> str:
        if self._token and self._clock() < self._expires_at:
            return self._token
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:  # one fetch when several answers are late at once
            if self._token and self._clock() < self._expires_at:
                return self._token
            data = await self._call(session, "GET", "/cgi-bin/token", params={
                "grant_type": "client_credential", "appid": self._appid,
                "secret": self._appsecret})
            token = data.get("access_token")
            if not isinstance(token, str) or not token:
                raise CustomerServiceError("token response has no access_token")
            expires_in = float(data.get("expires_in") or 7200)
            margin = self._margin if expires_in > 2 * self._margin else expires_in / 2
            self._token, self._expires_at = token, self._clock() + expires_in - margin
            return token

    # ---- sending ------------------------------------------------------------------------------

    async def send_text(self, openid: str, content: str) -> None:
        """Send one text message to `openid`; raises CustomerServiceError."""
        body = {"touser": openid, "msgtype": "text", "text": {"content": content}}
        async with aiohttp.ClientSession(timeout=self._timeout) as session:
            for attempt in (1, 2):
                token = await self.access_token(session)
                try:
                    await self._call(session, "POST", "/cgi-bin/message/custom/send",
                                     params={"access_token": token}, json_body=body)
                    return
                except CustomerServiceError as error:
                    if attempt == 1 and error.errcode in TOKEN_ERRCODES:
                        self.invalidate_token()
                        continue
                    raise

    async def _call(self, session: aiohttp.ClientSession, method: str, path: str,
                    params: Dict[str, str], json_body: Optional[Any] = None) -> Dict[str, Any]:
        url = self.api_base + path
        data = None
        headers = {}
        if json_body is not None:  # WeChat wants UTF-8 text, not \\u escapes
            data = json.dumps(json_body, ensure_ascii=False).encode("utf-8")
            headers["Content-Type"] = "application/json; charset=utf-8"
        try:
            async with session.request(method, url, params=params, data=data,
                                       headers=headers) as response:
                raw = await response.read()
                status = response.status
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            raise CustomerServiceError(f"{path}: {type(error).__name__}: {error}") from None
        if status != 200:
            raise CustomerServiceError(f"{path}: HTTP {status}")
        try:
            result = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise CustomerServiceError(f"{path}: response is not JSON") from None
        if not isinstance(result, dict):
            raise CustomerServiceError(f"{path}: response is not a JSON object")
        errcode = result.get("errcode", 0)
        if errcode:
            errmsg = str(result.get("errmsg", ""))
            hint = HINTS.get(errcode)
            raise CustomerServiceError(
                f"{path}: errcode {errcode} {errmsg}" + (f" ({hint})" if hint else ""),
                errcode=errcode, errmsg=errmsg)
        return result
