"""Cases: register a case with its parties and attributes in one call; read,
list; set a status, close, suspend, resume, extend. Each write is one action of the case engine,
which checks the case type's rules and changes nothing when it refuses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, prefetch_related_objects
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status

from balie.accounts.models import User
from balie.cases import actions
from balie.cases.models import (
    Case,
    CaseRole,
    CaseStatus,
    CaseType,
    Origin,
    ResultType,
    StatusType,
    VersionState,
)
from balie.cases.queries import case_types_in_use, cases_for, get_case_for, status_types_of
from balie.cases.workflow import allowed_next
from balie.parties.identifiers import clean_enterprise_number, clean_insz
from balie.parties.models import Party
from balie.parties.queries import parties_for

from ..access_log import log_persons_shown
from ..auth import caller_of, requires
from ..errors import BadCursor, field_errors
from ..lookups import Lookup
from ..models import Scope
from ..pagination import decode_cursor, next_link, page_size, split_page
from ..schemas.cases import (
    CaseCreateIn,
    CaseDetailOut,
    CaseFilters,
    CasePage,
    CloseIn,
    ExtendIn,
    StatusIn,
    SuspendIn,
)
from ..schemas.common import LIST_ERRORS, READ_ERRORS, WRITE_ERRORS

router = Router(tags=["zaken"])
CURSOR_KIND = "cases"
LIST_RELATED = ("case_type", "version", "status_type", "department", "team", "handler", "result_type")
# A list page joins only the four it filters or sorts near, and fetches the other small tables by
# id afterwards: with all seven joined, PostgreSQL spent 25-100 ms planning each page at 1M cases.
LIST_JOINED = ("case_type", "status_type", "department", "handler")
LIST_PREFETCHED = ("version", "team", "result_type")
# The fields register_case names in its errors; any other key is an attribute code.
CASE_FIELDS = {"case_type", "subject", "description", "origin", "parties", "confidential", "team", "handler"}


# --- reading -----------------------------------------------------------------------------------


def _with_history(case: Case) -> Case:
    """The case with what its detail shows: status history, parties, the statuses it may go to."""
    prefetch_related_objects(
        [case],
        Prefetch(
            "statuses",
            queryset=CaseStatus.objects.select_related("status_type", "set_by").order_by("sequence"),
        ),
        Prefetch("roles", queryset=CaseRole.objects.select_related("party").order_by("kind", "id")),
    )
    end = max((s.order for s in status_types_of(case.version)), default=None)
    case.next_statuses = [s for s in allowed_next(case) if s.order != end]  # type: ignore[attr-defined]
    return case


def _shown(request: HttpRequest, case: Case) -> Case:
    case = _with_history(case)
    log_persons_shown(request, [role.party for role in case.roles.all()])
    return case


def _read(user: User, case_uuid: UUID) -> Case:
    return get_case_for(user, case_uuid)


def _position(cursor: str) -> tuple[dt.datetime, int]:
    found = (
        Case.objects.filter(uuid=decode_cursor(CURSOR_KIND, cursor))
        .values_list("registered_at", "id")
        .first()
    )
    if found is None:
        raise BadCursor
    return found


def _filtered(user: User, rows: QuerySet[Case], filters: CaseFilters) -> QuerySet[Case]:
    lookup = Lookup(user)
    if filters.case_type:
        case_type = CaseType.objects.filter(code=filters.case_type).first()
        if case_type is None:
            lookup.errors.setdefault("case_type", []).append(_("Onbekend zaaktype."))
        else:
            rows = rows.filter(case_type=case_type)
    department = lookup.department("department", filters.department)
    party = lookup.party("party", filters.party)
    lookup.raise_errors()
    if department is not None:
        rows = rows.filter(department=department)
    if party is not None:
        rows = rows.filter(Exists(CaseRole.objects.filter(case=OuterRef("pk"), party=party)))
    if filters.status:
        rows = rows.filter(status_type__name=filters.status)
    if filters.open is True:
        rows = rows.filter(closed_at__isnull=True)
    elif filters.open is False:
        rows = rows.filter(closed_at__isnull=False)
    if filters.deadline_before:
        rows = rows.filter(deadline__lt=filters.deadline_before)
    return rows


@router.get(
    "",
    response={200: CasePage, **LIST_ERRORS},
    summary="Zaken oplijsten",
    description="Zaken, nieuwste eerst, per pagina. Vertrouwelijke zaken van een andere dienst staan er"
    " niet bij.",
    **requires(Scope.CASES_READ),
)
def list_cases(request: HttpRequest, filters: Query[CaseFilters]) -> dict[str, object]:
    user = caller_of(request).user
    size = page_size(filters.page_size)
    rows = _filtered(user, cases_for(user), filters)
    if filters.cursor:
        at, pk = _position(filters.cursor)
        rows = rows.filter(Q(registered_at__lt=at) | Q(registered_at=at, id__lt=pk), registered_at__lte=at)
    found = list(
        rows.select_related(*LIST_JOINED)
        .prefetch_related(*LIST_PREFETCHED)
        .order_by("-registered_at", "-id")[: size + 1]
    )
    page, more = split_page(found, size)
    return {"results": page, "next": next_link(request, CURSOR_KIND, page[-1] if page else None, more)}


@router.get(
    "/{case_uuid}",
    response={200: CaseDetailOut, **READ_ERRORS},
    summary="Een zaak lezen",
    description="Eén zaak met haar kenmerken, statushistoriek en betrokkenen. Een vertrouwelijke zaak van"
    " een andere dienst geeft 404.",
    **requires(Scope.CASES_READ),
)
def get_case(request: HttpRequest, case_uuid: UUID) -> Case:
    return _shown(request, _read(caller_of(request).user, case_uuid))


# --- registering -------------------------------------------------------------------------------


def _party_by_number(
    user: User, field: str, value: str, clean: Any, column: str, lookup: Lookup
) -> Party | None:
    try:
        number = clean(value)
    except ValidationError as error:
        lookup.errors.setdefault(field, []).extend(error.messages)
        return None
    party = parties_for(user).filter(**{column: number}).first()
    if party is None:
        lookup.errors.setdefault(field, []).append(
            _("Er is geen partij met dit nummer; registreer ze eerst.")
        )
    return party


def _parties(user: User, payload: CaseCreateIn, lookup: Lookup) -> list[tuple[Party, str]]:
    parties: list[tuple[Party, str]] = []
    for index, item in enumerate(payload.parties):
        field = f"parties.{index}"
        given = [value for value in (item.party, item.national_number, item.enterprise_number) if value]
        party: Party | None = None
        if len(given) != 1:
            lookup.errors.setdefault(field, []).append(
                _("Geef precies één van party, national_number of enterprise_number.")
            )
        elif item.party is not None:
            party = lookup.party(f"{field}.party", item.party)
        elif item.national_number:
            party = _party_by_number(
                user, f"{field}.national_number", item.national_number, clean_insz, "national_number", lookup
            )
        elif item.enterprise_number:
            party = _party_by_number(
                user,
                f"{field}.enterprise_number",
                item.enterprise_number,
                clean_enterprise_number,
                "enterprise_number",
                lookup,
            )
        if party is not None:
            parties.append((party, item.role))
    return parties


def _register_errors(
    error: ValidationError, attributes: Mapping[str, Any], version_codes: set[str]
) -> ValidationError:
    """The action names attributes by their code; the caller sent them under `attributes`."""
    codes = set(attributes) | version_codes
    renamed: dict[str, list[str]] = {}
    for key, messages in field_errors(error).items():
        name = f"attributes.{key}" if key in codes and key not in CASE_FIELDS else key
        renamed.setdefault(name, []).extend(messages)
    return ValidationError(renamed)


@router.post(
    "",
    response={201: CaseDetailOut, **WRITE_ERRORS},
    summary="Een zaak registreren",
    description="Registreert in één keer een zaak van een zaaktype in gebruik, met haar betrokken partijen"
    " (bestaande partijen, met hun uuid of nummer) in hun rol en haar kenmerken. Ze krijgt haar eerste"
    " status, haar termijn en haar behandelaar volgens het zaaktype. Alles of niets: bij een fout (422)"
    " is er niets geregistreerd.",
    **requires(Scope.CASES_WRITE),
)
def create_case(request: HttpRequest, payload: CaseCreateIn) -> Status[Case]:
    user = caller_of(request).user
    lookup = Lookup(user)
    case_type = case_types_in_use().filter(code=payload.case_type).first()
    if case_type is None:
        lookup.errors.setdefault("case_type", []).append(_("Onbekend zaaktype, of niet in gebruik."))
    parties = _parties(user, payload, lookup)
    lookup.raise_errors()
    assert case_type is not None
    try:
        case = actions.register_case(
            case_type=case_type,
            by=user,
            subject=payload.subject,
            description=payload.description,
            origin=Origin.API,
            parties=parties,
            attributes=payload.attributes,
            confidential=payload.confidential,
        )
    except ValidationError as error:
        codes = {
            code
            for version in case_type.versions.filter(state=VersionState.PUBLISHED)
            for code in version.attributes.values_list("code", flat=True)
        }
        raise _register_errors(error, payload.attributes, codes) from None
    # The caller sees what it registered, even a confidential case of another department.
    case = Case.objects.select_related(*LIST_RELATED).get(pk=case.pk)
    return Status(201, _shown(request, case))


# --- working a case ----------------------------------------------------------------------------


def _status_type(case: Case, payload: StatusIn) -> StatusType:
    statuses = status_types_of(case.version)
    if payload.status_id is not None:
        found = [status for status in statuses if status.pk == payload.status_id]
    else:
        name = (payload.status or "").strip().casefold()
        found = [status for status in statuses if status.name.casefold() == name]
    if not found:
        raise ValidationError({"status": [_("Het zaaktype van deze zaak kent die status niet.")]})
    return found[0]


def _one_of(payload: Any, name: str, id_name: str) -> None:
    if (getattr(payload, name) is None) == (getattr(payload, id_name) is None):
        raise ValidationError(
            {name: [_("Geef %(name)s of %(id_name)s (een van beide).") % {"name": name, "id_name": id_name}]}
        )


@router.post(
    "/{case_uuid}/status",
    response={200: CaseDetailOut, **WRITE_ERRORS},
    summary="De status van een zaak zetten",
    description="Zet de zaak in een volgende status, met haar naam of id, als het zaaktype die overgang"
    " toelaat en de verplichte taken af zijn; anders 422 en verandert er niets. De eindstatus volgt"
    " alleen door af te sluiten.",
    **requires(Scope.CASES_WRITE),
)
def set_case_status(request: HttpRequest, case_uuid: UUID, payload: StatusIn) -> Case:
    user = caller_of(request).user
    case = _read(user, case_uuid)
    _one_of(payload, "status", "status_id")
    actions.set_status(case=case, status_type=_status_type(case, payload), by=user, reason=payload.reason)
    return _shown(request, _read(user, case_uuid))


def _result_type(case: Case, payload: CloseIn) -> ResultType:
    results = list(case.version.result_types.all())
    if payload.result_id is not None:
        found = [result for result in results if result.pk == payload.result_id]
    else:
        name = (payload.result or "").strip().casefold()
        found = [result for result in results if result.name.casefold() == name]
    if not found:
        raise ValidationError({"result": [_("Het zaaktype van deze zaak kent dat resultaat niet.")]})
    return found[0]


@router.post(
    "/{case_uuid}/close",
    response={200: CaseDetailOut, **WRITE_ERRORS},
    summary="Een zaak afsluiten",
    description="Sluit de zaak af met een resultaat (naam of id): ze krijgt de eindstatus en haar"
    " archiefactiedatum. Alleen vanuit een status die naar het einde mag.",
    **requires(Scope.CASES_WRITE),
)
def close_case(request: HttpRequest, case_uuid: UUID, payload: CloseIn) -> Case:
    user = caller_of(request).user
    case = _read(user, case_uuid)
    _one_of(payload, "result", "result_id")
    try:
        actions.close_case(
            case=case,
            result_type=_result_type(case, payload),
            by=user,
            note=payload.note,
            reason=payload.reason,
        )
    except ValidationError as error:
        errors = field_errors(error)
        raise ValidationError(
            {("result" if k == "result_type" else k): v for k, v in errors.items()}
        ) from None
    return _shown(request, _read(user, case_uuid))


@router.post(
    "/{case_uuid}/suspend",
    response={200: CaseDetailOut, **WRITE_ERRORS},
    summary="Een zaak opschorten",
    description="De termijn staat stil (de zaak wacht op de klant) tot ze hervat wordt; alleen als het"
    " zaaktype opschorten toelaat.",
    **requires(Scope.CASES_WRITE),
)
def suspend_case(request: HttpRequest, case_uuid: UUID, payload: SuspendIn) -> Case:
    user = caller_of(request).user
    actions.suspend_case(case=_read(user, case_uuid), by=user, reason=payload.reason)
    return _shown(request, _read(user, case_uuid))


@router.post(
    "/{case_uuid}/resume",
    response={200: CaseDetailOut, **WRITE_ERRORS},
    summary="Een opgeschorte zaak hervatten",
    description="De termijn schuift op met de (werk)dagen dat de zaak opgeschort was.",
    **requires(Scope.CASES_WRITE),
)
def resume_case(request: HttpRequest, case_uuid: UUID) -> Case:
    user = caller_of(request).user
    actions.resume_case(case=_read(user, case_uuid), by=user)
    return _shown(request, _read(user, case_uuid))


@router.post(
    "/{case_uuid}/extend",
    response={200: CaseDetailOut, **WRITE_ERRORS},
    summary="De termijn van een zaak verlengen",
    description="De ene verlenging die het zaaktype toelaat, met een reden.",
    **requires(Scope.CASES_WRITE),
)
def extend_case(request: HttpRequest, case_uuid: UUID, payload: ExtendIn) -> Case:
    user = caller_of(request).user
    actions.extend_case(case=_read(user, case_uuid), by=user, days=payload.days, reason=payload.reason)
    return _shown(request, _read(user, case_uuid))
