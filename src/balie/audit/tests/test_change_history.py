from balie.audit.actions import diff


def test_diff_keeps_only_changed_fields():
    assert diff({"a": 1, "b": 2}, {"a": 1, "b": 3}) == {"b": [2, 3]}
    assert diff({"a": 1}, {"a": 1}) == {}
    assert diff({}, {"a": None}) == {}
    assert diff({}, {"a": 0}) == {"a": [None, 0]}
