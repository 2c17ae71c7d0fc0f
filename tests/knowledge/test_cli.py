from guide_kb.__main__ import main


def test_search_prints_ranked_ids(capsys):
    assert main(["search", "社保卡挂失"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert "card_loss_report" in first and "第十包" in first


def test_search_with_no_result_says_so(capsys):
    assert main(["search", "公积金"]) == 1
    assert "12333" in capsys.readouterr().out


def test_show_prints_a_plain_text_card(capsys):
    assert main(["show", "funeral_grant"]) == 0
    out = capsys.readouterr().out
    assert "【丧葬补助金申领】" in out and "59号窗口" in out and "来源" in out


def test_show_unknown_id_is_a_clear_error(capsys):
    assert main(["show", "nope"]) == 2
    assert "unknown id: nope" in capsys.readouterr().err


def test_list_shows_all_packages(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert out.count("包 ") >= 10 and "card_unfreeze" in out


def test_rasa_data_check_passes_on_the_committed_files(capsys):
    assert main(["rasa-data", "--check"]) == 0
