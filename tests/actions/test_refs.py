"""actions.refs: slot values naming items and packages, and back."""
from actions import knowledge
from actions.refs import item_ref, package_ref, parse_refs, refs


def test_refs_round_trip():
    guide = knowledge.guide()
    entries = [guide.item("card_loss_report"), guide.package("graduate")]
    value = refs(entries)
    assert value == "item:card_loss_report,package:graduate"
    assert parse_refs(value) == entries
    assert item_ref(entries[0]) == "item:card_loss_report"
    assert package_ref(entries[1]) == "package:graduate"


def test_unknown_or_malformed_refs_are_dropped():
    assert parse_refs("item:removed, package:nope, card_loss_report, ,item:card_loss_report") == [
        knowledge.guide().item("card_loss_report")]
    assert parse_refs(None) == [] and parse_refs("") == []
