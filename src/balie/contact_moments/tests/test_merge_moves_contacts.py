import pytest

from balie.contact_moments.actions import register_contact_moment
from balie.contact_moments.models import ContactMoment
from balie.parties.actions import merge_parties, register_party

pytestmark = pytest.mark.django_db


def test_merging_parties_moves_their_contacts_and_tasks(front_desk, jan, omgeving):
    duplicate, _ = register_party(kind="person", given_name="Jan", family_name="Peeters", by=front_desk)
    register_contact_moment(
        by=front_desk,
        channel="phone",
        party=duplicate,
        summary="a",
        handoff={"department": omgeving, "description": "b"},
    )
    register_contact_moment(by=front_desk, channel="phone", party=jan, summary="c")
    merge_parties(survivor=jan, duplicate=duplicate, by=front_desk)
    assert set(ContactMoment.objects.values_list("party", flat=True)) == {jan.pk}
    assert jan.internal_tasks.count() == 1
