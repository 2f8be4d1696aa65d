"""`balie check --deploy` warns when eBox dispatches would go to the demo eBox, over plain http or
with the demo's secret; "off" (no eBox channel) and a real set-up pass."""

from __future__ import annotations

from balie.correspondence.adapters.ebox import check_ebox


def _ids(settings, **values):
    for name, value in values.items():
        setattr(settings, name, value)
    return [warning.id for warning in check_ebox()]


def test_the_demo_and_its_secret_are_flagged(settings):
    assert _ids(settings, BALIE_EBOX_URL="", BALIE_EBOX_CLIENT_SECRET="demo-ebox-geheim") == ["balie.W131"]
    assert _ids(settings, BALIE_EBOX_URL="http://ebox.example.be") == ["balie.W132", "balie.W133"]


def test_off_and_a_real_set_up_pass(settings):
    assert _ids(settings, BALIE_EBOX_URL="off") == []
    assert (
        _ids(settings, BALIE_EBOX_URL="https://services.example.be/ebox", BALIE_EBOX_CLIENT_SECRET="s3cr3t")
        == []
    )
