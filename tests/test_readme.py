"""README.md's picture of how a message flows names only files that exist."""
import re

from ops.settings import ROOT

SOURCE_DIRS = ("actions", "channels", "guide_kb", "knowledge", "nlu_components", "ops", "web",
               "data")


def test_every_file_in_the_message_flow_picture_exists():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    picture = readme.split("## How a message flows", 1)[1].split("```", 2)[1]
    named = set(re.findall(r"[\w/]+\.(?:py|js|yml)\b", picture))
    assert len(named) >= 20
    basenames = {p.name for d in SOURCE_DIRS for p in (ROOT / d).rglob("*")}
    missing = sorted(n for n in named if not ((ROOT / n).exists() if "/" in n
                                              else n in basenames or (ROOT / n).exists()))
    assert not missing, f"README names files that do not exist: {missing}"
