"""channels.privacy.mask: personal numbers hidden, the numbers of the guide untouched."""
import pytest

from channels.privacy import mask

ID = "210402199001011234"
ID_X = "21040219900101123X"
PHONE = "13812345678"
CARD_16 = "6222021234567890"
CARD_19 = "6217000123456789012"


@pytest.mark.parametrize("text,label,tail", [
    (f"我的身份证号是{ID}，社保卡丢了", "身份证号", "1234"),
    (f"身份证{ID_X}怎么补办", "身份证号", "123X"),  # the last four characters, X included
    (f"身份证{ID_X.lower()}", "身份证号", "123X"),
    ("老身份证210402900101123", "身份证号", "1123"),       # 15 digits, the old ID
    ("身份证２１０４０２１９９００１０１１２３４", "身份证号", "1234"),  # full-width digits
    ("手机１３９１２３４５６７８", "手机号", "5678"),
    ("卡号622202123456789", "银行卡号", "6789"),           # 15-digit card (no date inside)
    (f"手机{PHONE}", "手机号", "5678"),
    ("电话 138 1234 5678 回我", "手机号", "5678"),
    ("电话138-1234-5678", "手机号", "5678"),
    ("+86 13812345678", "手机号", "5678"),
    (f"银行卡{CARD_16}", "银行卡号", "7890"),
    (f"卡号{CARD_19}收不到钱", "银行卡号", "9012"),
    ("卡号 6222 0212 3456 7890", "银行卡号", "7890"),
])
def test_personal_numbers_are_masked(text, label, tail):
    masked, changed = mask(text)
    assert changed
    assert f"[{label}已隐藏 尾号{tail}]" in masked
    digits = "".join(c for c in text if c.isdigit())
    assert digits[:-4] not in "".join(c for c in masked if c.isdigit())


def test_several_numbers_in_one_message():
    masked, changed = mask(f"身份证{ID}，手机{PHONE}，卡{CARD_16}")
    assert changed
    assert masked == ("身份证[身份证号已隐藏 尾号1234]，手机[手机号已隐藏 尾号5678]，"
                      "卡[银行卡号已隐藏 尾号7890]")


@pytest.mark.parametrize("text", [
    "59号窗口在哪",
    "2020年12月7日发布的指南",
    "每月1-15日办理",
    "拨打12333咨询",
    "人社服务热线12333，工作日8:30-16:30",
    "新华大街9号",
    "电话024-52631234",
    "编号202012070001",        # 12 digits: no ID, phone or card
    "1234567890",              # 10 digits
    "第十包 第3项",
    "",
])
def test_ordinary_numbers_are_untouched(text):
    assert mask(text) == (text, False)


def test_numbers_glued_to_longer_digit_runs_are_not_cut_apart():
    # 20 digits are no card number and no phone: masking a part would hide nothing useful
    text = "流水号12345678901234567890"
    assert mask(text) == (text, False)
