"""Beheer › Webhooks: the functional administrator subscribes other systems to events, sees what was
delivered and what failed, and resends a failed message. Every change goes through an action of
the api app; the secret is shown once, when it is made."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from balie.accounts.permissions import can_manage_catalogue
from balie.api.actions import (
    create_webhook_subscription,
    resend_webhook_message,
    rotate_webhook_secret,
    update_webhook_subscription,
)
from balie.api.models import WebhookSubscription
from balie.api.queries import (
    get_webhook_message,
    get_webhook_subscription,
    webhook_message_counts,
    webhook_messages,
    webhook_subscriptions,
)

from ..access import EmployeeRequest, permission_required
from ..forms.common import add_domain_errors
from ..forms.webhooks import DeliveryFilterForm, WebhookForm

admin_required = permission_required(can_manage_catalogue)
PAGE_SIZE = 50


def _secret_page(request: EmployeeRequest, subscription: WebhookSubscription, secret: str) -> HttpResponse:
    """The one time the secret is shown (not in a redirect or a flash message: nowhere it is kept)."""
    response = render(
        request, "backoffice/manage/webhooks/secret.html", {"subscription": subscription, "secret": secret}
    )
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@admin_required
def webhook_list(request: EmployeeRequest) -> HttpResponse:
    subscriptions = list(webhook_subscriptions())
    counts = webhook_message_counts([s.destination for s in subscriptions])
    rows = [(s, counts.get(s.destination, {})) for s in subscriptions]
    return render(request, "backoffice/manage/webhooks/list.html", {"rows": rows})


@admin_required
def webhook_create(request: EmployeeRequest) -> HttpResponse:
    form = WebhookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            subscription, secret = create_webhook_subscription(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_domain_errors(form, error)
        else:
            return _secret_page(request, subscription, secret)
    return render(request, "backoffice/manage/webhooks/form.html", {"form": form, "subscription": None})


@admin_required
def webhook_edit(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    subscription = get_webhook_subscription(uuid)
    initial = {
        "name": subscription.name,
        "url": subscription.url,
        "event_types": subscription.event_types,
        "department": subscription.department,
    }
    form = WebhookForm(request.POST or None, initial=initial, current_department=subscription.department)
    if request.method == "POST" and form.is_valid():
        try:
            update_webhook_subscription(subscription=subscription, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("De webhook is gewijzigd."))
            return redirect("backoffice:manage_webhooks")
    return render(
        request, "backoffice/manage/webhooks/form.html", {"form": form, "subscription": subscription}
    )


@require_POST
@admin_required
def webhook_active(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    subscription = update_webhook_subscription(
        subscription=get_webhook_subscription(uuid), active=request.POST.get("active") == "1", by=request.user
    )
    if subscription.active:
        messages.success(request, _("De webhook „%(name)s” is weer actief.") % {"name": subscription.name})
    else:
        messages.success(
            request,
            _("De webhook „%(name)s” is gestopt: er worden geen berichten meer naartoe gestuurd.")
            % {"name": subscription.name},
        )
    return redirect("backoffice:manage_webhooks")


@require_POST
@admin_required
def webhook_new_secret(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    subscription, secret = rotate_webhook_secret(subscription=get_webhook_subscription(uuid), by=request.user)
    return _secret_page(request, subscription, secret)


@require_GET
@admin_required
def webhook_deliveries(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    subscription = get_webhook_subscription(uuid)
    form = DeliveryFilterForm(request.GET or None)
    state = form.cleaned_data["toestand"] if form.is_valid() else ""
    before = None
    after_key = request.GET.get("voor", "")
    if after_key:
        before = get_webhook_message(subscription, after_key).pk
    rows = webhook_messages(subscription, state=state, before=before, limit=PAGE_SIZE + 1)
    page, has_more = rows[:PAGE_SIZE], len(rows) > PAGE_SIZE
    query = f"toestand={state}&" if state else ""
    return render(
        request,
        "backoffice/manage/webhooks/deliveries.html",
        {
            "subscription": subscription,
            "form": form,
            "deliveries": page,
            "next_query": f"?{query}voor={page[-1].idempotency_key}" if has_more else "",
            "first_query": f"?{query}".rstrip("&") if before is not None else "",
        },
    )


@require_POST
@admin_required
def webhook_resend(request: EmployeeRequest, uuid: uuid.UUID, message: uuid.UUID) -> HttpResponse:
    subscription = get_webhook_subscription(uuid)
    try:
        resend_webhook_message(message=get_webhook_message(subscription, message), by=request.user)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("Het bericht wordt opnieuw verstuurd."))
    return redirect("backoffice:manage_webhook_deliveries", uuid=subscription.uuid)
