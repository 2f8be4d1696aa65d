"""The letter writer on a post item (`post/<uuid>/brief`): choose a template, see its preview,
make the letter. On an incoming item the letter is its answer or its acknowledgement of receipt
(a new outgoing item, numbered first); on an outgoing item without a letter, its letter. After
that the outgoing item's page has the rest: the letter's page (edit in Word), its approval and
signing, "Verzenden". Every change is one action of balie.correspondence.actions.letters."""

from __future__ import annotations

import base64
import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from balie.correspondence.actions.letters import acknowledge_with_letter, answer_with_letter, write_letter
from balie.correspondence.models import PostItem
from balie.correspondence.permissions import can_work_post_item
from balie.correspondence.queries import get_post_item_for, letter_of
from balie.documents.letters.preview import page_images, preview_pdf
from balie.documents.letters.queries import usable_templates

from ..access import EmployeeRequest, employee_required
from ..forms.common import add_domain_errors
from ..forms.post_letters import LetterWriterForm


def _page(request: EmployeeRequest, item: PostItem, form: LetterWriterForm) -> HttpResponse:
    pages: list[str] = []
    error = ""
    template = form.chosen_template()
    if template is not None and template.current_version is not None and "voorbeeld" in request.GET:
        try:
            pages = [
                base64.b64encode(image).decode()
                for image in page_images(preview_pdf(template.current_version))
            ]
        except ValidationError as problem:
            error = " ".join(problem.messages)
    return render(
        request,
        "backoffice/post/letter.html",
        {
            "item": item,
            "form": form,
            "template": template,
            "pages": pages,
            "preview_error": error,
            "existing": letter_of(item) if not item.is_incoming else None,
        },
    )


@employee_required
def post_letter(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    item = get_post_item_for(request.user, uuid)
    if not can_work_post_item(request.user, item):
        messages.error(request, _("Alleen wie dit poststuk behandelt, schrijft er een brief voor."))
        return redirect("backoffice:post_item", uuid=item.uuid)
    templates = usable_templates(request.user).exclude(current_version=None)
    if request.method != "POST":
        return _page(request, item, LetterWriterForm(request.GET or None, item=item, templates=templates))
    form = LetterWriterForm(request.POST, item=item, templates=templates)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if not item.is_incoming:
                write_letter(item=item, template=data["template"], by=request.user)
                outgoing = item
            elif data["kind"] == "acknowledgement":
                outgoing = acknowledge_with_letter(
                    item=item, template=data["template"], by=request.user, channel=data["channel"]
                )
            else:
                outgoing = answer_with_letter(
                    item=item,
                    template=data["template"],
                    by=request.user,
                    channel=data["channel"],
                    subject=data["subject"],
                )
        except ValidationError as error:
            add_domain_errors(
                form, error, rename={"status": "template", "reply": "template", "document": "template"}
            )
        else:
            messages.success(
                request,
                _(
                    "De brief voor %(number)s is gemaakt. "
                    "Nakijken, laten ondertekenen en verzenden kan hieronder."
                )
                % {"number": outgoing.number},
            )
            return redirect("backoffice:post_item", uuid=outgoing.uuid)
    return _page(request, item, form)
