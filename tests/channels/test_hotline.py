"""channels.hotline: the channels' own replies take the hotline from the guide, not from code."""
import yaml

from channels.hotline import with_hotline
from channels.rest import BUSY, NOT_STORED, TOO_FAST
from channels.wechat.channel import NO_ANSWER_TEXT
from guide_kb.loader import DEFAULT_PATH


def test_the_hotline_comes_from_the_guide(tmp_path, monkeypatch):
    raw = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    raw["document"]["hotline"] = "96000"
    path = tmp_path / "guide.yml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("GUIDE_PATH", str(path))
    assert with_hotline(BUSY) == "系统繁忙，暂时无法回答。请稍后再试，或拨打人力资源和社会保障服务热线96000。"


def test_every_reply_of_the_channels_gives_it():
    for template in (BUSY, NOT_STORED, TOO_FAST, NO_ANSWER_TEXT):
        assert "人力资源和社会保障服务热线12333" in with_hotline(template)
