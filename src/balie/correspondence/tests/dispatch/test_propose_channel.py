"""The dispatch form proposes a channel from what is known of the addressee: the eBox when they
prefer it and have an INSZ, e-mail when there is an address, else paper. A preference is recorded
when asked (and in the change history), and follows a merged customer."""

from __future__ import annotations

import pytest

from balie.audit.models import ChangeRecord
from balie.correspondence.dispatch import dispatch_item, set_dispatch_preference
from balie.correspondence.dispatch_queries import propose_channel
from balie.correspondence.models_dispatch import DispatchPreference
from balie.parties.actions import merge_parties, register_party

from .helpers import outgoing_letter

pytestmark = pytest.mark.django_db


def test_e_mail_is_proposed_when_the_addressee_has_an_address(letter):
    proposal = propose_channel(letter)

    assert (proposal.channel, proposal.reason) == ("email", "Van Marc Claes is een e-mailadres gekend.")
    assert (proposal.email, proposal.ebox_identifier) == ("marc.claes@example.be", "85.07.30-033.28")
    assert proposal.address["street"] == "Kerkstraat"


def test_the_ebox_is_proposed_when_they_prefer_it_and_have_an_insz(letter, citizen_party, handler):
    set_dispatch_preference(party=citizen_party, channel="ebox", by=handler)

    proposal = propose_channel(letter)

    assert (proposal.channel, proposal.reason, proposal.preference) == (
        "ebox",
        "Marc Claes verkiest de eBox.",
        "ebox",
    )
    change = ChangeRecord.objects.filter(object_uuid=citizen_party.uuid).order_by("-id").first()
    assert change.changes == {"dispatch_preference": [None, "ebox"]}


def test_paper_is_proposed_without_an_e_mail_address(handler):
    party, _ = register_party(kind="person", by=None, given_name="An", family_name="Peeters")

    proposal = propose_channel(outgoing_letter(handler, party))

    assert (proposal.channel, proposal.reason) == ("paper", "Van An Peeters is geen e-mailadres gekend.")


def test_a_dispatch_can_record_the_channel_as_the_preference(letter, citizen_party, handler, demo_ebox):
    dispatch_item(item=letter, channel="ebox", by=handler, remember_preference=True)

    assert DispatchPreference.objects.get(party=citizen_party).channel == "ebox"
    assert propose_channel(outgoing_letter(handler, citizen_party)).channel == "ebox"


def test_the_preference_follows_a_merged_customer(citizen_party, handler, admin):
    duplicate, _ = register_party(kind="person", by=None, given_name="Marc", family_name="Claes")
    set_dispatch_preference(party=duplicate, channel="paper", by=handler)

    merge_parties(survivor=citizen_party, duplicate=duplicate, by=admin)

    assert DispatchPreference.objects.get(party=citizen_party).channel == "paper"
