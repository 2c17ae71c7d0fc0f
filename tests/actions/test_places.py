"""actions.places: buildings of the guide named in a message."""
from actions.places import places_named


def test_a_named_building_is_found_with_each_package_that_gives_it():
    found = places_named("抚顺社保大厦在哪")
    assert found and all(place.name == "抚顺社保大厦" for _, place in found)
    assert "public_institution" in {package_id for package_id, _ in found}


def test_no_building_no_place():
    assert places_named("社保卡丢了怎么办") == []


def test_a_building_is_found_by_the_name_people_use_without_the_city():
    assert places_named("社保大厦在哪") == places_named("抚顺社保大厦在哪")
