import pytest

from channels.wechat.errors import MalformedMessage, MessageTooLarge
from channels.wechat.menu_file import load_menu
from channels.wechat.messages import (
    ANY_EVENT,
    EMPTY_TEXT,
    MAX_BODY_BYTES,
    MENU_GONE_TEXT,
    UNSUPPORTED_TEXT,
    VOICE_NOT_RECOGNISED_TEXT,
    HandlerContext,
    HandlerRegistry,
    InboundMessage,
    Outcome,
    default_registry,
    parse_xml,
)
from channels.wechat.turns import FixedTurn
from tests.channels.conftest import ACCOUNT, OPENID, message_xml

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<xml><ToUserName>gh</ToUserName><FromUserName>o1</FromUserName><MsgType>text</MsgType>
<Content>&lol9;</Content></xml>"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<xml><ToUserName>gh</ToUserName><FromUserName>o1</FromUserName><MsgType>text</MsgType>
<Content>&xxe;</Content></xml>"""

EXTERNAL_DTD = """<?xml version="1.0"?>
<!DOCTYPE xml SYSTEM "http://127.0.0.1:1/evil.dtd">
<xml><ToUserName>gh</ToUserName><FromUserName>o1</FromUserName><MsgType>text</MsgType></xml>"""

PARAMETER_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE xml [<!ENTITY % remote SYSTEM "http://127.0.0.1:1/x.dtd"> %remote;]>
<xml><ToUserName>gh</ToUserName></xml>"""


def parse(xml: str) -> InboundMessage:
    return InboundMessage.from_fields(parse_xml(xml.encode("utf-8")))


MENU = load_menu()
CONTEXT = HandlerContext(menu=MENU)
WELCOME = Outcome.reply(MENU.replies["welcome"].text, FixedTurn("/greet", "greet", "welcome"))


def dispatch(xml: str) -> Outcome:
    return default_registry().dispatch(parse(xml), CONTEXT)


def test_parse_text():
    message = parse(message_xml("text", Content="退休审批要带什么材料", msg_id="6054768590064713728"))
    assert message.openid == OPENID
    assert message.account == ACCOUNT
    assert message.msg_type == "text"
    assert message.event is None
    assert message.get("Content") == "退休审批要带什么材料"
    assert message.dedupe_key == (OPENID, "6054768590064713728")


def test_event_dedupe_key_uses_create_time():
    message = parse(message_xml("event", msg_id=None, Event="subscribe"))
    assert message.event == "subscribe"
    assert message.dedupe_key[0] == OPENID and message.get("CreateTime") in message.dedupe_key


def test_two_clicks_in_one_second_are_two_events():
    first, second = (parse(message_xml("event", msg_id=None, Event="CLICK", EventKey=key))
                     for key in ("handoff", "address"))
    assert first.get("CreateTime") == second.get("CreateTime")
    assert first.dedupe_key != second.dedupe_key


@pytest.mark.parametrize("xml,expected", [
    (message_xml("text", Content="失业金怎么领"), Outcome.ask("失业金怎么领")),
    (message_xml("text", Content="   "), Outcome.reply(EMPTY_TEXT)),
    (message_xml("voice", MediaId="m1", Format="amr", Recognition="社保卡丢了怎么办"),
     Outcome.ask("社保卡丢了怎么办")),
    (message_xml("voice", MediaId="m1", Format="amr"), Outcome.reply(VOICE_NOT_RECOGNISED_TEXT)),
    (message_xml("voice", MediaId="m1", Format="amr", Recognition=""),
     Outcome.reply(VOICE_NOT_RECOGNISED_TEXT)),
    (message_xml("image", PicUrl="http://x/p.jpg", MediaId="m"), Outcome.reply(UNSUPPORTED_TEXT)),
    (message_xml("location", Location_X="41.8", Location_Y="123.9", Scale="15", Label="抚顺"),
     Outcome.reply(UNSUPPORTED_TEXT)),
    (message_xml("link", Title="t", Description="d", Url="http://x"),
     Outcome.reply(UNSUPPORTED_TEXT)),
    (message_xml("video", MediaId="m", ThumbMediaId="t"), Outcome.reply(UNSUPPORTED_TEXT)),
    (message_xml("shortvideo", MediaId="m", ThumbMediaId="t"), Outcome.reply(UNSUPPORTED_TEXT)),
    (message_xml("file", Title="a.pdf", FileKey="k"), Outcome.reply(UNSUPPORTED_TEXT)),
    (message_xml("miniprogrampage", Title="x"), Outcome.reply(UNSUPPORTED_TEXT)),
    (message_xml("event", msg_id=None, Event="subscribe"), WELCOME),
    (message_xml("event", msg_id=None, Event="subscribe", EventKey="qrscene_123"), WELCOME),
    (message_xml("event", msg_id=None, Event="unsubscribe"), Outcome.silent()),
    (message_xml("event", msg_id=None, Event="CLICK", EventKey="MENU_1"),
     Outcome.reply(MENU_GONE_TEXT)),
    (message_xml("event", msg_id=None, Event="CLICK", EventKey="handoff"),
     Outcome.ask("/human_handoff")),
    (message_xml("event", msg_id=None, Event="VIEW", EventKey="http://fsrs.fushun.gov.cn/"),
     Outcome.silent()),
    (message_xml("event", msg_id=None, Event="LOCATION", Latitude="1", Longitude="2"),
     Outcome.silent()),
    (message_xml("event", msg_id=None), Outcome.silent()),
])
def test_every_message_type(xml, expected):
    assert dispatch(xml) == expected


def test_unsupported_text_says_only_text_and_voice():
    assert "文字" in UNSUPPORTED_TEXT and "语音" in UNSUPPORTED_TEXT


def test_registry_lookup_order():
    registry = HandlerRegistry(fallback=lambda m, c: Outcome.reply("fallback"))
    registry.add("event", lambda m, c: Outcome.reply("scan"), event="SCAN")
    registry.add("event", lambda m, c: Outcome.silent(), event=ANY_EVENT)
    assert registry.dispatch(parse(message_xml("event", msg_id=None, Event="scan")),
                             CONTEXT) == Outcome.reply("scan")
    assert registry.dispatch(parse(message_xml("event", msg_id=None, Event="VIEW")),
                             CONTEXT) == Outcome.silent()
    assert registry.dispatch(parse(message_xml("text", Content="x")),
                             CONTEXT) == Outcome.reply("fallback")


def test_message_type_is_case_insensitive():
    assert dispatch(message_xml("TEXT", Content="你好")) == Outcome.ask("你好")


@pytest.mark.parametrize("body", [BILLION_LAUGHS, EXTERNAL_ENTITY, EXTERNAL_DTD, PARAMETER_ENTITY])
def test_dtds_and_entities_are_refused(body):
    with pytest.raises(MalformedMessage):
        parse_xml(body.encode("utf-8"))


@pytest.mark.parametrize("body", [b"", b"   ", b"not xml", b"<xml><a></xml>",
                                  b"<root><MsgType>text</MsgType></root>", b"\xff\xfe<xml/>"])
def test_malformed_bodies(body):
    with pytest.raises(MalformedMessage):
        parse_xml(body)


@pytest.mark.parametrize("missing", ["ToUserName", "FromUserName", "MsgType"])
def test_required_fields(missing):
    fields = parse_xml(message_xml("text", Content="x").encode())
    fields.pop(missing)
    with pytest.raises(MalformedMessage):
        InboundMessage.from_fields(fields)


def test_openid_must_look_like_one():
    with pytest.raises(MalformedMessage):
        parse(message_xml("text", openid="a b", Content="x"))
    with pytest.raises(MalformedMessage):
        parse(message_xml("text", openid="o" * 200, Content="x"))


def test_size_limit():
    filler = "字" * (MAX_BODY_BYTES // 3 + 10)
    with pytest.raises(MessageTooLarge):
        parse_xml(message_xml("text", Content=filler).encode("utf-8"))
    assert parse_xml(message_xml("text", Content="字" * 1000).encode("utf-8"))


def test_nested_elements_are_ignored_and_first_field_wins():
    fields = parse_xml(b"<xml><MsgType>text</MsgType><MsgType>image</MsgType>"
                       b"<ScanCodeInfo><ScanType>qrcode</ScanType></ScanCodeInfo></xml>")
    assert fields["MsgType"] == "text"
    assert "ScanType" not in fields
