"""The e-loket's pages: thin — validate, fetch for the signed-in citizen's party, call one action,
render. Every page works without JavaScript."""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from balie.accounts.actions import system_account
from balie.accounts.models import AccountKind, Department, User
from balie.cases.actions import attach_document, register_case
from balie.cases.models import Origin
from balie.cases.queries import (
    cases_of_customer,
    customer_status_history,
    documents_added_by,
    e_services,
    get_case_of_customer,
    get_e_service,
    next_statuses_of,
)
from balie.contact_moments.actions import register_contact_moment
from balie.contact_moments.models import Channel
from balie.contact_moments.queries import questions_of_customer
from balie.core.ratelimit import allow, client_address
from balie.correspondence.queries import get_letter_of_customer, letters_of_customer
from balie.documents.downloads import file_response
from balie.parties.actions import (
    add_contact_point,
    register_citizen_account,
    register_party,
    sign_in_with_national_number,
    update_party,
)
from balie.parties.actions import verify_citizen_email as prove_email
from balie.parties.models import ContactPointKind, PartyKind
from balie.reports.queries import reports_of_reporter, without_report_cases

from . import oidc
from .access import (
    ACTING_FOR,
    PROVEN_ORGANISATIONS,
    CitizenRequest,
    citizen_required,
    organisations_of,
    pending_form,
    start_citizen_session,
)
from .forms import (
    ActingForm,
    CaseDocumentForm,
    ContactDetailsForm,
    EServiceForm,
    LoginForm,
    QuestionForm,
    RegisterForm,
)
from .mail import account_from_token, queue_verification_mail

logger = logging.getLogger("balie.portal")

OIDC_SESSION = "portal_oidc"
ON_PAGE = 10
HOUR = dt.timedelta(hours=1)


def _too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/too_many.html", status=429)


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.GET.get("next") or request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def _callback_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("portal:oidc_callback"))


def _is_citizen(request: HttpRequest) -> bool:
    return bool(request.user.is_authenticated and getattr(request.user, "kind", "") == AccountKind.CITIZEN)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request, "portal/home.html", {"signed_in": _is_citizen(request), "e_services": list(e_services())}
    )


# -- login --------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def login_page(request: HttpRequest) -> HttpResponse:
    """The government login (eID, itsme) first; an e-loket account for those without one."""
    next_url = _safe_next(request, reverse("portal:mine"))
    if _is_citizen(request):
        return HttpResponseRedirect(next_url)
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].strip().lower()
        account = User.objects.filter(kind=AccountKind.CITIZEN, email=email).first()
        # authenticate() goes through django-axes: too many failures lock this address out.
        user = authenticate(
            request, username=account.username if account else email, password=form.cleaned_data["password"]
        )
        if user is None or account is None or user.pk != account.pk:
            form.add_error(None, _("Het e-mailadres of het wachtwoord klopt niet."))
        elif account.email_verified_at is None:
            form.add_error(
                None, _("Bevestig eerst uw e-mailadres met de link in de e-mail die we u stuurden.")
            )
        else:
            login(request, user)
            start_citizen_session(request)
            logger.info("portal login", extra={"account": str(user.uuid), "method": "password"})
            return HttpResponseRedirect(next_url)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "portal/login.html",
        {"form": form, "next": next_url, "government_login": oidc.is_configured()},
        status=status,
    )


@require_GET
def oidc_start(request: HttpRequest) -> HttpResponse:
    if not oidc.is_configured():
        return render(request, "portal/login_failed.html", {"reason": "off"}, status=503)
    try:
        started = oidc.start_login(redirect_uri=_callback_url(request))
    except oidc.LoginError as error:
        logger.warning("government login unreachable", extra={"error": str(error)})
        return render(request, "portal/login_failed.html", {"reason": "unreachable"}, status=502)
    request.session[OIDC_SESSION] = {
        "state": started.state,
        "nonce": started.nonce,
        "verifier": started.code_verifier,
        "next": _safe_next(request, reverse("portal:mine")),
    }
    return HttpResponseRedirect(started.url)


@require_GET
def oidc_callback(request: HttpRequest) -> HttpResponse:
    pending = request.session.pop(OIDC_SESSION, None)  # one use: a replayed callback finds nothing
    if request.GET.get("error"):
        logger.info("government login cancelled", extra={"error": request.GET.get("error", "")[:100]})
        return render(request, "portal/login_failed.html", {"reason": "cancelled"}, status=400)
    if not pending:
        return render(request, "portal/login_failed.html", {"reason": "expired"}, status=400)
    try:
        identity = oidc.finish_login(
            code=request.GET.get("code", ""),
            state=request.GET.get("state", ""),
            expected_state=pending["state"],
            nonce=pending["nonce"],
            code_verifier=pending["verifier"],
            redirect_uri=_callback_url(request),
        )
        account = sign_in_with_national_number(
            national_number=identity.national_number,
            given_name=identity.given_name,
            family_name=identity.family_name,
        )
    except oidc.LoginError as error:
        logger.warning("government login refused", extra={"error": str(error)})
        return render(request, "portal/login_failed.html", {"reason": "refused"}, status=400)
    except ValidationError:
        logger.warning("government login: not a national number")
        return render(request, "portal/login_failed.html", {"reason": "refused"}, status=400)
    login(request, account, backend="django.contrib.auth.backends.ModelBackend")
    start_citizen_session(request)
    if identity.organisation_code:
        request.session[PROVEN_ORGANISATIONS] = [identity.organisation_code]
        organisation_name = str(identity.claims.get("vo_orgnaam") or "")
        if organisation_name:
            try:
                register_party(
                    kind=PartyKind.ORGANISATION,
                    by=None,
                    name=organisation_name,
                    enterprise_number=identity.organisation_code,
                )
            except ValidationError:
                logger.warning("government login: enterprise number refused")
    logger.info("portal login", extra={"account": str(account.uuid), "method": "government login"})
    return HttpResponseRedirect(pending["next"])


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.success(request, _("U bent afgemeld."))
    return HttpResponseRedirect(reverse("portal:home"))


# -- a local account ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and not allow(
        scope="portal.register",
        key=client_address(request),
        limit=settings.BALIE_PORTAL_REGISTRATIONS_PER_HOUR,
        per=HOUR,
    ):
        return _too_many(request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                account = register_citizen_account(
                    email=data["email"],
                    given_name=data["given_name"],
                    family_name=data["family_name"],
                    password=data["password"],
                )
                queue_verification_mail(
                    account=account, base_url=request.build_absolute_uri("/"), language=get_language()
                )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            return render(request, "portal/register_sent.html", {"email": account.email})
    return render(request, "portal/register.html", {"form": form}, status=400 if form.errors else 200)


@require_GET
def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    account = account_from_token(token)
    if account is None:
        return render(request, "portal/verify_failed.html", status=400)
    prove_email(account=account)
    login(request, account, backend="django.contrib.auth.backends.ModelBackend")
    start_citizen_session(request)
    messages.success(request, _("Uw e-mailadres is bevestigd. Welkom in uw e-loket."))
    return HttpResponseRedirect(reverse("portal:mine"))


# -- my municipality ----------------------------------------------------------------------------


@require_GET
@citizen_required
def mine(request: HttpRequest) -> HttpResponse:
    citizen = cast(CitizenRequest, request)
    organisations = organisations_of(request, citizen.person)
    return render(
        request,
        "portal/mine.html",
        {
            "party": citizen.party,
            "person": citizen.person,
            "organisations": organisations,
            "cases": list(without_report_cases(cases_of_customer(citizen.party))[:ON_PAGE]),
            "letters": list(letters_of_customer(citizen.party)[:ON_PAGE]),
            "questions": list(questions_of_customer(citizen.party)[:ON_PAGE]),
            "reports": list(reports_of_reporter(citizen.party)[:ON_PAGE]),
        },
    )


@require_POST
@citizen_required
def act_for(request: HttpRequest) -> HttpResponse:
    citizen = cast(CitizenRequest, request)
    choices = [str(o.uuid) for o in organisations_of(request, citizen.person)]
    form = ActingForm(request.POST, choices=choices)
    if not form.is_valid():
        messages.error(request, _("U kunt niet handelen voor deze organisatie."))
        return HttpResponseRedirect(reverse("portal:mine"))
    if form.cleaned_data["party"]:
        request.session[ACTING_FOR] = form.cleaned_data["party"]
    else:
        request.session.pop(ACTING_FOR, None)
    return HttpResponseRedirect(reverse("portal:mine"))


def _portal_account(department: Department) -> User:
    return system_account(key="e-loket", name=_("E-loket"), department=department)


@require_http_methods(["GET", "POST"])
@citizen_required
def case_page(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """One of the citizen's cases: its steps, the next one, and the documents they handed in;
    while it is open they can add one."""
    citizen = cast(CitizenRequest, request)
    case = get_case_of_customer(citizen.party, case_id)
    account = _portal_account(case.department)
    form = CaseDocumentForm(request.POST or None, request.FILES or None, initial=pending_form(request))
    if request.method == "POST":
        if case.closed_at is not None:
            form.add_error(None, _("Deze zaak is afgehandeld; u kunt er geen documenten meer aan toevoegen."))
        elif not allow(
            scope="portal.document",
            key=str(citizen.person.uuid),
            limit=settings.BALIE_PORTAL_QUESTIONS_PER_HOUR,
            per=HOUR,
        ):
            return _too_many(request)
        elif form.is_valid():
            try:
                attach_document(
                    case=case, by=account, file=form.cleaned_data["file"], title=form.cleaned_data["title"]
                )
            except ValidationError as error:
                for field, problems in error.message_dict.items():
                    for problem in problems:
                        form.add_error(field if field in form.fields else "file", problem)
            else:
                messages.success(request, _("Het document is toegevoegd aan uw zaak."))
                return HttpResponseRedirect(reverse("portal:case", args=[case.uuid]))
    return render(
        request,
        "portal/case.html",
        {
            "case": case,
            "history": customer_status_history(case),
            "next_steps": next_statuses_of(case),
            "documents": documents_added_by(case, account),
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@require_GET
@citizen_required
def letter_download(request: HttpRequest, item_id: uuid.UUID) -> FileResponse:
    citizen = cast(CitizenRequest, request)
    return file_response(get_letter_of_customer(citizen.party, item_id))


@require_http_methods(["GET", "POST"])
@citizen_required
def ask_question(request: HttpRequest) -> HttpResponse:
    """A question becomes a contact moment on the web channel and a task for the department that
    answers the e-loket's questions."""
    citizen = cast(CitizenRequest, request)
    form = QuestionForm(request.POST or None, initial=pending_form(request))
    if request.method == "POST" and not allow(
        scope="portal.question",
        key=str(citizen.person.uuid),
        limit=settings.BALIE_PORTAL_QUESTIONS_PER_HOUR,
        per=HOUR,
    ):
        return _too_many(request)
    if request.method == "POST" and form.is_valid():
        department = Department.objects.filter(code=settings.BALIE_PORTAL_DEPARTMENT, active=True).first()
        if department is None:
            form.add_error(None, _("Vragen stellen kan nu niet. Probeer het later opnieuw of bel ons."))
        else:
            with transaction.atomic():
                moment = register_contact_moment(
                    by=_portal_account(department),
                    channel=Channel.WEB,
                    summary=form.cleaned_data["question"],
                    party=citizen.party,
                    handoff={"department": department, "description": form.cleaned_data["question"][:500]},
                )
            return render(request, "portal/question_sent.html", {"moment": moment})
    return render(request, "portal/question.html", {"form": form}, status=400 if form.errors else 200)


@require_GET
@citizen_required
def my_data(request: HttpRequest) -> HttpResponse:
    """Everything the e-loket shows about the party, as one JSON file to keep."""
    citizen = cast(CitizenRequest, request)
    party = citizen.party
    data: dict[str, Any] = {
        "gemaakt_op": timezone.now().isoformat(),
        "gemeente": settings.BALIE_MUNICIPALITY_NAME,
        "partij": {
            "soort": party.kind,
            "naam": party.display_name,
            "voornaam": party.given_name,
            "familienaam": party.family_name,
            "geboortedatum": party.birth_date.isoformat() if party.birth_date else None,
            "rijksregisternummer": party.national_number,
            "ondernemingsnummer": party.enterprise_number,
            "voorkeurstaal": party.preferred_language,
            "berichten_over_zaken_per_e_mail": party.notify_by_email,
        },
        "contactgegevens": [
            {"soort": p.kind, "waarde": p.value, "voorkeur": p.preferred} for p in party.contact_points.all()
        ],
        "adressen": [
            {
                "soort": a.kind,
                "straat": a.street,
                "huisnummer": a.house_number,
                "bus": a.box,
                "postcode": a.postcode,
                "gemeente": a.municipality,
                "land": a.country,
            }
            for a in party.addresses.all()
        ],
        "zaken": [
            {
                "nummer": c.number,
                "onderwerp": c.subject,
                "soort": c.case_type.name,
                "geregistreerd_op": c.registered_at.isoformat(),
                "status": c.status_type.name,
                "afgesloten_op": c.closed_at.isoformat() if c.closed_at else None,
            }
            for c in cases_of_customer(party)
        ],
        "brieven": [
            {
                "nummer": i.number,
                "onderwerp": i.subject,
                "verstuurd_op": i.sent_on.isoformat() if i.sent_on else None,
            }
            for i in letters_of_customer(party)
        ],
        "vragen": [
            {"gesteld_op": m.registered_at.isoformat(), "vraag": m.summary}
            for m in questions_of_customer(party)
        ],
        "meldingen": [
            {
                "nummer": r.case.number,
                "categorie": str(r.category),
                "omschrijving": r.description,
                "adres": r.address,
                "breedtegraad": r.lat,
                "lengtegraad": r.lon,
                "gemeld_op": r.reported_at.isoformat(),
                "status": str(r.get_status_display()),
            }
            for r in reports_of_reporter(party)
        ],
    }
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="mijn-gegevens.json"'
    response["Cache-Control"] = "private, no-store"
    return response


# -- e-services: a case requested online ---------------------------------------------------------


@require_http_methods(["GET", "POST"])
@citizen_required
def e_service(request: HttpRequest, code: str) -> HttpResponse:
    """The form of an e-service, built from its case type's attributes; sent, it registers a case
    of that type with the citizen (or the organisation they act for) as applicant."""
    citizen = cast(CitizenRequest, request)
    version = get_e_service(code)
    attributes = list(version.attributes.order_by("order", "id"))
    form = EServiceForm(request.POST or None, attributes=attributes, initial=pending_form(request))
    if request.method == "POST" and not allow(
        scope="portal.e_service",
        key=str(citizen.person.uuid),
        limit=settings.BALIE_PORTAL_QUESTIONS_PER_HOUR,
        per=HOUR,
    ):
        return _too_many(request)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                case = register_case(
                    case_type=version.case_type,
                    by=_portal_account(version.department),
                    subject=version.name,
                    description=form.cleaned_data["description"],
                    origin=Origin.PORTAL,
                    parties=[(citizen.party, "initiator")],
                    attributes={k: v for k, v in form.attribute_values().items() if v not in (None, "")},
                )
        except ValidationError as error:
            messages_by_field = error.message_dict
            form.add_attribute_errors({k: v for k, v in messages_by_field.items() if k not in ("subject",)})
        else:
            messages.success(
                request, _("Uw aanvraag is ontvangen met dossiernummer %(number)s.") % {"number": case.number}
            )
            return HttpResponseRedirect(reverse("portal:case", args=[case.uuid]))
    return render(
        request,
        "portal/e_service.html",
        {"version": version, "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@citizen_required
def contact_details(request: HttpRequest) -> HttpResponse:
    """The citizen's own e-mail address, phone number, language and whether case news comes by
    mail. A new address or number is added and made the preferred one (the old one stays in the
    history); nothing else changes."""
    citizen = cast(CitizenRequest, request)
    party = citizen.party
    points = {p.kind: p for p in party.contact_points.filter(preferred=True)}
    phone = points.get(ContactPointKind.MOBILE) or points.get(ContactPointKind.PHONE)
    initial: dict[str, Any] = {
        "email": points[ContactPointKind.EMAIL].value if ContactPointKind.EMAIL in points else "",
        "phone": phone.value if phone else "",
        "preferred_language": party.preferred_language,
        "notify_by_email": party.notify_by_email,
    }
    form = ContactDetailsForm(request.POST or None, initial={**initial, **pending_form(request)})
    if request.method == "POST" and form.is_valid():
        data, me = form.cleaned_data, cast(User, request.user)
        try:
            with transaction.atomic():
                if data["email"] and data["email"].lower() != str(initial["email"]).lower():
                    add_contact_point(
                        party=party,
                        kind=ContactPointKind.EMAIL,
                        value=data["email"],
                        preferred=True,
                        by=me,
                    )
                if data["phone"] and data["phone"] != initial["phone"]:
                    add_contact_point(
                        party=party,
                        kind=ContactPointKind.MOBILE,
                        value=data["phone"],
                        preferred=True,
                        by=me,
                    )
                changed = {
                    key: data[key]
                    for key in ("preferred_language", "notify_by_email")
                    if data[key] != getattr(party, key)
                }
                if changed:
                    update_party(party=party, by=me, **changed)
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                target = {"value": "phone"}.get(field, field)
                for problem in problems:
                    form.add_error(target if target in form.fields else None, problem)
        else:
            messages.success(request, _("Uw gegevens zijn bewaard."))
            return HttpResponseRedirect(reverse("portal:mine"))
    return render(request, "portal/contact_details.html", {"form": form}, status=400 if form.errors else 200)
