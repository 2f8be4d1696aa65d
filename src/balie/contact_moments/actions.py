"""Every change to contact moments, topics and internal tasks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from balie.accounts.models import Department, Team, User
from balie.accounts.permissions import can_register_contact
from balie.audit.actions import diff, record_change, record_creation, snapshot
from balie.audit.models import ChangeAction
from balie.cases.actions import register_case
from balie.cases.models import Case, CaseType, Origin, RoleKind
from balie.cases.registries import CustomerMessage
from balie.core.outbox import write_message
from balie.documents.actions import (
    check_new_document,
    create_document,
    discard_new_files_on_failure,
    write_file,
)
from balie.documents.models import Document
from balie.documents.queries import documents_for
from balie.parties.actions import current_address
from balie.parties.models import Party

from .models import (
    Channel,
    ContactMoment,
    ContactMomentDocument,
    Direction,
    InternalTask,
    Outcome,
    TaskStatus,
    Topic,
)
from .queries import contact_moments_for
from .workflow import check_task_transition

CONTACT_FIELDS = [
    "registered_at",
    "channel",
    "direction",
    "party",
    "topic",
    "summary",
    "outcome",
    "duration_seconds",
    "confidential",
]
EDITABLE_FIELDS = {"topic", "summary", "duration_seconds", "confidential", "party"}


def _require_employee(by: User) -> Department:
    if not can_register_contact(by) or by.department_id is None:
        raise ValidationError(_("Alleen een medewerker van een dienst kan contacten registreren."))
    assert by.department is not None
    return by.department


@transaction.atomic
def register_contact_moment(
    *,
    by: User,
    channel: str,
    summary: str,
    direction: str = Direction.INBOUND,
    party: Party | None = None,
    topic: Topic | None = None,
    duration_seconds: int | None = None,
    confidential: bool = False,
    registered_at: dt.datetime | None = None,
    handoff: dict[str, Any] | None = None,
    case: Case | None = None,
) -> ContactMoment:
    """Register one contact; with `handoff` ({department, team?, assignee?, description,
    due_date?}) it is handed off as an internal task in the same transaction."""
    department = _require_employee(by)
    if party is not None and party.merged_into_id is not None:
        raise ValidationError({"party": _("Deze klant is samengevoegd; kies de overblijvende klant.")})
    if topic is not None and not topic.active:
        raise ValidationError({"topic": _("Dit onderwerp wordt niet meer gebruikt.")})
    if channel not in Channel.values:
        raise ValidationError({"channel": _("Kies een kanaal.")})
    address = current_address(party) if party is not None else None
    moment = ContactMoment(
        registered_at=registered_at or timezone.now(),
        channel=channel,
        direction=direction,
        party=party,
        topic=topic,
        summary=summary.strip(),
        outcome=Outcome.HANDED_OFF if handoff else Outcome.ANSWERED,
        duration_seconds=duration_seconds,
        employee=by,
        department=department,
        confidential=confidential,
        address_snapshot=address.as_snapshot() if address else None,
        case=case,
    )
    if moment.registered_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"registered_at": _("Een contact kan niet in de toekomst liggen.")})
    # The linked rows were fetched and checked above: no query per foreign key; the random
    # public id is guarded by its unique index.
    moment.full_clean(exclude=["party", "topic", "employee", "department", "case"], validate_unique=False)
    moment.save()
    record_creation(instance=moment, fields=CONTACT_FIELDS, by=by)
    if handoff:
        _create_task(moment=moment, by=by, **handoff)
    return moment


def _create_task(
    *,
    moment: ContactMoment,
    by: User,
    department: Department | None,
    description: str,
    team: Team | None = None,
    assignee: User | None = None,
    due_date: dt.date | None = None,
) -> InternalTask:
    errors: dict[str, str] = {}
    if department is None:
        errors["department"] = _("Kies de dienst die dit opvolgt.")
    elif team is not None and team.department_id != department.pk:
        errors["team"] = _("Dit team hoort niet bij de gekozen dienst.")
    if assignee is not None and (not assignee.is_employee or not assignee.is_active):
        errors["assignee"] = _("Kies een actieve medewerker.")
    if not description.strip():
        errors["description"] = _("Beschrijf wat er moet gebeuren.")
    if due_date is not None and due_date < timezone.localdate():
        errors["due_date"] = _("De uiterste datum ligt in het verleden.")
    if errors:
        raise ValidationError(errors)
    assert department is not None
    task = InternalTask(
        contact_moment=moment,
        party=moment.party,
        description=description.strip(),
        department=department,
        team=team,
        assignee=assignee,
        due_date=due_date,
        created_by=by,
    )
    task.full_clean(
        exclude=["contact_moment", "party", "department", "team", "assignee", "created_by"],
        validate_unique=False,
        validate_constraints=False,  # a new task is 'todo' without done_at; the database checks it
    )
    task.save()
    record_creation(
        instance=task, fields=["department", "team", "assignee", "description", "due_date"], by=by
    )
    return task


@transaction.atomic
def hand_off_contact_moment(*, contact_moment: ContactMoment, by: User, **handoff: Any) -> InternalTask:
    """Hand off a contact that was registered earlier (adds a task, outcome becomes handed off)."""
    _require_employee(by)
    task = _create_task(moment=contact_moment, by=by, **handoff)
    if contact_moment.outcome != Outcome.HANDED_OFF:
        contact_moment.outcome = Outcome.HANDED_OFF
        contact_moment.save(update_fields=["outcome", "updated_at"])
        record_change(
            instance=contact_moment,
            action=ChangeAction.UPDATE,
            changes={"outcome": [Outcome.ANSWERED.value, Outcome.HANDED_OFF.value]},
            by=by,
        )
    return task


@transaction.atomic
def update_contact_moment(*, contact_moment: ContactMoment, by: User, **data: Any) -> ContactMoment:
    unknown = set(data) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError({name: _("Dit veld kan niet gewijzigd worden.") for name in unknown})
    moment = ContactMoment.objects.select_for_update().get(pk=contact_moment.pk)
    before = snapshot(moment, CONTACT_FIELDS)
    for key, value in data.items():
        setattr(moment, key, value)
    if "party" in data:
        party = data["party"]
        if party is not None and party.merged_into_id is not None:
            raise ValidationError({"party": _("Deze klant is samengevoegd; kies de overblijvende klant.")})
        address = current_address(party) if party is not None else None
        moment.address_snapshot = address.as_snapshot() if address else None
    moment.full_clean()
    moment.save()
    record_change(
        instance=moment,
        action=ChangeAction.UPDATE,
        changes=diff(before, snapshot(moment, CONTACT_FIELDS)),
        by=by,
    )
    return moment


@transaction.atomic
def complete_task(*, task: InternalTask, by: User) -> InternalTask:
    task = InternalTask.objects.select_for_update().get(pk=task.pk)
    check_task_transition(task.status, TaskStatus.DONE)
    task.status = TaskStatus.DONE
    task.done_by = by
    task.done_at = timezone.now()
    task.save(update_fields=["status", "done_by", "done_at", "updated_at"])
    record_change(instance=task, action=ChangeAction.UPDATE, changes={"status": ["todo", "done"]}, by=by)
    return task


@transaction.atomic
def reopen_task(*, task: InternalTask, by: User) -> InternalTask:
    task = InternalTask.objects.select_for_update().get(pk=task.pk)
    check_task_transition(task.status, TaskStatus.TODO)
    task.status = TaskStatus.TODO
    task.done_by = None
    task.done_at = None
    task.save(update_fields=["status", "done_by", "done_at", "updated_at"])
    record_change(instance=task, action=ChangeAction.UPDATE, changes={"status": ["done", "todo"]}, by=by)
    return task


TOPIC_FIELDS = ["name", "description", "department", "keywords"]


@transaction.atomic
def create_topic(
    *,
    name: str,
    by: User | None,
    department: Department | None = None,
    description: str = "",
    keywords: str = "",
) -> Topic:
    topic = Topic(
        name=name.strip(), department=department, description=description.strip(), keywords=keywords.strip()
    )
    topic.full_clean(validate_unique=False)
    _check_topic_name(topic)
    topic.save()
    record_creation(instance=topic, fields=TOPIC_FIELDS, by=by)
    return topic


def _check_topic_name(topic: Topic) -> None:
    """Two topics whose names differ only in capitals would confuse whoever picks one."""
    if Topic.objects.filter(name__iexact=topic.name).exclude(pk=topic.pk).exists():
        raise ValidationError({"name": _("Er bestaat al een onderwerp met deze naam.")})


@transaction.atomic
def update_topic(*, topic: Topic, by: User | None, **data: Any) -> Topic:
    """Change a topic of the catalogue; every changed field goes to the history."""
    unknown = set(data) - set(TOPIC_FIELDS)
    if unknown:
        raise ValidationError({name: _("Dit veld kan hier niet gewijzigd worden.") for name in unknown})
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    before = snapshot(topic, TOPIC_FIELDS)
    for key, value in data.items():
        setattr(topic, key, value.strip() if isinstance(value, str) else value)
    topic.full_clean(validate_unique=False)
    _check_topic_name(topic)
    topic.save()
    record_change(
        instance=topic, action=ChangeAction.UPDATE, changes=diff(before, snapshot(topic, TOPIC_FIELDS)), by=by
    )
    return topic


@transaction.atomic
def set_topic_active(*, topic: Topic, active: bool, by: User | None) -> Topic:
    """Take a topic out of use (it stays on past contacts) or back into use."""
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    if topic.active != active:
        record_change(
            instance=topic, action=ChangeAction.UPDATE, changes={"active": [topic.active, active]}, by=by
        )
        topic.active = active
        topic.save(update_fields=["active", "updated_at"])
    return topic


def move_contact_moments_to_survivor(survivor: Party, duplicate: Party) -> int:
    """Merge handler (registered in apps.py): the duplicate's contacts and tasks follow."""
    moved = ContactMoment.objects.filter(party=duplicate).update(party=survivor)
    moved += InternalTask.objects.filter(party=duplicate).update(party=survivor)
    return moved


@transaction.atomic
def register_case_from_contact_moment(
    *,
    contact_moment: ContactMoment,
    case_type: CaseType,
    by: User,
    subject: str,
    description: str = "",
    attributes: dict[str, Any] | None = None,
) -> Case:
    """The contact needs more than one answer: it becomes a case, with the customer as initiator,
    and the contact is linked to it."""
    if contact_moment.case_id is not None:
        raise ValidationError(_("Dit contact hoort al bij een zaak."))
    parties = [(contact_moment.party, RoleKind.INITIATOR.value)] if contact_moment.party else []
    case = register_case(
        case_type=case_type,
        by=by,
        subject=subject,
        description=description or contact_moment.summary,
        origin=Origin.CONTACT_MOMENT,
        origin_ref=contact_moment.uuid,
        parties=parties,
        attributes=attributes,
        confidential=contact_moment.confidential or None,
    )
    link_contact_moment_to_case(contact_moment=contact_moment, case=case, by=by)
    return case


@transaction.atomic
def link_contact_moment_to_case(*, contact_moment: ContactMoment, case: Case, by: User) -> ContactMoment:
    moment = ContactMoment.objects.select_for_update().get(pk=contact_moment.pk)
    if moment.case_id == case.pk:
        return moment
    before = moment.case.number if moment.case_id and moment.case else None
    moment.case = case
    moment.save(update_fields=["case", "updated_at"])
    record_change(instance=moment, action=ChangeAction.UPDATE, changes={"case": [before, case.number]}, by=by)
    return moment


def release_contact_moments_of_case(case: Case, by: Any) -> int:
    """Case destruction handler (registered in apps.py): the case is destroyed, its contacts stay
    (they have a retention of their own); their link to the case is cleared, and that is recorded."""
    moments = list(ContactMoment.objects.select_for_update().filter(case=case).only("pk", "uuid"))
    for moment in moments:
        record_change(
            instance=moment,
            action=ChangeAction.UPDATE,
            changes={"case": [case.number, None]},
            by=by,
            reason=_("Zaak vernietigd na archiefbeoordeling."),
        )
    return ContactMoment.objects.filter(pk__in=[m.pk for m in moments]).update(
        case=None, updated_at=timezone.now()
    )


def record_customer_message(message: CustomerMessage) -> None:
    """Recorder for the case engine (registered in apps.py): a mail to the customer about a case
    is an outgoing e-mail contact on the customer's timeline, linked to the case."""
    sender = message.sent_by
    if not can_register_contact(sender) or sender.department_id is None:
        sender = message.case.handler or sender
    register_contact_moment(
        by=sender,
        channel=Channel.EMAIL,
        direction=Direction.OUTBOUND,
        party=message.party,
        summary=f"{message.subject}\n\n{message.body}"[:5000],
        confidential=message.case.confidential,
        case=message.case,
    )


# --- documents -----------------------------------------------------------------------------------


def attach_document_to_contact_moment(
    *, contact_moment: ContactMoment, by: User, file: Any, title: str
) -> ContactMomentDocument:
    """Store `file` as a document of the contact. It belongs to the contact's department and is
    confidential when the contact is. The file is written before the transaction opens and
    deleted again if anything after that refuses."""
    _require_employee(by)
    if not contact_moments_for(by).filter(pk=contact_moment.pk).exists():
        raise ValidationError(_("Dit contactmoment bestaat niet of je mag het niet zien."))
    title, mime_type = check_new_document(file=file, title=title)
    with discard_new_files_on_failure():
        stored = write_file(file, mime_type=mime_type)
        with transaction.atomic():
            moment = ContactMoment.objects.select_for_update().get(pk=contact_moment.pk)
            document = create_document(
                stored=stored,
                title=title,
                by=by,
                confidential=moment.confidential,
                department=moment.department,
            )
            return link_new_document_to_contact_moment(moment, document, by=by)


@transaction.atomic
def link_document_to_contact_moment(
    *, contact_moment: ContactMoment, document: Document, by: User
) -> ContactMomentDocument:
    """Link a stored document the employee may see to a contact they may see (once)."""
    _require_employee(by)
    if not contact_moments_for(by).filter(pk=contact_moment.pk).exists():
        raise ValidationError(_("Dit contactmoment bestaat niet of je mag het niet zien."))
    if not documents_for(by).filter(pk=document.pk).exists():
        raise ValidationError({"document": _("Dit document bestaat niet of je mag het niet zien.")})
    moment = ContactMoment.objects.select_for_update().get(pk=contact_moment.pk)
    existing = ContactMomentDocument.objects.filter(contact_moment=moment, document=document).first()
    return existing or link_new_document_to_contact_moment(moment, document, by=by)


def link_new_document_to_contact_moment(
    moment: ContactMoment, document: Document, *, by: User
) -> ContactMomentDocument:
    """Write the link and its change record, without the checks of `link_document_to_contact_moment`:
    for a caller that made the document (and found or made the contact) in its own transaction and
    has checked them itself (an action of this app, or mail ingest)."""
    link = ContactMomentDocument.objects.create(
        contact_moment=moment, document=document, added_by=by, added_at=timezone.now()
    )
    # A confidential document's title stays out of the contact's history, which more people read.
    label = _("vertrouwelijk document") if document.confidential else document.title
    record_change(instance=moment, action=ChangeAction.UPDATE, changes={"document": [None, label]}, by=by)
    return link


ANSWER_NOTICE_SENDER = "contact_moments.answer_notice"


@transaction.atomic
def answer_web_question(*, question: ContactMoment, by: User, text: str) -> ContactMoment:
    """Answer a question asked in the e-loket: the answer is an outgoing contact on the web channel,
    linked to the question, shown in the citizen's e-loket; the question's open tasks are done; the
    citizen gets a mail that an answer is waiting (when they have an address)."""
    department = _require_employee(by)
    if not contact_moments_for(by).filter(pk=question.pk).exists():
        raise ValidationError(_("U kunt deze vraag niet beantwoorden."))
    question = ContactMoment.objects.select_for_update().get(pk=question.pk)
    text = text.strip()
    errors: dict[str, str] = {}
    if (
        question.channel != Channel.WEB
        or question.direction != Direction.INBOUND
        or question.party_id is None
    ):
        errors["question"] = _("Alleen een vraag uit het e-loket wordt in het e-loket beantwoord.")
    if len(text) < 2:
        errors["text"] = _("Schrijf een antwoord.")
    elif len(text) > 4000:
        errors["text"] = _("Een antwoord is hoogstens 4000 tekens lang.")
    if errors:
        raise ValidationError(errors)
    answer = ContactMoment(
        registered_at=timezone.now(),
        channel=Channel.WEB,
        direction=Direction.OUTBOUND,
        party=question.party,
        topic=question.topic,
        summary=text,
        outcome=Outcome.ANSWERED,
        employee=by,
        department=department,
        confidential=question.confidential,
        case=question.case,
        in_reply_to=question,
    )
    answer.full_clean(exclude=["party", "topic", "employee", "department", "case", "in_reply_to"])
    answer.save()
    record_creation(instance=answer, fields=CONTACT_FIELDS, by=by)
    for task in question.tasks.filter(status=TaskStatus.TODO):
        complete_task(task=task, by=by)
    write_message(
        sender=ANSWER_NOTICE_SENDER,
        destination=f"party:{question.party_id}",
        payload={"answer": answer.pk},
    )
    return answer
