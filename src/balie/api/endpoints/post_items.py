"""Post items: list and read the register; register incoming post with its scan (multipart);
assign it; change its status. Each write is one action of the post register, which changes nothing
when it refuses (and takes no register number)."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router
from ninja.files import UploadedFile
from ninja.responses import Status

from balie.accounts.models import User
from balie.cases.queries import cases_for
from balie.contact_moments.queries import get_contact_moment_for
from balie.correspondence import actions
from balie.correspondence.models import OPEN_STATUSES, PostItem, PostStatus
from balie.correspondence.queries import (
    dispatches_of,
    get_post_item_for,
    is_overdue,
    item_documents,
    item_history,
    post_items_for,
    replies_to,
)

from ..access_log import log_persons_shown
from ..auth import caller_of, requires
from ..errors import BadCursor, field_errors
from ..lookups import Lookup
from ..models import Scope
from ..pagination import decode_cursor, next_link, page_size, split_page
from ..schemas.common import LIST_ERRORS, READ_ERRORS, WRITE_ERRORS
from ..schemas.post_items import (
    AssignIn,
    PostItemCreateIn,
    PostItemDetailOut,
    PostItemFilters,
    PostItemPage,
    PostStatusIn,
)

router = Router(tags=["post"])
CURSOR_KIND = "post_items"
LIST_RELATED = ("party", "department", "handler", "case", "reply_to")


def _mark(user: User, items: list[PostItem]) -> list[PostItem]:
    """What the output shows beside the row: overdue, and whether the caller may see its case and
    the item it replies to."""
    visible_cases = set(
        cases_for(user).filter(pk__in={i.case_id for i in items if i.case_id}).values_list("pk", flat=True)
    )
    replied = {i.reply_to_id for i in items if i.reply_to_id}
    visible_items = set(post_items_for(user).filter(pk__in=replied).values_list("pk", flat=True))
    for item in items:
        item.overdue = is_overdue(item)  # type: ignore[attr-defined]
        item.case_visible = item.case_id in visible_cases  # type: ignore[attr-defined]
        item.reply_to_visible = item.reply_to_id in visible_items  # type: ignore[attr-defined]
    return items


def _detail(request: HttpRequest, item: PostItem) -> PostItem:
    """The item with what its detail shows, as the caller may see it."""
    user = caller_of(request).user
    _mark(user, [item])
    log_persons_shown(request, [item.party])
    documents = []
    for link in item_documents(user, item):
        current = link.document.current_version
        documents.append(
            {
                "uuid": link.document.uuid,
                "role": link.role,
                "title": link.document.title,
                "version": current.number if current else 0,
                "mime_type": current.mime_type if current else "",
                "size": current.size if current else 0,
            }
        )
    item.documents_out = documents  # type: ignore[attr-defined]
    item.history_out = list(reversed(item_history(item)))  # type: ignore[attr-defined]
    item.replies_out = replies_to(user, item) if item.is_incoming else []  # type: ignore[attr-defined]
    item.dispatches_out = [] if item.is_incoming else dispatches_of(item)  # type: ignore[attr-defined]
    return item


def _read(request: HttpRequest, item_uuid: UUID) -> PostItem:
    return get_post_item_for(caller_of(request).user, item_uuid)


# --- reading -------------------------------------------------------------------------------------


def _position(cursor: str) -> tuple[dt.datetime, int]:
    found = (
        PostItem.objects.filter(uuid=decode_cursor(CURSOR_KIND, cursor))
        .values_list("registered_at", "id")
        .first()
    )
    if found is None:
        raise BadCursor
    return found


@router.get(
    "",
    response={200: PostItemPage, **LIST_ERRORS},
    summary="Poststukken oplijsten",
    description="Het postregister, nieuwste eerst, per pagina. Vertrouwelijke post van een andere dienst"
    " staat er niet bij.",
    **requires(Scope.POST_READ),
)
def list_post_items(request: HttpRequest, filters: Query[PostItemFilters]) -> dict[str, object]:
    user = caller_of(request).user
    lookup = Lookup(user)
    department = lookup.department("department", filters.department)
    party = lookup.party("party", filters.party)
    lookup.raise_errors()
    rows = post_items_for(user)
    if filters.direction:
        rows = rows.filter(direction=filters.direction)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.channel:
        rows = rows.filter(channel=filters.channel)
    if department is not None:
        rows = rows.filter(department=department)
    if party is not None:
        rows = rows.filter(party=party)
    if filters.open is True:
        rows = rows.filter(status__in=OPEN_STATUSES)
    elif filters.open is False:
        rows = rows.exclude(status__in=OPEN_STATUSES)
    if filters.cursor:
        at, pk = _position(filters.cursor)
        rows = rows.filter(Q(registered_at__lt=at) | Q(registered_at=at, id__lt=pk), registered_at__lte=at)
    size = page_size(filters.page_size)
    found = list(rows.select_related(*LIST_RELATED).order_by("-registered_at", "-id")[: size + 1])
    page, more = split_page(found, size)
    _mark(user, page)
    log_persons_shown(request, [item.party for item in page])
    return {"results": page, "next": next_link(request, CURSOR_KIND, page[-1] if page else None, more)}


@router.get(
    "/{item_uuid}",
    response={200: PostItemDetailOut, **READ_ERRORS},
    summary="Een poststuk lezen",
    description="Eén poststuk met zijn documenten, geschiedenis, antwoorden en verzendingen. Een"
    " vertrouwelijk poststuk van een andere dienst geeft 404. Het registratienummer mag ook als id.",
    **requires(Scope.POST_READ),
)
def get_post_item(request: HttpRequest, item_uuid: str) -> PostItem:
    return _detail(request, get_post_item_for(caller_of(request).user, item_uuid))


# --- writing -------------------------------------------------------------------------------------


@router.post(
    "",
    response={201: PostItemDetailOut, **WRITE_ERRORS},
    summary="Inkomende post registreren",
    description="Registreert inkomende post met een IN-nummer (multipart/form-data): de velden en, voor"
    " papieren post, de scan (`scan`: PDF, TIFF, PNG of JPEG; het type wordt uit de inhoud gelezen). Een"
    " versleutelde of beschadigde PDF of een ander soort bestand geeft 422: dan is er niets geregistreerd"
    " en geen nummer gebruikt.",
    **requires(Scope.POST_WRITE),
)
def create_post_item(
    request: HttpRequest,
    payload: Form[PostItemCreateIn],
    scan: UploadedFile | None = File(None),  # noqa: B008 - ninja's way to declare a file
) -> Status[PostItem]:
    user = caller_of(request).user
    lookup = Lookup(user)
    department = lookup.department("department", payload.department)
    party = lookup.party("party", payload.party)
    handler = lookup.employee("handler", payload.handler)
    contact_moment = None
    if payload.contact_moment is not None:
        try:
            contact_moment = get_contact_moment_for(user, payload.contact_moment).uuid
        except Http404:
            lookup.errors.setdefault("contact_moment", []).append(_("Onbekend contactmoment."))
    lookup.raise_errors()
    try:
        item = actions.register_incoming(
            by=user,
            channel=payload.channel,
            department=department,
            subject=payload.subject,
            received_on=payload.received_on,
            party=party,
            correspondent_name=payload.correspondent_name,
            reference=payload.reference,
            handler=handler,
            confidential=payload.confidential,
            contact_moment_ref=contact_moment,
            scan=scan,
        )
    except ValidationError as error:
        raise ValidationError(field_errors(error)) from None
    # The caller sees what it registered, even a confidential item of another department.
    item = PostItem.objects.select_related(*LIST_RELATED).get(pk=item.pk)
    return Status(201, _detail(request, item))


@router.post(
    "/{item_uuid}/assign",
    response={200: PostItemDetailOut, **WRITE_ERRORS},
    summary="Een poststuk toewijzen",
    description="Stuurt open inkomende post naar een dienst en/of een behandelaar van die dienst; zonder"
    " behandelaar staat het in de wachtrij van de dienst.",
    **requires(Scope.POST_WRITE),
)
def assign_post_item(request: HttpRequest, item_uuid: UUID, payload: AssignIn) -> PostItem:
    user = caller_of(request).user
    item = _read(request, item_uuid)
    lookup = Lookup(user)
    department = lookup.department("department", payload.department)
    handler = lookup.employee("handler", payload.handler)
    lookup.raise_errors()
    actions.assign(item=item, by=user, department=department, handler=handler, reason=payload.reason)
    return _detail(request, _visible_after(request, item))


@router.post(
    "/{item_uuid}/status",
    response={200: PostItemDetailOut, **WRITE_ERRORS},
    summary="De status van een poststuk wijzigen",
    description="Behandeling starten of stoppen, klasseren, heropenen, beantwoorden (met het uitgaande"
    " antwoord in `reply`, of met een reden). Alleen wat de werkstroom toelaat; anders 422 en verandert"
    " er niets.",
    **requires(Scope.POST_WRITE),
)
def set_post_item_status(request: HttpRequest, item_uuid: UUID, payload: PostStatusIn) -> PostItem:
    user = caller_of(request).user
    item = _read(request, item_uuid)
    if payload.status == PostStatus.ANSWERED:
        reply = None
        if payload.reply is not None:
            try:
                reply = get_post_item_for(user, payload.reply)
            except Http404:
                raise ValidationError({"reply": [_("Onbekend uitgaand poststuk.")]}) from None
        actions.answer(item=item, by=user, reply=reply, reason=payload.reason)
    else:
        actions.change_status(item=item, status=payload.status, by=user, reason=payload.reason)
    return _detail(request, _visible_after(request, item))


def _visible_after(request: HttpRequest, item: PostItem) -> PostItem:
    """The item after the change; routed to another department it may be out of sight now."""
    try:
        return get_post_item_for(caller_of(request).user, item.uuid)
    except Http404:
        return PostItem.objects.select_related(*LIST_RELATED).get(pk=item.pk)
