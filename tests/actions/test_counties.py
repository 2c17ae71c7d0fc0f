"""actions.counties: the county a message names, and the message without it."""
import pytest

from actions.counties import county_in, without_counties


@pytest.mark.parametrize("text, county", [("我是新宾县的", "新宾"), ("清原那边怎么办", "清原"),
                                          ("社保卡丢了", None)])
def test_county_in(text, county):
    assert county_in(text) == county


def test_without_counties_leaves_the_service():
    assert "新宾" not in without_counties("新宾县社保卡补办") and "社保卡补办" in \
        without_counties("新宾县社保卡补办")
