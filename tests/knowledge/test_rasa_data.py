import yaml

from guide_kb.rasa_data import LOOKUP_PATH, lookup_yaml
from guide_kb.tokenize import USERDICT_FILE, userdict_text


def test_generated_files_are_up_to_date(guide):
    assert USERDICT_FILE.read_text(encoding="utf-8") == userdict_text(guide), \
        "run: python -m guide_kb rasa-data"
    assert LOOKUP_PATH.read_text(encoding="utf-8") == lookup_yaml(guide), \
        "run: python -m guide_kb rasa-data"


def test_lookup_lists_every_item_longest_first(guide):
    data = yaml.safe_load(lookup_yaml(guide))
    lookup = next(b for b in data["nlu"] if b.get("lookup") == "service")
    names = [line[2:] for line in lookup["examples"].splitlines()]
    assert {i.name for i in guide.items} <= set(names)
    assert [len(n) for n in names] == sorted((len(n) for n in names), reverse=True)


def test_shared_aliases_are_not_synonyms_of_one_item(guide):
    data = yaml.safe_load(lookup_yaml(guide))
    synonyms = {line[2:] for b in data["nlu"] if "synonym" in b
                for line in b["examples"].splitlines()}
    assert "失业金" not in synonyms


def test_userdict_keeps_guide_terms_whole(guide):
    terms = {line.split(" ")[0] for line in userdict_text(guide).splitlines()}
    assert {"失业保险金", "社会保障卡", "就业创业证"} <= terms
