"""Dispatching outgoing post: by e-mail, to the addressee's eBox, or on paper through the post
room's print batches (print_batches.py). The record of a dispatch and the item's status are
actions.record_dispatch / record_dispatch_state; this module decides what goes where.

`dispatch_item` checks everything that can be refused first (who asks, the item, the channel, the
addressee's e-mail address, INSZ or enterprise number or postal address, and every document: a PDF
that opens and has pages), then in one transaction queues the dispatch with its envelope (frozen:
addressee, address, language, idempotency key, Message-ID), the document versions it sends (the
letter's current version: the signed PDF once it is signed; a letter still on its way through
approval and signing is refused) and, for e-mail and eBox, an outbox
message. The outbox delivers it after commit with retries (dispatch_channels.py). A refusal
changes nothing.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pikepdf
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from balie.accounts.models import User
from balie.audit.actions import record_change, record_creation
from balie.audit.models import ChangeAction
from balie.core.outbox import write_message
from balie.documents.files import document_storage, type_label
from balie.documents.models import OPEN_STATES, DocumentVersion, SigningRequest
from balie.parties.identifiers import (
    clean_enterprise_number,
    clean_insz,
    compact_digits,
    format_enterprise_number,
    format_insz,
)
from balie.parties.models import Address, AddressKind, ContactPoint, ContactPointKind, Party, PartyKind

from .actions import record_dispatch, record_dispatch_state
from .actions.base import _require_worker
from .adapters.ebox import ebox_enabled
from .models import (
    Direction,
    Dispatch,
    DispatchState,
    DocumentRole,
    PostChannel,
    PostItem,
    PostItemDocument,
    PostStatus,
)
from .models_dispatch import DispatchDocument, DispatchPreference, EboxType, Envelope

PDF = "application/pdf"
DISPATCH_CHANNELS = (PostChannel.EMAIL, PostChannel.EBOX, PostChannel.PAPER)
EMAIL_SENDER = "correspondence.dispatch_email"
EBOX_SENDER = "correspondence.dispatch_ebox"
OUTBOX_SENDERS: dict[str, str] = {PostChannel.EMAIL: EMAIL_SENDER, PostChannel.EBOX: EBOX_SENDER}
ADDRESS_FIELDS = ("street", "house_number", "box", "postcode", "municipality", "country")
# The current address a letter goes to, by kind: a postal address wins over the domicile.
ADDRESS_PREFERENCE = (AddressKind.POSTAL, AddressKind.RESIDENCE, AddressKind.REGISTERED_OFFICE)
DISPATCH_FIELDS = ["item", "channel", "state", "address", "registered_mail"]


# --- the documents ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Content:
    """A document version that goes out, checked: a PDF that opens, with its pages."""

    version: DocumentVersion
    title: str
    main: bool
    signed: bool
    pages: int


def read_version(version: DocumentVersion) -> bytes:
    with document_storage().open(str(version.file.name), "rb") as handle:
        return bytes(handle.read())


def _is_signed(pdf: pikepdf.Pdf) -> bool:
    """Has a filled signature field (a PAdES signature, as documents' signing makes)."""
    form = pdf.Root.get("/AcroForm")
    fields = form.get("/Fields") if form is not None else None
    stack = list(fields) if fields is not None else []
    while stack:
        node = stack.pop()
        if node.get("/FT") == "/Sig" and node.get("/V") is not None:
            return True
        stack.extend(node.get("/Kids", []))
    return False


def check_pdf(version: DocumentVersion, title: str) -> Content:
    """The version as it goes out, or ValidationError saying plainly why it cannot."""
    if version.mime_type != PDF:
        raise ValidationError(
            _("‘%(title)s’ is geen PDF maar %(type)s: verzenden kan alleen met PDF-documenten.")
            % {"title": title, "type": type_label(version.mime_type)}
        )
    try:
        with pikepdf.open(io.BytesIO(read_version(version))) as pdf:
            pages, signed = len(pdf.pages), _is_signed(pdf)
    except pikepdf.PasswordError:
        raise ValidationError(
            _("‘%(title)s’ is met een wachtwoord beveiligd en kan niet verstuurd worden.") % {"title": title}
        ) from None
    except (pikepdf.PdfError, OSError, ValueError):
        raise ValidationError(_("‘%(title)s’ is geen leesbare PDF.") % {"title": title}) from None
    if pages == 0:
        raise ValidationError(_("‘%(title)s’ heeft geen pagina's.") % {"title": title})
    return Content(version=version, title=title, main=False, signed=signed, pages=pages)


def _item_contents(item: PostItem, errors: dict[str, list[str]]) -> list[Content]:
    """The letter, then the attachments, each at its current version."""
    links = list(
        PostItemDocument.objects.filter(item=item, role__in=[DocumentRole.LETTER, DocumentRole.ATTACHMENT])
        .select_related("document__current_version")
        .annotate(
            first=Case(
                When(role=DocumentRole.LETTER, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("first", "added_at", "id")
    )
    if not links or links[0].role != DocumentRole.LETTER:
        errors.setdefault("letter", []).append(_("Dit poststuk heeft nog geen brief om te versturen."))
        return []
    unsigned = set(
        SigningRequest.objects.filter(
            document_id__in=[link.document_id for link in links], state__in=OPEN_STATES
        ).values_list("document_id", flat=True)
    )
    contents: list[Content] = []
    for index, link in enumerate(links):
        version = link.document.current_version
        if version is None:
            continue
        if link.document_id in unsigned:
            errors.setdefault("letter", []).append(
                _(
                    "‘%(title)s’ wacht nog op goedkeuring of ondertekening: verstuur het als het "
                    "ondertekend is."
                )
                % {"title": link.document.title}
            )
            continue
        try:
            content = check_pdf(version, link.document.title)
        except ValidationError as error:
            errors.setdefault("letter", []).extend(error.messages)
            continue
        contents.append(
            Content(
                version=version,
                title=content.title,
                main=index == 0,
                signed=content.signed,
                pages=content.pages,
            )
        )
    return contents


# --- the addressee ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    addressee: str
    language: str
    email: str = ""
    ebox_type: str = ""
    ebox_identifier: str = ""
    postal_address: dict[str, str] = field(default_factory=dict)

    def summary(self, channel: str) -> str:
        """The address as the dispatch's record shows it."""
        if channel == PostChannel.EMAIL:
            return self.email
        if channel == PostChannel.EBOX:
            if self.ebox_type == EboxType.CITIZEN:
                return _("eBox van burger %(insz)s") % {"insz": format_insz(self.ebox_identifier)}
            return _("eBox van onderneming %(number)s") % {
                "number": format_enterprise_number(self.ebox_identifier)
            }
        address = self.postal_address
        box = f" bus {address['box']}" if address.get("box") else ""
        country = "" if address.get("country", "BE") == "BE" else f", {address['country']}"
        return (
            f"{address.get('street', '')} {address.get('house_number', '')}{box}, "
            f"{address.get('postcode', '')} {address.get('municipality', '')}{country}"
        )


def addressee_name(item: PostItem) -> str:
    """The name on the envelope: a person as "Marc Claes", an organisation by its name."""
    party = item.party
    if party is None:
        return item.correspondent_name
    if party.kind == PartyKind.PERSON:
        return f"{party.given_name} {party.family_name}".strip() or party.display_name
    return party.display_name


def party_email(party: Party | None) -> str:
    if party is None:
        return ""
    point = (
        ContactPoint.objects.filter(party=party, kind=ContactPointKind.EMAIL)
        .order_by("-preferred", "-verified", "id")
        .first()
    )
    return point.value if point else ""


def party_address(party: Party | None) -> Address | None:
    if party is None:
        return None
    current = {
        a.kind: a for a in Address.objects.filter(party=party, valid_until__isnull=True).order_by("-id")
    }
    return next((current[kind] for kind in ADDRESS_PREFERENCE if kind in current), None)


def party_ebox_identifier(party: Party | None) -> str:
    if party is None:
        return ""
    return (party.national_number if party.kind == PartyKind.PERSON else party.enterprise_number) or ""


def _email_recipient(item: PostItem, email: str | None, errors: dict[str, list[str]]) -> str:
    value = (email if email is not None else party_email(item.party)).strip().lower()
    if not value:
        errors.setdefault("email", []).append(
            _("Er is geen e-mailadres van %(name)s: vul er een in, of verstuur via eBox of op papier.")
            % {"name": addressee_name(item)}
        )
        return ""
    try:
        validate_email(value)
    except ValidationError:
        errors.setdefault("email", []).append(_("Dit is geen geldig e-mailadres."))
    return value


def _ebox_recipient(item: PostItem, identifier: str | None, errors: dict[str, list[str]]) -> tuple[str, str]:
    if not ebox_enabled():
        errors.setdefault("channel", []).append(_("Balie is niet aangesloten op de eBox."))
        return "", ""
    raw = (identifier if identifier is not None else party_ebox_identifier(item.party)).strip()
    if not raw:
        errors.setdefault("ebox_identifier", []).append(
            _(
                "Van %(name)s is geen rijksregisternummer of ondernemingsnummer gekend: zonder dat "
                "nummer kan Balie niet naar de eBox versturen. Vul het in, of verstuur per e-mail "
                "of op papier."
            )
            % {"name": addressee_name(item)}
        )
        return "", ""
    party = item.party
    citizen = party.kind == PartyKind.PERSON if party is not None else len(compact_digits(raw)) == 11
    try:
        if citizen:
            return EboxType.CITIZEN, clean_insz(raw)
        return EboxType.ENTERPRISE, clean_enterprise_number(raw)
    except ValidationError as error:
        errors.setdefault("ebox_identifier", []).extend(error.messages)
        return "", ""


def _paper_recipient(
    item: PostItem, postal_address: Mapping[str, str] | None, errors: dict[str, list[str]]
) -> dict[str, str]:
    if postal_address is None:
        current = party_address(item.party)
        if current is None:
            errors.setdefault("address", []).append(
                _("Er is geen postadres van %(name)s: vul het adres in.") % {"name": addressee_name(item)}
            )
            return {}
        return current.as_snapshot()
    unknown = set(postal_address) - set(ADDRESS_FIELDS)
    if unknown:
        raise ValueError(f"unknown address fields: {sorted(unknown)}")
    values = {name: str(postal_address.get(name) or "").strip() for name in ADDRESS_FIELDS}
    values["country"] = (values["country"] or "BE").upper()
    address = Address(kind=AddressKind.POSTAL, **values)
    try:
        address.clean_fields(exclude=["party", "kind", "valid_from", "valid_until", "search_text", "uuid"])
        address.clean()
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name if name in ADDRESS_FIELDS else "address", []).extend(messages)
        return {}
    return address.as_snapshot()


def _recipient(
    item: PostItem,
    channel: str,
    *,
    email: str | None,
    ebox_identifier: str | None,
    postal_address: Mapping[str, str] | None,
    errors: dict[str, list[str]],
) -> Recipient:
    addressee = addressee_name(item)
    if not addressee.strip():
        errors.setdefault("party", []).append(_("Het poststuk heeft geen geadresseerde."))
    language = item.party.preferred_language if item.party is not None else "nl"
    if channel == PostChannel.EMAIL:
        return Recipient(addressee, language, email=_email_recipient(item, email, errors))
    if channel == PostChannel.EBOX:
        kind, number = _ebox_recipient(item, ebox_identifier, errors)
        return Recipient(addressee, language, ebox_type=kind, ebox_identifier=number)
    return Recipient(addressee, language, postal_address=_paper_recipient(item, postal_address, errors))


# --- dispatching --------------------------------------------------------------------------------


def _check_item(item: PostItem, by: User) -> None:
    _require_worker(item, by)
    if item.direction != Direction.OUTGOING:
        raise ValidationError(_("Alleen uitgaande post wordt verstuurd."))
    if item.status == PostStatus.FILED:
        raise ValidationError(_("Dit poststuk is geklasseerd; heropen het om het te versturen."))


def message_id_for(dispatch: Dispatch) -> str:
    """The e-mail's Message-ID: the same on every attempt, unique per dispatch (bounces are
    matched on it)."""
    domain = str(settings.DEFAULT_FROM_EMAIL).rsplit("@", 1)[-1].strip(" >") or "balie.invalid"
    return f"<dispatch.{dispatch.uuid}@{domain}>"


def _queue(
    *,
    item: PostItem,
    channel: str,
    by: User,
    recipient: Recipient,
    contents: Sequence[Content],
    registered_mail: bool,
    idempotency_key: uuid.UUID | None = None,
    resend_of: Dispatch | None = None,
    remember_preference: bool = False,
) -> Dispatch:
    with transaction.atomic():
        dispatch = record_dispatch(
            item=item,
            channel=channel,
            by=by,
            address=recipient.summary(channel),
            registered_mail=registered_mail,
        )  # locks the item
        if resend_of is None:
            now = set(
                PostItemDocument.objects.filter(
                    item=item, role__in=[DocumentRole.LETTER, DocumentRole.ATTACHMENT]
                ).values_list("document__current_version_id", flat=True)
            )
            if now != {content.version.pk for content in contents}:
                raise ValidationError(
                    {"letter": _("De documenten van dit poststuk veranderden intussen; probeer opnieuw.")}
                )
        envelope = Envelope.objects.create(
            dispatch=dispatch,
            addressee=recipient.addressee[:200],
            language=recipient.language,
            email=recipient.email,
            ebox_type=recipient.ebox_type,
            ebox_identifier=recipient.ebox_identifier,
            postal_address=recipient.postal_address,
            idempotency_key=idempotency_key or uuid.uuid4(),
            message_id=message_id_for(dispatch) if channel == PostChannel.EMAIL else "",
            resend_of=resend_of,
        )
        DispatchDocument.objects.bulk_create(
            DispatchDocument(
                dispatch=dispatch,
                position=position,
                version=content.version,
                main=content.main,
                signed=content.signed,
                pages=content.pages,
            )
            for position, content in enumerate(contents, start=1)
        )
        record_creation(instance=dispatch, fields=DISPATCH_FIELDS, by=by)
        if channel in OUTBOX_SENDERS:
            envelope.outbox_message = write_message(
                sender=OUTBOX_SENDERS[channel],
                destination=f"{channel}:{dispatch.uuid}",
                payload={"dispatch": str(dispatch.uuid)},
            )
            envelope.save(update_fields=["outbox_message"])
        if remember_preference and item.party is not None:
            _set_preference(item.party, channel, by=by)
    return dispatch


def dispatch_item(
    *,
    item: PostItem,
    channel: str,
    by: User,
    email: str | None = None,
    ebox_identifier: str | None = None,
    postal_address: Mapping[str, str] | None = None,
    registered_mail: bool = False,
    remember_preference: bool = False,
) -> Dispatch:
    """Send the outgoing `item` (its letter and attachments, all PDF) over `channel`: to `email`,
    to the eBox of `ebox_identifier` (an INSZ or enterprise number) or to `postal_address` (street,
    house_number, box, postcode, municipality, country); each defaults to what the addressee's
    party has. Printed post can go as registered mail. `remember_preference` keeps the channel as
    the customer's preference. One item may go out several ways (the eBox and a paper copy).

    Refused with ValidationError (every problem at once) before anything is written."""
    _check_item(item, by)
    errors: dict[str, list[str]] = {}
    if channel not in DISPATCH_CHANNELS:
        errors.setdefault("channel", []).append(_("Kies e-mail, eBox of papier."))
        raise ValidationError(errors)
    if registered_mail and channel != PostChannel.PAPER:
        errors.setdefault("registered_mail", []).append(_("Alleen een brief op papier gaat aangetekend."))
    recipient = _recipient(
        item,
        channel,
        email=email,
        ebox_identifier=ebox_identifier,
        postal_address=postal_address,
        errors=errors,
    )
    contents = _item_contents(item, errors)
    if errors:
        raise ValidationError(errors)
    return _queue(
        item=item,
        channel=channel,
        by=by,
        recipient=recipient,
        contents=contents,
        registered_mail=registered_mail,
        remember_preference=remember_preference,
    )


def resend_dispatch(*, dispatch: Dispatch, by: User) -> Dispatch:
    """A failed dispatch goes out again: a new dispatch to the same address with the same
    documents. To the eBox it keeps the idempotency key, so that a message the eBox took before
    (while its answer was lost) is not published twice."""
    dispatch = Dispatch.objects.select_related("item__party", "item__department", "envelope").get(
        pk=dispatch.pk
    )
    item = dispatch.item
    _check_item(item, by)
    if dispatch.state != DispatchState.FAILED:
        raise ValidationError(_("Alleen een mislukte verzending kan opnieuw verstuurd worden."))
    envelope = dispatch.envelope
    contents = [
        Content(
            version=sent.version,
            title=sent.version.document.title,
            main=sent.main,
            signed=sent.signed,
            pages=sent.pages,
        )
        for sent in dispatch.sent_documents.select_related("version__document").order_by("position")
    ]
    recipient = Recipient(
        addressee=envelope.addressee,
        language=envelope.language,
        email=envelope.email,
        ebox_type=envelope.ebox_type,
        ebox_identifier=envelope.ebox_identifier,
        postal_address=dict(envelope.postal_address),
    )
    return _queue(
        item=item,
        channel=dispatch.channel,
        by=by,
        recipient=recipient,
        contents=contents,
        registered_mail=dispatch.registered_mail,
        idempotency_key=envelope.idempotency_key if dispatch.channel == PostChannel.EBOX else None,
        resend_of=dispatch,
    )


def record_bounce(*, dispatch: Dispatch, reason: str, by: User | None = None) -> Dispatch:
    """A sent dispatch came back: an e-mail bounced (the mailboxes app finds the dispatch by the
    bounce's Message-ID), a letter came back undelivered. The dispatch is bounced with the reason;
    the item goes back to registered (unless another dispatch of it arrived) and says why in its
    history, so that it can go out another way."""
    if not reason.strip():
        raise ValidationError({"reason": _("Geef de reden op waarom de verzending terugkwam.")})
    dispatch = Dispatch.objects.select_related("item__department").get(pk=dispatch.pk)
    if by is not None:
        _require_worker(dispatch.item, by)
    if dispatch.state not in (DispatchState.SENT, DispatchState.DELIVERED):
        raise ValidationError(_("Alleen een verstuurde verzending kan teruggekomen zijn."))
    return record_dispatch_state(dispatch=dispatch, state=DispatchState.BOUNCED, by=by, detail=reason)


# --- the customer's preferred channel -----------------------------------------------------------


def _set_preference(party: Party, channel: str, *, by: User) -> None:
    current = DispatchPreference.objects.select_for_update().filter(party=party).first()
    before = current.channel if current else None
    if before == channel:
        return
    DispatchPreference.objects.update_or_create(
        party=party, defaults={"channel": channel, "recorded_by": by, "recorded_at": timezone.now()}
    )
    record_change(
        instance=party, action=ChangeAction.UPDATE, changes={"dispatch_preference": [before, channel]}, by=by
    )


@transaction.atomic
def set_dispatch_preference(*, party: Party, channel: str, by: User) -> None:
    """Record how the customer wants the municipality's letters (eBox, e-mail or paper)."""
    if channel not in DISPATCH_CHANNELS:
        raise ValidationError({"channel": _("Kies e-mail, eBox of papier.")})
    if not (by.is_active and by.department_id is not None):
        raise ValidationError(_("Alleen een medewerker van een dienst kan dit noteren."))
    _set_preference(party, channel, by=by)


def move_dispatch_preference(survivor: Party, duplicate: Party) -> int:
    """Merge handler: the survivor takes the duplicate's preference when it has none of its own."""
    if DispatchPreference.objects.filter(party=survivor).exists():
        return 0
    return DispatchPreference.objects.filter(party=duplicate).update(party=survivor)


def connect_dispatch() -> None:
    """Called from apps.py: the outbox senders of e-mail and eBox, and the merge handler."""
    from balie.core.outbox import outbox_senders
    from balie.parties.merging import merge_handlers

    from .dispatch_channels import send_ebox_dispatch, send_email_dispatch

    outbox_senders.add(EMAIL_SENDER, send_email_dispatch)
    outbox_senders.add(EBOX_SENDER, send_ebox_dispatch)
    merge_handlers.add("correspondence.dispatch_preference", move_dispatch_preference)
