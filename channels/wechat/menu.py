"""`make wechat-menu`: python -m channels.wechat.menu push|show — the 公众号's menu on WeChat.

push  checks channels/wechat/menu.yml and sends its menu with menu/create. WeChat clients fetch
      it the next time they open the account (at most 5 minutes late); unfollowing and following
      again shows it at once. The bot answers clicks from the same file: restart it after an edit.
show  prints the menu users see now (get_current_selfmenu_info), also one made in the web
      console, and whether it is the file's.

WECHAT_APPID and WECHAT_APPSECRET give the access token, WECHAT_API_BASE the API's address (as for
the channel). WeChat only answers a server on the account's IP whitelist (errcode 40164).
"""
from __future__ import annotations

import argparse
import asyncio
import os
import sys
from typing import Any, List, Mapping, Optional, Sequence, Tuple

from channels.wechat.api import WeChatApi
from channels.wechat.errors import MenuFileError, WeChatApiError
from channels.wechat.menu_file import MenuFile, load_menu
from ops.settings import WeChatSettings

HINTS = {
    48001: "the account may not set a menu by API (接口权限 自定义菜单); an unverified 订阅号 "
           "cannot",
    40054: "a sub-button's url is on a domain WeChat refuses",
    40055: "a button's url is on a domain WeChat refuses",
}


async def push(api: WeChatApi, menu: MenuFile) -> None:
    await api.call("POST", "/cgi-bin/menu/create", menu.wechat_menu())


async def current(api: WeChatApi) -> Mapping[str, Any]:
    """What users see: {"is_menu_open": 0|1, "selfmenu_info": {"button": [...]}}."""
    return await api.call("GET", "/cgi-bin/get_current_selfmenu_info")


Shape = Tuple[Any, ...]


def shape(button: Mapping[str, Any]) -> Shape:
    """A button as (name, type, target, sub-buttons), from menu/create's form or from
    get_current_selfmenu_info's (sub_button: {"list": [...]}, web-console types with a value)."""
    subs = button.get("sub_button") or ()
    if isinstance(subs, Mapping):
        subs = subs.get("list") or ()
    target = button.get("key") or button.get("url") or button.get("value") or ""
    return (button.get("name", ""), button.get("type", ""), target,
            tuple(shape(sub) for sub in subs))


def describe(shapes: Sequence[Shape]) -> List[str]:
    lines = []
    for name, kind, target, subs in shapes:
        lines.append(f"  {name}" + (f" → {kind} {target}".rstrip() if kind else ""))
        lines += [f"    · {sub[0]} → {sub[1]} {sub[2]}".rstrip() for sub in subs]
    return lines


async def show(api: WeChatApi) -> List[str]:
    info = await current(api)
    buttons = (info.get("selfmenu_info") or {}).get("button") or []
    live = tuple(shape(button) for button in buttons) if info.get("is_menu_open") else ()
    lines = (["Menu users see now (get_current_selfmenu_info):"] + describe(live) if live
             else ["No menu is live on the account (菜单未开启)."])
    try:
        menu = load_menu()
    except MenuFileError as error:  # what is live is still worth knowing
        return lines + [f"The menu file is refused, so it was not compared:\n{error}"]
    same = live == tuple(shape(button) for button in menu.wechat_menu()["button"])
    return lines + [f"It is the menu of {menu.source}." if same else
                    f"It is not the menu of {menu.source}: `make wechat-menu` pushes that one."]


async def run(command: str, environ: Mapping[str, str] = os.environ) -> int:
    wechat = WeChatSettings.from_env(environ)
    appid, appsecret = wechat.appid, wechat.appsecret
    if not appid or not appsecret:
        print("error: set WECHAT_APPID and WECHAT_APPSECRET (the account's 开发者ID and 开发者密码);"
              " see docs/wechat.md", file=sys.stderr)
        return 2
    try:
        api = WeChatApi(appid, appsecret, wechat.api_base, hints=HINTS)
    except ValueError as error:  # an API base that is not http(s)
        print(f"error: WECHAT_API_BASE: {error}", file=sys.stderr)
        return 2
    try:
        if command == "show":
            print("\n".join(await show(api)))
            return 0
        menu = load_menu()
        await push(api, menu)
    except MenuFileError as error:
        print(f"error: the menu file is refused, nothing was pushed:\n{error}", file=sys.stderr)
        return 1
    except WeChatApiError as error:
        print(f"error: WeChat refused: {error}", file=sys.stderr)
        return 1
    print(f"WeChat accepted the menu of {menu.source}:")
    print("\n".join(describe([shape(button) for button in menu.wechat_menu()["button"]])))
    print("Users get it when they next open the account (WeChat refreshes a menu older than 5 "
          "minutes; unfollow and follow again to see it at once). Restart the bot if replies, "
          "keywords or keys changed.")
    return 0


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m channels.wechat.menu",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("push", "show"),
                        help="push the menu of channels/wechat/menu.yml, or show what is live")
    return asyncio.run(run(parser.parse_args(argv).command))


if __name__ == "__main__":
    sys.exit(main())
