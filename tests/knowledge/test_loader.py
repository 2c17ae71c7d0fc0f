import pytest
import yaml

from guide_kb.errors import GuideFileError, GuideSchemaError
from guide_kb.loader import load_guide, parse_guide


def _package(raw, package_id):
    return next(p for p in raw["packages"] if p["id"] == package_id)


def _item(raw, item_id):
    return next(i for p in raw["packages"] for i in p["items"] if i["id"] == item_id)


def test_the_real_guide_loads_with_ten_packages_in_order(guide):
    assert [p.number for p in guide.packages] == list(range(1, 11))
    assert guide.document.number == "抚人社办发〔2020〕33号"
    assert guide.document.date == "2020-12-07"


def test_items_inherit_the_package_places_and_hours(guide):
    grant = guide.item("one_time_death_grant")
    assert grant.places[0].windows == (59,)
    assert grant.hours.days_of_month == (1, 15)


def test_missing_field_names_the_entry_and_the_field(raw_guide):
    del _item(raw_guide, "funeral_grant")["name"]
    with pytest.raises(GuideSchemaError) as error:
        parse_guide(raw_guide)
    message = str(error.value)
    assert "work_injury_death" in message and "funeral_grant" in message
    assert "name" in message and "is missing" in message


def test_wrong_type_names_the_field(raw_guide):
    _package(raw_guide, "work_injury_death")["places"][0]["windows"] = ["59号"]
    with pytest.raises(GuideSchemaError) as error:
        parse_guide(raw_guide)
    assert "work_injury_death" in str(error.value) and "windows" in str(error.value)


def test_typo_in_a_field_name_is_refused(raw_guide):
    item = _item(raw_guide, "card_loss_report")
    item["matrials"] = item.pop("materials")
    with pytest.raises(GuideSchemaError) as error:
        parse_guide(raw_guide)
    assert "card_loss_report" in str(error.value)
    assert "matrials" in str(error.value)


def test_unknown_material_form_is_refused(raw_guide):
    _item(raw_guide, "card_replacement")["materials"][0]["form"] = "影印件"
    with pytest.raises(GuideSchemaError, match="card_replacement"):
        parse_guide(raw_guide)


def test_a_material_for_an_unknown_situation_is_refused(raw_guide):
    _item(raw_guide, "employment_certificate_application")["materials"][0]["situation"] = "veterans"
    with pytest.raises(GuideSchemaError, match="unknown situation 'veterans'"):
        parse_guide(raw_guide)


def test_duplicate_ids_are_refused(raw_guide):
    _item(raw_guide, "funeral_grant")["id"] = "one_time_death_grant"
    with pytest.raises(GuideSchemaError, match="duplicate"):
        parse_guide(raw_guide)


def test_packages_out_of_order_are_refused(raw_guide):
    raw_guide["packages"][0], raw_guide["packages"][1] = (raw_guide["packages"][1],
                                                          raw_guide["packages"][0])
    with pytest.raises(GuideSchemaError, match="number"):
        parse_guide(raw_guide)


def test_no_materials_with_materials_listed_is_refused(raw_guide):
    _item(raw_guide, "card_loss_report")["no_materials"] = True
    with pytest.raises(GuideSchemaError, match="no_materials"):
        parse_guide(raw_guide)


def test_reversed_hours_are_refused(raw_guide):
    _package(raw_guide, "work_injury_death")["hours"]["days_of_month"] = [15, 1]
    with pytest.raises(GuideSchemaError, match="days_of_month"):
        parse_guide(raw_guide)


def test_missing_file_and_bad_yaml_are_file_errors(tmp_path):
    with pytest.raises(GuideFileError, match="cannot read"):
        load_guide(tmp_path / "absent.yml")
    broken = tmp_path / "broken.yml"
    broken.write_text("packages: [\n", encoding="utf-8")
    with pytest.raises(GuideFileError, match="not valid YAML"):
        load_guide(broken)


def test_an_edited_file_is_reloaded(tmp_path, raw_guide):
    path = tmp_path / "guide.yml"
    path.write_text(yaml.safe_dump(raw_guide, allow_unicode=True), encoding="utf-8")
    assert load_guide(path).package("graduate").audience == raw_guide["packages"][3]["audience"]
    _package(raw_guide, "graduate")["audience"] = "高校毕业生（改）"
    path.write_text(yaml.safe_dump(raw_guide, allow_unicode=True), encoding="utf-8")
    import os
    os.utime(path, (1, 1))  # a different mtime, as an edit would give
    assert load_guide(path).package("graduate").audience == "高校毕业生（改）"
