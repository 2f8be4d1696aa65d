import pytest

from balie.audit.actions import log_personal_data_access
from balie.audit.models import AccessChannel, PersonalDataAccess
from balie.audit.queries import history_of, search_access_log
from balie.parties.actions import register_party, update_party

pytestmark = pytest.mark.django_db


def test_the_history_of_a_party_lists_its_changes_newest_first(front_desk):
    party, _ = register_party(kind="person", family_name="Peeters", given_name="Jan", by=front_desk)
    update_party(party=party, given_name="Johan", by=front_desk)
    update_party(party=party, given_name="Johan", by=front_desk)  # no change, no row
    rows = list(history_of(party.uuid))
    assert [r.action for r in rows] == ["update", "create"]
    assert rows[0].changes == {"given_name": ["Jan", "Johan"]}
    assert rows[0].actor_label == "Olga Onthaal (onthaal)"


def test_the_access_log_names_who_opened_whose_data_and_not_the_data(front_desk, handler):
    party, _ = register_party(
        kind="person", family_name="Peeters", national_number="85073003328", by=front_desk
    )
    log_personal_data_access(
        by=front_desk,
        subject_uuid=party.uuid,
        subject_type="person",
        channel=AccessChannel.PAGE,
        location="/klanten/x",
        purpose="vraag aan de balie",
    )
    log_personal_data_access(
        by=handler,
        subject_uuid=party.uuid,
        subject_type="person",
        channel=AccessChannel.API,
        location="/api/v1/parties/x",
    )
    assert [r.actor_label for r in search_access_log(subject_uuid=party.uuid)] == [
        "Hans Handel (behandelaar)",
        "Olga Onthaal (onthaal)",
    ]
    assert [r.channel for r in search_access_log(actor_uuid=front_desk.uuid)] == ["page"]
    stored = " ".join(
        str(v) for v in PersonalDataAccess.objects.values_list().get(actor_uuid=front_desk.uuid)
    )
    assert "85073003328" not in stored and "Peeters" not in stored
