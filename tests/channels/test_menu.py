"""`make wechat-menu` (channels.wechat.menu) against a stand-in for WeChat's API on 127.0.0.1."""
import pytest

from channels.wechat import menu_file
from channels.wechat.api import WeChatApi
from channels.wechat.errors import WeChatApiError
from channels.wechat.menu import HINTS, main, push, run, show
from channels.wechat.menu_file import load_menu
from tests.channels.conftest import APPID, APPSECRET

MENU = load_menu()
CREATE = "/cgi-bin/menu/create"
CURRENT = "/cgi-bin/get_current_selfmenu_info"


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def api(stand_in, clock=None):
    return WeChatApi(APPID, APPSECRET, stand_in.url, hints=HINTS, clock=clock or Clock(),
                     timeout=5)


def env(stand_in):
    return {"WECHAT_APPID": APPID, "WECHAT_APPSECRET": APPSECRET, "WECHAT_API_BASE": stand_in.url}


# ---- push and show ------------------------------------------------------------------------------

async def test_push_sends_the_files_menu_with_a_token(wechat_api, capsys):
    assert await run("push", env(wechat_api)) == 0
    assert wechat_api.token_requests == [
        {"grant_type": "client_credential", "appid": APPID, "secret": APPSECRET}]
    ((path, token, body),) = wechat_api.menu_calls
    assert (path, token) == (CREATE, "ACCESS_TOKEN_1")
    assert body == MENU.wechat_menu()
    assert body["button"][2]["sub_button"][2] == {
        "name": "网上经办大厅", "type": "view", "url": "http://fsrs.fushun.gov.cn/"}
    out = capsys.readouterr().out
    assert "WeChat accepted the menu of channels/wechat/menu.yml" in out
    assert "    · 社保卡挂失 → click item:card_loss_report" in out


async def test_show_after_push_prints_the_live_menu_and_that_it_is_the_files(wechat_api, capsys):
    await run("push", env(wechat_api))
    capsys.readouterr()
    assert await run("show", env(wechat_api)) == 0
    out = capsys.readouterr().out
    assert out.startswith("Menu users see now (get_current_selfmenu_info):\n  办事指南\n")
    assert "    · 网上经办大厅 → view http://fsrs.fushun.gov.cn/" in out
    assert out.strip().endswith("It is the menu of channels/wechat/menu.yml.")
    assert [call[0] for call in wechat_api.menu_calls] == [CREATE, CURRENT]


async def test_show_without_a_menu(wechat_api):
    lines = await show(api(wechat_api))
    assert lines[0] == "No menu is live on the account (菜单未开启)."
    assert "It is not the menu of channels/wechat/menu.yml" in lines[-1]


async def test_show_a_menu_made_in_the_web_console(wechat_api):
    wechat_api.selfmenu = {"is_menu_open": 1, "selfmenu_info": {"button": [
        {"type": "text", "name": "办事指南", "value": "请拨打12333"},
        {"name": "关于我们", "sub_button": {"list": [
            {"type": "view", "name": "官网", "url": "http://fsrs.fushun.gov.cn/"},
            {"type": "news", "name": "通知", "value": "KQb_w_Tiz-nSdVLoTV35Psmty8hGBulG"}]}}]}}
    lines = await show(api(wechat_api))
    assert lines[1:5] == ["  办事指南 → text 请拨打12333", "  关于我们",
                          "    · 官网 → view http://fsrs.fushun.gov.cn/",
                          "    · 通知 → news KQb_w_Tiz-nSdVLoTV35Psmty8hGBulG"]
    assert lines[-1].startswith("It is not the menu of channels/wechat/menu.yml")


async def test_show_still_works_with_a_broken_file(wechat_api, monkeypatch, tmp_path):
    broken = tmp_path / "menu.yml"
    broken.write_text("button: []\n", encoding="utf-8")
    monkeypatch.setattr(menu_file, "DEFAULT_PATH", broken)
    lines = await show(api(wechat_api))
    assert lines[0].startswith("No menu is live")
    assert "not compared" in lines[-1] and "button: WeChat allows 1 to 3" in lines[-1]


async def test_a_malformed_file_is_never_pushed(wechat_api, monkeypatch, tmp_path, capsys):
    broken = tmp_path / "menu.yml"
    broken.write_text(menu_file.DEFAULT_PATH.read_text(encoding="utf-8").replace(
        "item:card_loss_report", "item:card_lost"), encoding="utf-8")
    monkeypatch.setattr(menu_file, "DEFAULT_PATH", broken)
    assert await run("push", env(wechat_api)) == 1
    err = capsys.readouterr().err
    assert "nothing was pushed" in err
    assert "button[1].sub_button[3].key: no item with id 'card_lost'" in err
    assert wechat_api.menu_calls == [] and wechat_api.token_requests == []


@pytest.mark.parametrize("missing", ["WECHAT_APPID", "WECHAT_APPSECRET"])
async def test_credentials_are_needed(wechat_api, capsys, missing):
    environ = env(wechat_api)
    del environ[missing]
    assert await run("push", environ) == 2
    assert "WECHAT_APPID and WECHAT_APPSECRET" in capsys.readouterr().err
    assert wechat_api.token_requests == []


async def test_a_bad_api_base(capsys):
    environ = {"WECHAT_APPID": APPID, "WECHAT_APPSECRET": APPSECRET, "WECHAT_API_BASE": "ftp://x"}
    assert await run("show", environ) == 2
    assert "WECHAT_API_BASE" in capsys.readouterr().err


def test_command_line_takes_push_or_show(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["delete"])
    assert exit_.value.code == 2 and "push" in capsys.readouterr().err


# ---- access token -------------------------------------------------------------------------------

async def test_token_is_cached_and_fetched_again_after_expiry(wechat_api):
    clock = Clock()
    client = api(wechat_api, clock)
    await push(client, MENU)
    await show(client)
    assert len(wechat_api.token_requests) == 1
    clock.now += 7200 - 300 + 1  # five minutes before expiry the token is renewed
    await show(client)
    assert len(wechat_api.token_requests) == 2
    assert [call[1] for call in wechat_api.menu_calls] == [
        "ACCESS_TOKEN_1", "ACCESS_TOKEN_1", "ACCESS_TOKEN_2"]


@pytest.mark.parametrize("errcode,errmsg", [
    (40001, "invalid credential, access_token is invalid or not latest"),
    (42001, "access_token expired"),
    (40014, "invalid access_token")])
async def test_a_rejected_token_is_fetched_again_and_the_call_retried_once(wechat_api, errcode,
                                                                           errmsg):
    wechat_api.menu_replies = [{"errcode": errcode, "errmsg": errmsg}]
    await push(api(wechat_api), MENU)
    assert len(wechat_api.token_requests) == 2
    assert [(call[0], call[1]) for call in wechat_api.menu_calls] == [
        (CREATE, "ACCESS_TOKEN_1"), (CREATE, "ACCESS_TOKEN_2")]
    assert wechat_api.selfmenu["is_menu_open"] == 1  # the retry went through


async def test_a_token_rejected_twice_is_an_error(wechat_api):
    wechat_api.menu_replies = [{"errcode": 40001, "errmsg": "a"}, {"errcode": 40001, "errmsg": "b"}]
    with pytest.raises(WeChatApiError) as error:
        await push(api(wechat_api), MENU)
    assert error.value.errcode == 40001 and error.value.errmsg == "b"
    assert len(wechat_api.menu_calls) == 2


# ---- WeChat's error codes -----------------------------------------------------------------------

@pytest.mark.parametrize("reply,shown", [
    ({"errcode": 40018, "errmsg": "invalid button name size"},
     "/cgi-bin/menu/create: errcode 40018 invalid button name size"),
    ({"errcode": 48001, "errmsg": "api unauthorized"},
     "errcode 48001 api unauthorized (the account may not set a menu by API"),
    ({"errcode": 40055, "errmsg": "invalid button url domain"},
     "errcode 40055 invalid button url domain (a button's url is on a domain WeChat refuses)"),
])
async def test_menu_errors_are_surfaced_with_errcode_and_errmsg(wechat_api, capsys, reply, shown):
    wechat_api.menu_replies = [reply]
    assert await run("push", env(wechat_api)) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: WeChat refused: ") and shown in err
    with pytest.raises(WeChatApiError) as error:
        wechat_api.menu_replies = [reply]
        await push(api(wechat_api), MENU)
    assert (error.value.errcode, error.value.errmsg) == (reply["errcode"], reply["errmsg"])
    assert error.value.status == 502


async def test_token_errors_are_surfaced_with_the_fix(wechat_api, capsys):
    wechat_api.token_reply = {"errcode": 40164, "errmsg": "invalid ip 1.2.3.4, not in whitelist"}
    assert await run("show", env(wechat_api)) == 1
    err = capsys.readouterr().err
    assert "/cgi-bin/token: errcode 40164 invalid ip 1.2.3.4, not in whitelist" in err
    assert "IP白名单" in err
    assert wechat_api.menu_calls == []


async def test_an_unreachable_api_is_an_error():
    client = WeChatApi(APPID, APPSECRET, "http://127.0.0.1:9", timeout=2)
    with pytest.raises(WeChatApiError) as error:
        await show(client)
    assert error.value.errcode is None and "/cgi-bin/token" in str(error.value)
