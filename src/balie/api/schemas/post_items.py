"""Post items: the register of incoming and outgoing post."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from ninja import Schema
from pydantic import Field

from balie.correspondence.models import (
    Direction,
    DispatchState,
    DocumentRole,
    EventKind,
    PostChannel,
    PostItem,
    PostItemEvent,
    PostStatus,
    ReplyKind,
)

from .common import DepartmentRefOut, InputSchema, PartyRefOut, UserRefOut


class CaseRefOut(Schema):
    uuid: UUID
    number: str


class PostItemRefOut(Schema):
    uuid: UUID
    number: str


class PostItemOut(Schema):
    uuid: UUID
    number: str = Field(
        description="Registratienummer: IN-JJJJ-NNNNNN (inkomend) of OUT-JJJJ-NNNNNN (uitgaand)."
    )
    direction: Direction
    channel: PostChannel
    status: PostStatus
    registered_at: dt.datetime
    received_on: dt.date | None = Field(description="Inkomend: de dag van ontvangst.")
    sent_on: dt.date | None = Field(description="Uitgaand: de dag van verzending.")
    party: PartyRefOut | None = Field(description="De afzender (inkomend) of geadresseerde (uitgaand).")
    correspondent_name: str = Field(
        description="De naam van afzender of geadresseerde als die geen partij is."
    )
    subject: str
    reference: str = Field(description="Het kenmerk van de afzender.")
    department: DepartmentRefOut = Field(
        description="De dienst aan wie het gericht is (inkomend) of die het stuurt."
    )
    handler: UserRefOut | None
    deadline: dt.date | None = Field(description="Inkomend: uiterste antwoorddatum (werkdagen na ontvangst).")
    overdue: bool = Field(description="Open en over de uiterste antwoorddatum.")
    confidential: bool = Field(description="Alleen de eigen dienst ziet een vertrouwelijk poststuk.")
    case: CaseRefOut | None = Field(description="De gekoppelde zaak, als u die mag zien.")
    contact_moment: UUID | None = Field(description="Het contactmoment waarmee het binnenkwam.")
    reply_to: PostItemRefOut | None = Field(
        description="Uitgaand: het inkomende poststuk waarop het antwoordt."
    )
    reply_kind: ReplyKind | None
    needs_details: bool = Field(description="Uit een batchscan: afzender en onderwerp nog aan te vullen.")

    @staticmethod
    def resolve_overdue(obj: PostItem) -> bool:
        return bool(getattr(obj, "overdue", False))

    @staticmethod
    def resolve_case(obj: PostItem) -> object:
        return obj.case if getattr(obj, "case_visible", False) else None

    @staticmethod
    def resolve_contact_moment(obj: PostItem) -> UUID | None:
        return obj.contact_moment_ref

    @staticmethod
    def resolve_reply_kind(obj: PostItem) -> str | None:
        return obj.reply_kind or None

    @staticmethod
    def resolve_reply_to(obj: PostItem) -> object:
        return obj.reply_to if getattr(obj, "reply_to_visible", False) else None


class PostDocumentOut(Schema):
    uuid: UUID = Field(description="Het document (in de documentenopslag).")
    role: DocumentRole
    title: str
    version: int = Field(description="De huidige versie.")
    mime_type: str
    size: int


class PostEventOut(Schema):
    sequence: int
    kind: EventKind
    at: dt.datetime
    by: UserRefOut | None
    from_status: PostStatus | None
    to_status: PostStatus | None
    reason: str

    @staticmethod
    def resolve_from_status(obj: PostItemEvent) -> str | None:
        return obj.from_status or None

    @staticmethod
    def resolve_to_status(obj: PostItemEvent) -> str | None:
        return obj.to_status or None


class ReplyOut(Schema):
    uuid: UUID
    number: str
    reply_kind: ReplyKind
    status: PostStatus


class DispatchOut(Schema):
    uuid: UUID
    channel: PostChannel
    state: DispatchState
    queued_at: dt.datetime
    sent_at: dt.datetime | None
    delivered_at: dt.datetime | None
    bounced_at: dt.datetime | None
    failed_at: dt.datetime | None
    detail: str


class PostItemDetailOut(PostItemOut):
    documents: list[PostDocumentOut] = Field(description="De documenten die u mag zien.")
    history: list[PostEventOut] = Field(description="Wat er met het poststuk gebeurde, oudste eerst.")
    replies: list[ReplyOut] = Field(description="Inkomend: de antwoorden en ontvangstmeldingen.")
    dispatches: list[DispatchOut] = Field(description="Uitgaand: de verzendingen.")

    # The endpoint puts what the reader may see on the item (see endpoints/post_items.py).
    @staticmethod
    def resolve_documents(obj: PostItem) -> object:
        return obj.documents_out  # type: ignore[attr-defined]

    @staticmethod
    def resolve_history(obj: PostItem) -> object:
        return obj.history_out  # type: ignore[attr-defined]

    @staticmethod
    def resolve_replies(obj: PostItem) -> object:
        return obj.replies_out  # type: ignore[attr-defined]

    @staticmethod
    def resolve_dispatches(obj: PostItem) -> object:
        return obj.dispatches_out  # type: ignore[attr-defined]


class PostItemPage(Schema):
    results: list[PostItemOut]
    next: str | None = Field(description="De volgende pagina, of leeg als dit de laatste is.")


class PostItemFilters(Schema):
    direction: Direction | None = None
    status: PostStatus | None = None
    channel: PostChannel | None = None
    department: UUID | None = None
    party: UUID | None = None
    open: bool | None = Field(None, description="true: alleen wat nog behandeld of verstuurd moet worden.")
    cursor: str | None = Field(None, max_length=500, description="Uit de `next`-link van de vorige pagina.")
    page_size: int | None = Field(None, ge=1, le=200, description="Standaard BALIE_API_PAGE_SIZE.")


class PostItemCreateIn(InputSchema):
    channel: PostChannel
    subject: str = Field(max_length=200)
    department: UUID = Field(description="De dienst aan wie het gericht is.")
    received_on: dt.date | None = Field(None, description="Standaard vandaag.")
    party: UUID | None = Field(None, description="De afzender (een partij).")
    correspondent_name: str = Field("", max_length=200, description="Of de naam van de afzender.")
    reference: str = Field("", max_length=100)
    handler: UUID | None = Field(None, description="Meteen toewijzen aan een medewerker van de dienst.")
    confidential: bool = False
    contact_moment: UUID | None = Field(None, description="Het contactmoment waarmee het binnenkwam.")


class AssignIn(InputSchema):
    department: UUID | None = Field(None, description="Standaard de huidige dienst.")
    handler: UUID | None = Field(None, description="Leeg: terug naar de wachtrij van de dienst.")
    reason: str = Field("", max_length=500)


class PostStatusIn(InputSchema):
    status: PostStatus = Field(
        description="in_treatment, filed, registered (heropenen), assigned (behandeling gestopt) of answered."
    )
    reason: str = Field(
        "",
        max_length=500,
        description="Verplicht om te klasseren, te heropenen of zonder antwoord te beantwoorden.",
    )
    reply: UUID | None = Field(None, description="answered: het uitgaande poststuk dat antwoordt.")
