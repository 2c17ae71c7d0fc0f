"""actions.knowledge: the guide follows guide.yml when it changes (looked at once a second at
most); the search follows the guide."""
import os
import time

import yaml

from actions import knowledge
from guide_kb.loader import DEFAULT_PATH


def test_an_edited_guide_is_read_again_and_searched(tmp_path, monkeypatch):
    raw = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    path = tmp_path / "guide.yml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("GUIDE_PATH", str(path))
    before, search = knowledge.guide(), knowledge.search()
    assert knowledge.search() is search  # built once per guide

    raw["packages"][9]["items"][0]["aliases"].append("卡片不见了")
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    os.utime(path, (1, 1))  # a new mtime even within the file system's clock tick
    time.sleep(knowledge.RECHECK_SECONDS + 0.1)
    assert knowledge.guide() is not before
    assert knowledge.search() is not search
    assert knowledge.search().search("卡片不见了")[0].item.id == raw["packages"][9]["items"][0]["id"]
