from guide_kb.normalize import normalize, strip_control


def test_traditional_to_simplified():
    assert normalize("社會保障卡掛失怎麼辦") == "社会保障卡挂失怎么办"


def test_full_width_to_half_width():
    assert normalize("５９号窗口　１－１５号") == "59号窗口 1-15号"


def test_misspelled_service_names_are_fixed():
    assert normalize("社报卡丢了") == "社保卡丢了"
    assert normalize("失叶金怎么领") == "失业金怎么领"
    assert normalize("公伤去沈阳看病 路费能报不") == "工伤去沈阳看病 路费能报不"


def test_control_characters_and_spaces():
    assert normalize("社保卡\u200b\x00  挂失\n") == "社保卡 挂失"
    assert strip_control("a\x07b") == "ab"


def test_empty_and_none():
    assert normalize("") == ""
    assert normalize(None) == ""


def test_a_split_separable_verb_of_the_guide_is_joined():
    assert normalize("想去你们那登个记") == "想去你们那登记"
    assert normalize("社保卡挂了失") == "社保卡挂失"
    assert normalize("先把这事登上记") == "先把这事登记"
    assert normalize("想登记一下") == "想登记一下"  # nothing inside: unchanged


def test_vocabulary_lists_repeat_no_word():
    from collections import Counter

    from guide_kb.normalize import vocabulary

    def lists(node, path):
        if isinstance(node, list):
            yield path, node
        elif isinstance(node, dict):
            for key, value in node.items():
                yield from lists(value, f"{path}.{key}")
    for path, words in lists(vocabulary(), "vocabulary"):
        repeated = [w for w, n in Counter(map(str, words)).items() if n > 1]
        assert not repeated, f"{path}: {repeated}"
