"""Forms of the dispatch pages: how an outgoing item goes out (the channel, and the address that
channel needs), a letter that came back, and nothing else. The rules are in
correspondence.dispatch."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from balie.correspondence.dispatch_queries import Proposal
from balie.correspondence.models import PostChannel

from .common import free_text_field, plain_text_field

CHANNELS = [
    (PostChannel.EBOX.value, _("eBox")),
    (PostChannel.EMAIL.value, _("E-mail")),
    (PostChannel.PAPER.value, _("Op papier")),
]
ADDRESS_FIELDS = ("street", "house_number", "box", "postcode", "municipality", "country")


class DispatchForm(forms.Form):
    channel = forms.ChoiceField(label=_("Versturen via"), choices=CHANNELS, widget=forms.RadioSelect)
    email = plain_text_field(_("E-mailadres"), max_length=254)
    ebox_identifier = plain_text_field(
        _("Rijksregisternummer of ondernemingsnummer"),
        max_length=20,
        help_text=_(
            "De eBox van een burger hoort bij zijn rijksregisternummer, die van een onderneming bij "
            "het ondernemingsnummer."
        ),
    )
    street = plain_text_field(_("Straat"), max_length=150)
    house_number = plain_text_field(_("Huisnummer"), max_length=12)
    box = plain_text_field(_("Bus"), max_length=12)
    postcode = plain_text_field(_("Postcode"), max_length=12)
    municipality = plain_text_field(_("Gemeente"), max_length=100)
    country = plain_text_field(
        _("Land"), max_length=2, help_text=_("Twee letters, bv. BE of NL."), initial="BE"
    )
    registered_mail = forms.BooleanField(label=_("Aangetekend versturen"), required=False)
    remember_preference = forms.BooleanField(required=False)

    def __init__(self, *args: Any, proposal: Proposal, addressee: str, **kwargs: Any) -> None:
        if "data" not in kwargs and not args:
            kwargs["initial"] = {
                "channel": proposal.channel,
                "email": proposal.email,
                "ebox_identifier": proposal.ebox_identifier,
                **{name: proposal.address.get(name, "") for name in ADDRESS_FIELDS if proposal.address},
            }
        super().__init__(*args, **kwargs)
        self.fields["remember_preference"].label = _("Dit kanaal onthouden als voorkeur van %(name)s") % {
            "name": addressee
        }
        self.fields["email"].widget.attrs.update({"autocomplete": "off", "inputmode": "email"})
        self.fields["house_number"].widget.attrs["size"] = 6
        self.fields["box"].widget.attrs["size"] = 6
        self.fields["postcode"].widget.attrs.update({"size": 6, "inputmode": "numeric"})
        self.fields["country"].widget.attrs.update({"size": 3, "autocapitalize": "characters"})

    def arguments(self) -> dict[str, Any]:
        """What dispatch_item gets: only what the chosen channel needs."""
        data = self.cleaned_data
        channel = data["channel"]
        arguments: dict[str, Any] = {"channel": channel, "remember_preference": data["remember_preference"]}
        if channel == PostChannel.EMAIL:
            arguments["email"] = data["email"]
        elif channel == PostChannel.EBOX:
            arguments["ebox_identifier"] = data["ebox_identifier"]
        else:
            typed = {name: data[name] for name in ADDRESS_FIELDS}
            # Nothing typed: the addressee's own address (or the plain message that there is none).
            blank = not any(value.strip() for name, value in typed.items() if name != "country")
            arguments["postal_address"] = None if blank else typed
            arguments["registered_mail"] = data["registered_mail"]
        return arguments


class BounceForm(forms.Form):
    reason = free_text_field(
        _("Waarom kwam het terug?"),
        max_length=500,
        required=True,
        rows=2,
        help_text=_("Bv. ‘Onbekend op dit adres’, of de foutmelding van de mailserver."),
    )
