"""Filling a party from the authentic sources through MAGDA.

Two steps, as the employee sees them: `fetch_person` / `fetch_enterprise` call the source (through
`consultations.consult`, outside any transaction) and compare its answer with the party; then
`apply_person_data` / `apply_enterprise_data` write what differs through the parties actions, in
one transaction, and record which fields came from the source and when (`SourcedFields`). Those
fields are then read-only in Balie (`locked_fields_of`, registered in parties.registries).

A person is registered with MAGDA's repertorium (RegistreerInschrijving) once per capacity before
the first GeefPersoon; the registration is remembered for a year.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from balie.audit.actions import Actor
from balie.core.registries import Registry
from balie.parties.actions import add_address, update_party
from balie.parties.models import Address, AddressKind, Gender, Party
from balie.parties.registries import LockedField

from .consultations import ConsultationError, check_purpose, consult
from .magda.messages import (
    EnterpriseAnswer,
    PersonAnswer,
    SourceAddress,
    answer_to_json,
    enterprise_from_json,
    person_from_json,
)
from .models.consultations import LegalPurpose, MagdaService
from .models.magda import MagdaRegistration, Source, SourcedFields

logger = logging.getLogger("balie.magda")

REGISTRATION_DAYS = 365
REFRESH_AFTER = dt.timedelta(days=7)
SEAL_MAX_AGE = 30 * 60  # seconds between showing the differences and applying them
_SEAL_SALT = "balie.authentic_sources.apply"


@dataclass(frozen=True)
class FieldDifference:
    field: str
    label: str
    current: str
    source: str

    @property
    def changed(self) -> bool:
        return self.current != self.source


@dataclass(frozen=True)
class Fetched:
    """What the source answered about a party, and how it differs from what Balie has."""

    party: Party
    service: str
    answer: PersonAnswer | EnterpriseAnswer
    reference: str
    differences: list[FieldDifference]

    @property
    def changed(self) -> list[FieldDifference]:
        return [d for d in self.differences if d.changed]


# -- display values -----------------------------------------------------------------------------


def _date_text(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else "—"


def _gender_text(value: str) -> str:
    return str(Gender(value).label) if value in Gender.values and value else "—"


def _current_address(party: Party, kind: str) -> Address | None:
    return (
        Address.objects.filter(party=party, kind=kind, valid_until__isnull=True)
        .order_by("-valid_from", "-id")
        .first()
    )


def _coded(values: Any) -> str:
    if not values:
        return "—"
    if isinstance(values, dict):
        values = [values]
    return ", ".join(str(v.get("description") or v.get("code") or "") for v in values) or "—"


def _household_text(data: dict[str, Any] | None) -> str:
    if not data:
        return "—"
    if data.get("is_self"):
        return _("referentiepersoon van het gezin")
    return _("%(position)s van %(name)s (referentiepersoon)") % {
        "position": (data.get("position") or _("lid")).lower(),
        "name": data.get("reference_person") or "?",
    }


# -- persons ------------------------------------------------------------------------------------


def _person_values(answer: PersonAnswer) -> dict[str, Any]:
    """The party fields the Rijksregister's answer fills (an unknown value leaves a field alone)."""
    values: dict[str, Any] = {}
    if answer.family_name:
        values["family_name"] = answer.family_name[:100]
        values["given_name"] = answer.given_names[:100]
    if answer.birth_date:
        values["birth_date"] = answer.birth_date
    if answer.gender:
        values["gender"] = answer.gender
    return values


def _usable(address: SourceAddress | None) -> SourceAddress | None:
    if address is None or not (address.street and address.house_number and address.postcode):
        return None
    return address


def _person_data(answer: PersonAnswer) -> dict[str, Any]:
    """What the party has no field for, kept as the last known answer."""
    reference = answer.reference_person
    return {
        "nationalities": [{"code": n.code, "description": n.description} for n in answer.nationalities],
        "civil_state": {
            "code": answer.civil_state.code,
            "description": answer.civil_state.description,
            "since": answer.civil_state.since.isoformat() if answer.civil_state.since else "",
        }
        if answer.civil_state
        else None,
        "birth_place": answer.birth_place,
        "birth_country": answer.birth_country,
        "deceased_on": answer.deceased_on.isoformat() if answer.deceased_on else "",
        "household": {
            "is_self": reference.is_self,
            "reference_person": f"{reference.given_names} {reference.family_name}".strip(),
            "position": reference.position,
        }
        if reference
        else None,
    }


def person_differences(party: Party, answer: PersonAnswer) -> list[FieldDifference]:
    last = SourcedFields.objects.filter(party=party, source=Source.RIJKSREGISTER).first()
    known = last.data if last else {}
    new = _person_data(answer)
    residence = _current_address(party, AddressKind.RESIDENCE)
    address = _usable(answer.address)
    return [
        FieldDifference("family_name", _("Familienaam"), party.family_name or "—", answer.family_name or "—"),
        FieldDifference("given_name", _("Voornamen"), party.given_name or "—", answer.given_names or "—"),
        FieldDifference(
            "birth_date", _("Geboortedatum"), _date_text(party.birth_date), _date_text(answer.birth_date)
        ),
        FieldDifference("gender", _("Geslacht"), _gender_text(party.gender), _gender_text(answer.gender)),
        FieldDifference(
            "address.residence",
            _("Domicilie"),
            residence.one_line if residence else "—",
            address.one_line if address else "—",
        ),
        FieldDifference(
            "nationality",
            _("Nationaliteit"),
            _coded(known.get("nationalities")),
            _coded(new["nationalities"]),
        ),
        FieldDifference(
            "civil_state",
            _("Burgerlijke staat"),
            _coded(known.get("civil_state")),
            _coded(new["civil_state"]),
        ),
        FieldDifference(
            "birth_place", _("Geboorteplaats"), known.get("birth_place") or "—", new["birth_place"] or "—"
        ),
        FieldDifference(
            "household",
            _("Gezin"),
            _household_text(known.get("household")),
            _household_text(new["household"]),
        ),
    ]


def _ensure_registration(*, party: Party, purpose: LegalPurpose, by: Actor | None) -> None:
    """RegistreerInschrijving once per person and capacity, remembered until its period ends."""
    assert party.national_number
    today = timezone.localdate()
    if MagdaRegistration.objects.filter(
        insz=party.national_number, capacity_code=purpose.capacity_code, period_end__gte=today
    ).exists():
        return
    end = today + dt.timedelta(days=REGISTRATION_DAYS)
    consulted = consult(
        service=MagdaService.REGISTREER_INSCHRIJVING, party=party, purpose=purpose, by=by, period=(today, end)
    )
    with transaction.atomic():
        MagdaRegistration.objects.update_or_create(
            insz=party.national_number,
            capacity_code=purpose.capacity_code,
            defaults={
                "party": party,
                "period_start": today,
                "period_end": end,
                "registered_at": timezone.now(),
                "reference": consulted.consultation.reference,
            },
        )


def fetch_person(*, party: Party, purpose: LegalPurpose | None, by: Actor | None) -> Fetched:
    """Ask the Rijksregister (GeefPersoon, registering first when needed) about a person and
    compare. Changes nothing on the party. Raises ValidationError (no purpose, no number) or
    ConsultationError (the source gave no data)."""
    if not party.is_person or not party.national_number:
        raise ValidationError(
            _("Alleen een persoon met een rijksregisternummer kan uit het Rijksregister opgehaald worden.")
        )
    purpose = check_purpose(purpose)
    party = Party.objects.get(pk=party.pk)  # compare with what is saved now
    _ensure_registration(party=party, purpose=purpose, by=by)
    consulted = consult(service=MagdaService.GEEF_PERSOON, party=party, purpose=purpose, by=by)
    answer: PersonAnswer = consulted.answer
    return Fetched(
        party=party,
        service=MagdaService.GEEF_PERSOON,
        answer=answer,
        reference=str(consulted.consultation.reference),
        differences=person_differences(party, answer),
    )


def _address_from(party: Party, kind: str, address: SourceAddress) -> dict[str, Any]:
    """add_address's arguments: the source's start date, unless it lies before the current
    address of that kind began (then today, so the history stays in order)."""
    current = _current_address(party, kind)
    today = timezone.localdate()
    since = address.since if address.since and address.since <= today else today
    if current is not None and current.valid_from and since <= current.valid_from:
        since = today if today > current.valid_from else current.valid_from + dt.timedelta(days=1)
    return {"kind": kind, "valid_from": since, **address.as_fields()}


def _record_source(
    *, party: Party, source: str, fields: list[str], data: dict[str, Any], reference: str | None
) -> SourcedFields:
    row, _created = SourcedFields.objects.update_or_create(
        party=party,
        source=source,
        defaults={
            "fetched_at": timezone.now(),
            "fields": fields,
            "data": data,
            "reference": reference or None,
        },
    )
    return row


@transaction.atomic
def apply_person_data(
    *, party: Party, answer: PersonAnswer, by: Actor | None, reference: str | None = None
) -> Party:
    """Write the Rijksregister's answer to the person: changed fields through update_party, a
    changed domicile through add_address; remember which fields came from the source and when."""
    party = Party.objects.select_for_update().get(pk=party.pk)
    if not party.is_person or party.national_number != answer.insz:
        raise ValidationError(
            _("Dit antwoord van het Rijksregister gaat over een ander rijksregisternummer.")
        )
    if party.merged_into_id:
        raise ValidationError(_("Deze partij is samengevoegd en kan niet meer gewijzigd worden."))
    values = _person_values(answer)
    changed = {key: value for key, value in values.items() if getattr(party, key) != value}
    if changed:
        party = update_party(party=party, by=by, source=Source.RIJKSREGISTER, **changed)
    fields = list(values)
    address = _usable(answer.address)
    if address is not None:
        add_address(
            party=party,
            by=by,
            source=Source.RIJKSREGISTER,
            **_address_from(party, AddressKind.RESIDENCE, address),
        )
        fields.append(f"address.{AddressKind.RESIDENCE}")
    _record_source(
        party=party,
        source=Source.RIJKSREGISTER,
        fields=fields,
        data=_person_data(answer),
        reference=reference,
    )
    return party


# -- enterprises --------------------------------------------------------------------------------


def _enterprise_values(answer: EnterpriseAnswer) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if answer.name:
        values["name"] = answer.name[:200]
    legal_form = answer.legal_form_abbreviation or answer.legal_form
    if legal_form:
        values["legal_form"] = legal_form[:100]
    return values


def _enterprise_data(answer: EnterpriseAnswer) -> dict[str, Any]:
    return {
        "status": answer.status,
        "legal_situation": answer.legal_situation,
        "legal_form": answer.legal_form,
        "legal_form_code": answer.legal_form_code,
        "abbreviation": answer.abbreviation,
        "start_date": answer.start_date.isoformat() if answer.start_date else "",
    }


def enterprise_differences(party: Party, answer: EnterpriseAnswer) -> list[FieldDifference]:
    last = SourcedFields.objects.filter(party=party, source=Source.KBO).first()
    known = last.data if last else {}
    office = _current_address(party, AddressKind.REGISTERED_OFFICE)
    address = _usable(answer.address)
    values = _enterprise_values(answer)
    return [
        FieldDifference("name", _("Naam"), party.name or "—", values.get("name") or "—"),
        FieldDifference(
            "legal_form", _("Rechtsvorm"), party.legal_form or "—", values.get("legal_form") or "—"
        ),
        FieldDifference(
            "address.registered_office",
            _("Maatschappelijke zetel"),
            office.one_line if office else "—",
            address.one_line if address else "—",
        ),
        FieldDifference("status", _("Status"), known.get("status") or "—", answer.status or "—"),
        FieldDifference(
            "legal_situation",
            _("Rechtstoestand"),
            known.get("legal_situation") or "—",
            answer.legal_situation or "—",
        ),
        FieldDifference(
            "start_date",
            _("Begindatum"),
            _date_text(dt.date.fromisoformat(known["start_date"])) if known.get("start_date") else "—",
            _date_text(answer.start_date),
        ),
    ]


def fetch_enterprise(*, party: Party, purpose: LegalPurpose | None, by: Actor | None) -> Fetched:
    """Ask the KBO through MAGDA (GeefOnderneming) about an organisation and compare."""
    if party.is_person or not party.enterprise_number:
        raise ValidationError(
            _("Alleen een organisatie met een ondernemingsnummer kan uit de KBO opgehaald worden.")
        )
    party = Party.objects.get(pk=party.pk)
    consulted = consult(service=MagdaService.GEEF_ONDERNEMING, party=party, purpose=purpose, by=by)
    answer: EnterpriseAnswer = consulted.answer
    return Fetched(
        party=party,
        service=MagdaService.GEEF_ONDERNEMING,
        answer=answer,
        reference=str(consulted.consultation.reference),
        differences=enterprise_differences(party, answer),
    )


@transaction.atomic
def apply_enterprise_data(
    *, party: Party, answer: EnterpriseAnswer, by: Actor | None, reference: str | None = None
) -> Party:
    party = Party.objects.select_for_update().get(pk=party.pk)
    if party.is_person or party.enterprise_number != answer.enterprise_number:
        raise ValidationError(_("Dit antwoord van de KBO gaat over een ander ondernemingsnummer."))
    if party.merged_into_id:
        raise ValidationError(_("Deze partij is samengevoegd en kan niet meer gewijzigd worden."))
    values = _enterprise_values(answer)
    changed = {key: value for key, value in values.items() if getattr(party, key) != value}
    if changed:
        party = update_party(party=party, by=by, source=Source.KBO, **changed)
    fields = list(values)
    address = _usable(answer.address)
    if address is not None:
        add_address(
            party=party,
            by=by,
            source=Source.KBO,
            **_address_from(party, AddressKind.REGISTERED_OFFICE, address),
        )
        fields.append(f"address.{AddressKind.REGISTERED_OFFICE}")
    _record_source(
        party=party, source=Source.KBO, fields=fields, data=_enterprise_data(answer), reference=reference
    )
    return party


# -- carrying an answer from the differences page to "apply" -----------------------------------------


def seal(fetched: Fetched) -> str:
    """The answer, signed and bound to the party, for the form that applies it (no storage, no
    second call; it cannot be altered on the way)."""
    return signing.dumps(
        {
            "party": str(fetched.party.uuid),
            "service": fetched.service,
            "reference": fetched.reference,
            "answer": answer_to_json(fetched.answer),
        },
        salt=_SEAL_SALT,
        compress=True,
    )


def unseal(token: str, *, party: Party) -> tuple[str, PersonAnswer | EnterpriseAnswer, str]:
    """(service, answer, reference) from `seal`; ValidationError when altered, expired or about
    another party."""
    try:
        data = signing.loads(token, salt=_SEAL_SALT, max_age=SEAL_MAX_AGE)
    except signing.SignatureExpired:
        raise ValidationError(_("Deze gegevens zijn te oud om toe te passen. Haal ze opnieuw op.")) from None
    except signing.BadSignature:
        raise ValidationError(_("Deze gegevens kunnen niet toegepast worden. Haal ze opnieuw op.")) from None
    if data.get("party") != str(party.uuid):
        raise ValidationError(_("Deze gegevens gaan over een andere klant."))
    service = data.get("service")
    if service == MagdaService.GEEF_PERSOON:
        return service, person_from_json(data["answer"]), data.get("reference", "")
    if service == MagdaService.GEEF_ONDERNEMING:
        return service, enterprise_from_json(data["answer"]), data.get("reference", "")
    raise ValidationError(_("Deze gegevens kunnen niet toegepast worden. Haal ze opnieuw op."))


def apply_sealed(*, party: Party, token: str, by: Actor | None) -> Party:
    _service, answer, reference = unseal(token, party=party)
    if isinstance(answer, PersonAnswer):
        return apply_person_data(party=party, answer=answer, by=by, reference=reference)
    return apply_enterprise_data(party=party, answer=answer, by=by, reference=reference)


# -- locks, merges ------------------------------------------------------------------------------


def locked_fields_of(party: Party) -> Iterable[LockedField]:
    """The parties.registries provider: every field a source filled is locked to that source."""
    for row in SourcedFields.objects.filter(party_id=party.pk):
        label = str(Source(row.source).label) if row.source in Source.values else row.source
        for name in row.fields:
            yield LockedField(field=name, source=row.source, source_label=label, since=row.fetched_at)


def move_sourced_fields_to_survivor(survivor: Party, duplicate: Party) -> int:
    """parties' merge handler: the survivor keeps its own sources' records; the duplicate's move
    over for a source the survivor has none of, the rest go (the duplicate's fields did not win)."""
    moved = 0
    for row in SourcedFields.objects.filter(party=duplicate):
        if SourcedFields.objects.filter(party=survivor, source=row.source).exists():
            row.delete()
        else:
            row.party = survivor
            row.save(update_fields=["party"])
            moved += 1
    MagdaRegistration.objects.filter(party=duplicate).update(party=survivor)
    return moved


# -- the scheduled refresh ------------------------------------------------------------------------

RefreshScope = Callable[[dt.datetime], QuerySet[Any]]
"""scope(since) -> a queryset of party ids (values("party_id") or similar) worth refreshing."""

refresh_scopes: Registry[RefreshScope] = Registry("Rijksregister refresh scopes")
"""Higher apps say which persons are active (an open case, a recent contact); none registered:
every person once fetched is refreshed in turn."""

RECENT_CONTACT = dt.timedelta(days=30)


def refresh_candidates(*, now: dt.datetime | None = None) -> QuerySet[SourcedFields]:
    now = now or timezone.now()
    rows = SourcedFields.objects.filter(
        Q(attempted_at__isnull=True) | Q(attempted_at__lt=now - REFRESH_AFTER),
        source=Source.RIJKSREGISTER,
        fetched_at__lt=now - REFRESH_AFTER,
        party__merged_into__isnull=True,
        party__national_number__isnull=False,
    )
    scopes = [scope for _key, scope in refresh_scopes]
    if scopes:
        condition = Q()
        for scope in scopes:
            condition |= Q(party_id__in=scope(now - RECENT_CONTACT))
        rows = rows.filter(condition)
    return rows.select_related("party").order_by("fetched_at", "id")


def refresh_persons(*, now: dt.datetime | None = None, limit: int | None = None) -> int:
    """Refresh persons whose Rijksregister data is more than a week old and who are active, the
    oldest first, at most `limit` (BALIE_MAGDA_REFRESH_LIMIT) per run, under the purpose whose
    capacity code is BALIE_MAGDA_REFRESH_CAPACITY. Returns how many were refreshed."""
    capacity = settings.BALIE_MAGDA_REFRESH_CAPACITY
    if not capacity:
        return 0
    purpose = LegalPurpose.objects.filter(capacity_code=capacity, active=True).order_by("id").first()
    if purpose is None:
        logger.warning("magda refresh skipped: no active purpose with the configured capacity")
        return 0
    refreshed = 0
    for row in list(refresh_candidates(now=now)[: limit or settings.BALIE_MAGDA_REFRESH_LIMIT]):
        # Tried this week, whatever comes of it: one that keeps failing waits its turn again.
        SourcedFields.objects.filter(pk=row.pk).update(attempted_at=timezone.now())
        try:
            fetched = fetch_person(party=row.party, purpose=purpose, by=None)
            assert isinstance(fetched.answer, PersonAnswer)
            apply_person_data(party=row.party, answer=fetched.answer, by=None, reference=fetched.reference)
        except (ConsultationError, ValidationError):
            continue  # the consultation row (or the error) says what went wrong
        refreshed += 1
    return refreshed
