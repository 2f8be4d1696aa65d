"""The letter writer's form (a post item's letter from a template)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from balie.correspondence.models import PostChannel, PostItem, ReplyKind
from balie.documents.models import LetterTemplate

from .common import plain_text_field


class LetterWriterForm(forms.Form):
    template = forms.ModelChoiceField(
        label=_("Sjabloon"),
        queryset=LetterTemplate.objects.none(),
        to_field_name="uuid",
        empty_label=_("— kies een sjabloon —"),
        error_messages={
            "required": _("Kies een sjabloon."),
            "invalid_choice": _("Kies een sjabloon uit de lijst."),
        },
    )
    kind = forms.ChoiceField(label=_("Soort brief"), choices=ReplyKind.choices, initial=ReplyKind.ANSWER)
    channel = forms.ChoiceField(
        label=_("Hoe gaat het antwoord uit?"),
        choices=[
            (PostChannel.PAPER, PostChannel.PAPER.label),
            (PostChannel.EMAIL, PostChannel.EMAIL.label),
            (PostChannel.EBOX, PostChannel.EBOX.label),
        ],
        initial=PostChannel.PAPER,
        help_text=_("U kiest het bij het verzenden nog eens; dit is wat het register noteert."),
    )
    subject = plain_text_field(
        _("Onderwerp van het antwoord"), max_length=300, help_text=_("Leeg: ‘Antwoord op’ en het nummer.")
    )

    def __init__(
        self, *args: Any, item: PostItem, templates: QuerySet[LetterTemplate], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates.order_by("name")  # type: ignore[attr-defined]
        if not item.is_incoming:
            for name in ("kind", "channel", "subject"):
                del self.fields[name]

    def chosen_template(self) -> LetterTemplate | None:
        """The template named in the data (also on a GET for the preview), if it is one of the list."""
        chosen = self.data.get("template") if self.is_bound else None
        if not chosen:
            return None
        try:
            return self.fields["template"].queryset.filter(uuid=chosen).first()  # type: ignore[attr-defined]
        except ValidationError:
            return None
