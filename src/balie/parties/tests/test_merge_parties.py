import pytest
from django.core.exceptions import ValidationError

from balie.audit.models import ChangeRecord
from balie.parties.actions import add_address, add_contact_point, merge_parties, register_party
from balie.parties.models import ContactPoint, Party
from balie.parties.queries import get_party_for, search_parties

pytestmark = pytest.mark.django_db


def test_merging_moves_everything_to_the_survivor_and_keeps_a_pointer(front_desk):
    survivor, _ = register_party(kind="person", given_name="Jan", family_name="Peeters", by=front_desk)
    duplicate, _ = register_party(
        kind="person", given_name="Jan", family_name="Peeters", national_number="85073003328", by=front_desk
    )
    add_contact_point(party=survivor, kind="email", value="jan@example.be", by=front_desk)
    add_contact_point(party=duplicate, kind="email", value="jan@example.be", by=front_desk)
    add_contact_point(party=duplicate, kind="mobile", value="0470123456", by=front_desk)
    add_address(
        party=duplicate,
        kind="residence",
        street="Kerkstraat",
        house_number="1",
        postcode="2645",
        municipality="Zonnedaal",
        by=front_desk,
    )

    merge_parties(survivor=survivor, duplicate=duplicate, by=front_desk, reason="dubbel")

    survivor.refresh_from_db()
    duplicate.refresh_from_db()
    assert survivor.national_number == "85073003328"
    assert duplicate.merged_into == survivor and duplicate.national_number is None
    assert sorted(survivor.contact_points.values_list("value", flat=True)) == [
        "+32470123456",
        "jan@example.be",
    ]
    assert survivor.addresses.count() == 1
    assert get_party_for(front_desk, duplicate.uuid) == survivor
    assert [p.pk for p in search_parties(front_desk, "peeters")] == [survivor.pk]
    assert ChangeRecord.objects.filter(action="merge").count() == 2


def test_parties_with_different_national_numbers_are_not_merged(front_desk):
    a, _ = register_party(kind="person", family_name="Peeters", national_number="85073003328", by=front_desk)
    b, _ = register_party(kind="person", family_name="Peeters", national_number="93051822361", by=front_desk)
    add_contact_point(party=b, kind="email", value="b@example.be", by=front_desk)
    with pytest.raises(ValidationError):
        merge_parties(survivor=a, duplicate=b, by=front_desk)
    b.refresh_from_db()
    assert b.merged_into is None and b.national_number == "93051822361"
    assert ContactPoint.objects.get().party == b


def test_a_party_is_not_merged_with_itself_or_another_kind(front_desk):
    a, _ = register_party(kind="person", family_name="Peeters", by=front_desk)
    club, _ = register_party(kind="association", name="Peeters Club", by=front_desk)
    with pytest.raises(ValidationError):
        merge_parties(survivor=a, duplicate=a, by=front_desk)
    with pytest.raises(ValidationError):
        merge_parties(survivor=a, duplicate=club, by=front_desk)
    assert Party.objects.filter(merged_into__isnull=False).count() == 0


def test_an_outsider_cannot_open_a_party(front_desk, citizen):
    from django.http import Http404

    a, _ = register_party(kind="person", family_name="Peeters", by=front_desk)
    with pytest.raises(Http404):
        get_party_for(citizen, a.uuid)
    with pytest.raises(Http404):
        get_party_for(front_desk, "not-a-uuid")


def test_the_citizen_account_follows_the_merge_to_a_survivor_without_one(front_desk, citizen):
    survivor = Party.objects.create(kind="person", given_name="An", family_name="Peeters")
    duplicate = Party.objects.create(kind="person", given_name="An", family_name="Peters", account=citizen)

    merge_parties(survivor=survivor, duplicate=duplicate, by=front_desk, reason="dubbel")

    survivor.refresh_from_db()
    duplicate.refresh_from_db()
    assert survivor.account == citizen
    assert duplicate.account is None
