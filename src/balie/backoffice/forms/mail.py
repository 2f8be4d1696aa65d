"""Forms of mail out: writing a mail, and the functional administrator's mail templates; of mail
in: a mailbox's rules and sender lists."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from balie.cases.models import CaseType
from balie.mailboxes.models import MailTemplate, RuleTarget

from .common import free_text_field, plain_text_field


class MailForm(forms.Form):
    template = forms.ModelChoiceField(
        label=_("Sjabloon"),
        queryset=MailTemplate.objects.none(),
        required=False,
        empty_label=_("(geen sjabloon)"),
        to_field_name="uuid",
    )
    to = forms.EmailField(label=_("Aan"), max_length=320)
    subject = plain_text_field(_("Onderwerp"), max_length=250, required=True)
    body = free_text_field(_("Tekst"), max_length=100_000, required=True, rows=14)
    attachments = forms.MultipleChoiceField(
        label=_("Bijlagen"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Documenten van de zaak of het contact; samen hoogstens 20 MB."),
    )
    in_reply_to = forms.CharField(required=False, widget=forms.HiddenInput, max_length=998)
    references = forms.CharField(required=False, widget=forms.HiddenInput, max_length=10_000)

    def __init__(self, *args: Any, templates: Any, documents: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        template_field: Any = self.fields["template"]
        template_field.queryset = templates
        attachments: Any = self.fields["attachments"]
        attachments.choices = [(str(d.uuid), d.title) for d in documents]
        if not documents:
            del self.fields["attachments"]


class MailTemplateForm(forms.Form):
    name = plain_text_field(_("Naam"), max_length=150, required=True)
    subject = forms.CharField(label=_("Onderwerp"), max_length=250)
    body = forms.CharField(label=_("Tekst"), max_length=20_000, widget=forms.Textarea(attrs={"rows": 14}))
    active = forms.BooleanField(label=_("In gebruik"), required=False, initial=True)


# -- a mailbox's rules and sender lists (the functional administrator) --------------------------


class MailboxSendersForm(forms.Form):
    allowed_senders = forms.CharField(
        label=_("Toegelaten afzenders"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Eén e-mailadres of domein (@voorbeeld.be) per regel. Leeg: iedereen. Anders gaat post "
            "van wie er niet op staat naar triage."
        ),
    )
    denied_senders = forms.CharField(
        label=_("Geweigerde afzenders"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Eén e-mailadres of domein per regel: hun berichten worden bewaard, niet verwerkt."),
    )


class MailRuleForm(forms.Form):
    position = forms.IntegerField(label=_("Volgorde"), min_value=0, max_value=10_000, initial=10)
    name = plain_text_field(_("Naam"), max_length=100, required=True)
    active = forms.BooleanField(label=_("Actief"), required=False, initial=True)
    sender = forms.CharField(
        label=_("Afzender"),
        required=False,
        max_length=254,
        help_text=_("Een e-mailadres of een domein (@voorbeeld.be); leeg: elke afzender."),
    )
    recipient = forms.CharField(
        label=_("Ontvanger"), required=False, max_length=254, help_text=_("Leeg: elk adres van de mailbox.")
    )
    subject_contains = forms.CharField(label=_("Onderwerp bevat"), required=False, max_length=200)
    target = forms.ChoiceField(label=_("Het bericht wordt"), choices=RuleTarget.choices)
    case_type = forms.ModelChoiceField(
        label=_("Zaaktype (bij een nieuwe zaak)"),
        queryset=CaseType.objects.filter(active=True).order_by("name"),
        required=False,
        to_field_name="uuid",
    )
