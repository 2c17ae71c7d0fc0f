"""WeChat's server API (https://api.weixin.qq.com) with one cached access token.

  GET  {api_base}/cgi-bin/token?grant_type=client_credential&appid=..&secret=..
       → {"access_token": "...", "expires_in": 7200}
  then {api_base}/cgi-bin/<call>?access_token=.. with a UTF-8 JSON body → {"errcode": 0, ...}

The token is cached until `margin` seconds before it expires. When WeChat calls it invalid or
expired (40001, 40014, 42001) it is fetched again and the call retried once: fetching a token
elsewhere for the same account (`make wechat-menu` while the bot runs) invalidates this one.
A refused call raises the client's error class with WeChat's errcode and errmsg in the message,
plus what to do for the common codes.
"""
from __future__ import annotations

import asyncio
import json
import time
from typing import Any, Callable, Dict, Mapping, Optional, Type

import aiohttp

from channels.wechat.errors import WeChatApiError

DEFAULT_API_BASE = "https://api.weixin.qq.com"
TOKEN_MARGIN = 300.0  # seconds before expiry when a token is renewed
TOKEN_ERRCODES = {40001, 40014, 42001}  # invalid credential / invalid token / token expired
TOKEN_HINTS = {
    40164: "add this server's public IP to the account's IP whitelist (IP白名单)",
    40125: "WECHAT_APPSECRET is wrong",
    40013: "WECHAT_APPID is wrong",
}


def normalise_api_base(api_base: Optional[str]) -> str:
    base = (api_base or "").strip().rstrip("/") or DEFAULT_API_BASE
    if not base.startswith(("http://", "https://")):
        raise ValueError(f"api_base must start with http:// or https://, got {base!r}")
    return base


class WeChatApi:
    """Calls to WeChat's server API for one account. `hints` adds advice for the errcodes of the
    caller's calls; `error` is the exception class raised (a WeChatApiError)."""

    def __init__(self, appid: str, appsecret: str, api_base: Optional[str] = None, *,
                 timeout: float = 10.0, margin: float = TOKEN_MARGIN,
                 clock: Callable[[], float] = time.monotonic,
                 hints: Optional[Mapping[int, str]] = None,
                 error: Type[WeChatApiError] = WeChatApiError) -> None:
        if not appid or not appsecret:
            raise ValueError("appid and appsecret are needed for WeChat's API")
        self._appid = appid
        self._appsecret = appsecret
        self.api_base = normalise_api_base(api_base)
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._margin = margin
        self._clock = clock
        self._hints = {**TOKEN_HINTS, **(hints or {})}
        self._error = error
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
        async with self._lock:  # one fetch when several calls need a token at once
            if self._token and self._clock() < self._expires_at:
                return self._token
            data = await self._request(session, "GET", "/cgi-bin/token", params={
                "grant_type": "client_credential", "appid": self._appid,
                "secret": self._appsecret})
            token = data.get("access_token")
            if not isinstance(token, str) or not token:
                raise self._error("/cgi-bin/token: the response has no access_token")
            expires_in = float(data.get("expires_in") or 7200)
            margin = self._margin if expires_in > 2 * self._margin else expires_in / 2
            self._token, self._expires_at = token, self._clock() + expires_in - margin
            return token

    # ---- calls --------------------------------------------------------------------------------

    async def call(self, method: str, path: str,
                   json_body: Optional[Any] = None) -> Dict[str, Any]:
        """WeChat's JSON answer to `path` called with the access token; raises the error class."""
        async with aiohttp.ClientSession(timeout=self._timeout) as session:
            token = await self.access_token(session)
            try:
                return await self._request(session, method, path,
                                           params={"access_token": token}, json_body=json_body)
            except WeChatApiError as error:
                if error.errcode not in TOKEN_ERRCODES:
                    raise
            if self._token == token:  # unless a concurrent call has fetched a new one already
                self.invalidate_token()
            token = await self.access_token(session)
            return await self._request(session, method, path,
                                       params={"access_token": token}, json_body=json_body)

    async def _request(self, session: aiohttp.ClientSession, method: str, path: str,
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
            raise self._error(f"{path}: {type(error).__name__}: {error}") from None
        if status != 200:
            raise self._error(f"{path}: HTTP {status}")
        try:
            result = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise self._error(f"{path}: response is not JSON") from None
        if not isinstance(result, dict):
            raise self._error(f"{path}: response is not a JSON object")
        errcode = result.get("errcode", 0)
        if errcode:
            errmsg = str(result.get("errmsg", ""))
            hint = self._hints.get(errcode)
            raise self._error(
                f"{path}: errcode {errcode} {errmsg}" + (f" ({hint})" if hint else ""),
                errcode=errcode, errmsg=errmsg)
        return result
