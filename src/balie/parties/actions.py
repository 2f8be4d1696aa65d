"""Every change to parties: register (reusing an existing identifier), update, contact points,
addresses, establishment units, representation, merge."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import uuid4

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from balie.audit.actions import Actor, diff, record_change, record_creation, snapshot
from balie.audit.models import ChangeAction

from .identifiers import clean_enterprise_number, clean_insz
from .merging import merge_handlers
from .models import (
    Address,
    AddressKind,
    ContactPoint,
    ContactPointKind,
    EstablishmentUnit,
    Party,
    PartyKind,
    Representation,
)
from .registries import locked_fields

PERSON_FIELDS = [
    "given_name",
    "family_name",
    "birth_date",
    "gender",
    "national_number",
    "preferred_language",
    "notify_by_email",
    "note",
]
ORGANISATION_FIELDS = [
    "name",
    "enterprise_number",
    "legal_form",
    "preferred_language",
    "notify_by_email",
    "note",
]
ADDRESS_FIELDS = ["kind", "street", "house_number", "box", "postcode", "municipality", "country"]


def _fields_for(kind: str) -> list[str]:
    return PERSON_FIELDS if kind == PartyKind.PERSON else ORGANISATION_FIELDS


@transaction.atomic
def register_party(*, kind: str, by: Actor | None, **data: Any) -> tuple[Party, bool]:
    """Register a party, or return the existing one with the same national or enterprise number.

    Returns (party, created). Raises ValidationError with field messages on bad input.
    """
    if kind not in PartyKind.values:
        raise ValidationError({"kind": _("Onbekende soort partij.")})
    unknown = set(data) - set(_fields_for(kind))
    if unknown:
        raise ValidationError({name: _("Dit veld hoort niet bij deze soort partij.") for name in unknown})
    existing = _existing_by_identifier(kind, data)
    if existing is not None:
        return existing, False
    party = Party(kind=kind, **{k: v for k, v in data.items() if v is not None})
    if party.national_number == "":
        party.national_number = None
    if party.enterprise_number == "":
        party.enterprise_number = None
    party.full_clean()
    party.save()
    record_creation(instance=party, fields=_fields_for(kind), by=by)
    return party, True


def _existing_by_identifier(kind: str, data: dict[str, Any]) -> Party | None:
    try:
        if kind == PartyKind.PERSON and data.get("national_number"):
            data["national_number"] = clean_insz(data["national_number"])
            found = Party.objects.filter(national_number=data["national_number"]).first()
        elif kind != PartyKind.PERSON and data.get("enterprise_number"):
            data["enterprise_number"] = clean_enterprise_number(data["enterprise_number"])
            found = Party.objects.filter(enterprise_number=data["enterprise_number"]).first()
        else:
            return None
    except ValidationError as error:
        field = "national_number" if kind == PartyKind.PERSON else "enterprise_number"
        raise ValidationError({field: error.messages}) from None
    while found is not None and found.merged_into_id is not None:
        found = found.merged_into
    return found


@transaction.atomic
def update_party(*, party: Party, by: Actor | None, source: str = "", **data: Any) -> Party:
    """Change a party's own fields; every changed field goes to the history.

    A field an authentic source filled (see parties.registries) is changed only with that
    source's data (`source`, e.g. "rijksregister"); the same value may always be passed again.
    """
    party = Party.objects.select_for_update().get(pk=party.pk)
    fields = _fields_for(party.kind)
    unknown = set(data) - set(fields)
    if unknown:
        raise ValidationError({name: _("Dit veld hoort niet bij deze soort partij.") for name in unknown})
    if party.merged_into_id:
        raise ValidationError(_("Deze partij is samengevoegd en kan niet meer gewijzigd worden."))
    before = snapshot(party, fields)
    locked = locked_fields(party)
    refused: dict[str, Any] = {}
    for key, value in data.items():
        try:
            if key == "national_number" and value:
                value = clean_insz(value)
            if key == "enterprise_number" and value:
                value = clean_enterprise_number(value)
        except ValidationError as error:
            raise ValidationError({key: error.messages}) from None
        if key in ("national_number", "enterprise_number") and value == "":
            value = None
        lock = locked.get(key)
        if lock is not None and lock.source != source and value != getattr(party, key):
            refused[key] = _(
                "Dit gegeven komt uit een authentieke bron (%(source)s) en kan hier niet gewijzigd worden."
            ) % {"source": lock.source_label}
        setattr(party, key, value)
    if refused:
        raise ValidationError(refused)
    party.full_clean()
    party.save()
    record_change(
        instance=party, action=ChangeAction.UPDATE, changes=diff(before, snapshot(party, fields)), by=by
    )
    return party


@transaction.atomic
def add_contact_point(
    *,
    party: Party,
    kind: str,
    value: str,
    preferred: bool = False,
    verified: bool = False,
    by: Actor | None,
) -> ContactPoint:
    """Add an e-mail address or phone number; an existing identical one is returned as is."""
    point = ContactPoint(party=party, kind=kind, value=value, preferred=preferred, verified=verified)
    if kind not in ContactPointKind.values:
        raise ValidationError({"kind": _("Onbekende soort contactgegeven.")})
    point.clean()  # normalises the value before the uniqueness check
    existing = ContactPoint.objects.filter(party=party, kind=kind, value=point.value).first()
    if existing is not None:
        return existing
    has_preferred = ContactPoint.objects.filter(party=party, kind=kind, preferred=True).exists()
    if preferred and has_preferred:
        ContactPoint.objects.filter(party=party, kind=kind, preferred=True).update(preferred=False)
    elif not has_preferred:
        point.preferred = True  # the first of its kind is the preferred one
    if verified:
        point.verified_at = timezone.now()
    point.full_clean()
    point.save()
    record_change(
        instance=party,
        action=ChangeAction.UPDATE,
        changes={f"contact_point.{kind}": [None, point.value]},
        by=by,
    )
    return point


@transaction.atomic
def set_preferred_contact_point(*, point: ContactPoint, by: Actor | None) -> ContactPoint:
    ContactPoint.objects.filter(party=point.party, kind=point.kind, preferred=True).exclude(
        pk=point.pk
    ).update(preferred=False)
    point.preferred = True
    point.save(update_fields=["preferred", "updated_at"])
    record_change(
        instance=point.party,
        action=ChangeAction.UPDATE,
        changes={f"preferred.{point.kind}": [None, point.value]},
        by=by,
    )
    return point


@transaction.atomic
def add_address(
    *, party: Party, by: Actor | None, valid_from: dt.date | None = None, source: str = "", **data: Any
) -> Address:
    """Add an address; the party's current address of the same kind ends the day before.

    The current address of a kind an authentic source filled changes only with that source's data.
    """
    address = Address(party=party, valid_from=valid_from or timezone.localdate(), **data)
    address.full_clean()
    current = Address.objects.filter(party=party, kind=address.kind, valid_until__isnull=True)
    previous = current.first()
    if previous is not None and previous.as_snapshot() == address.as_snapshot():
        return previous
    lock = locked_fields(party).get(f"address.{address.kind}")
    if lock is not None and lock.source != source:
        raise ValidationError(
            {
                "kind": _(
                    "Dit adres komt uit een authentieke bron (%(source)s) en kan hier niet gewijzigd worden."
                )
                % {"source": lock.source_label}
            }
        )
    assert address.valid_from is not None
    current.update(valid_until=address.valid_from - dt.timedelta(days=1))
    address.save()
    record_change(
        instance=party,
        action=ChangeAction.UPDATE,
        changes={f"address.{address.kind}": [previous.one_line if previous else None, address.one_line]},
        by=by,
    )
    return address


def current_address(party: Party) -> Address | None:
    """The address to use on a contact: residence, else postal, else registered office."""
    order: list[str] = [AddressKind.RESIDENCE, AddressKind.POSTAL, AddressKind.REGISTERED_OFFICE]
    current = [a for a in party.addresses.all() if a.valid_until is None]
    current.sort(key=lambda a: order.index(a.kind) if a.kind in order else len(order))
    return current[0] if current else None


@transaction.atomic
def add_establishment_unit(
    *, organisation: Party, number: str, by: Actor | None, **data: Any
) -> EstablishmentUnit:
    if organisation.kind == PartyKind.PERSON:
        raise ValidationError(_("Een persoon heeft geen vestigingseenheden."))
    unit = EstablishmentUnit(
        organisation=organisation, number="".join(c for c in number if c.isdigit()), **data
    )
    unit.full_clean()
    unit.save()
    record_change(
        instance=organisation,
        action=ChangeAction.UPDATE,
        changes={"establishment_unit": [None, unit.number]},
        by=by,
    )
    return unit


@transaction.atomic
def add_representation(
    *,
    representative: Party,
    represented: Party,
    capacity: str,
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
    by: Actor | None,
) -> Representation:
    if representative.kind != PartyKind.PERSON:
        raise ValidationError({"representative": _("Een vertegenwoordiger is een persoon.")})
    if represented.kind == PartyKind.PERSON:
        raise ValidationError(
            {"represented": _("Een persoon vertegenwoordigt een organisatie of vereniging.")}
        )
    representation = Representation(
        representative=representative,
        represented=represented,
        capacity=capacity,
        valid_from=valid_from,
        valid_until=valid_until,
    )
    representation.full_clean()
    representation.save()
    record_creation(instance=representation, fields=["representative", "represented", "capacity"], by=by)
    return representation


@transaction.atomic
def merge_parties(*, survivor: Party, duplicate: Party, by: Actor, reason: str = "") -> Party:
    """Fold `duplicate` into `survivor`: every contact point, address, link and history row moves;
    the duplicate stays as a pointer (merged_into) so old links and logs still resolve."""
    survivor, duplicate = (
        Party.objects.select_for_update().get(pk=survivor.pk),
        Party.objects.select_for_update().get(pk=duplicate.pk),
    )
    if survivor.pk == duplicate.pk:
        raise ValidationError(_("Een partij kan niet met zichzelf samengevoegd worden."))
    if survivor.merged_into_id or duplicate.merged_into_id:
        raise ValidationError(_("Een van beide partijen is al samengevoegd."))
    if survivor.kind != duplicate.kind:
        raise ValidationError(_("Alleen partijen van dezelfde soort kunnen samengevoegd worden."))
    for field in ("national_number", "enterprise_number"):
        mine, theirs = getattr(survivor, field), getattr(duplicate, field)
        if mine and theirs and mine != theirs:
            raise ValidationError(
                _("Beide partijen hebben een ander identificatienummer; ze zijn niet dezelfde.")
            )
    moved: dict[str, Any] = {}
    # Identifiers: move them over when the survivor has none (unique: clear the duplicate first).
    for field in ("national_number", "enterprise_number"):
        if getattr(duplicate, field) and not getattr(survivor, field):
            value = getattr(duplicate, field)
            setattr(duplicate, field, None)
            duplicate.save(update_fields=[field])
            setattr(survivor, field, value)
            survivor.save(update_fields=[field])
            moved[field] = value
    # The citizen account goes along when the survivor has none (one account per party).
    if duplicate.account_id and not survivor.account_id:
        account_id = duplicate.account_id
        duplicate.account = None
        duplicate.save(update_fields=["account"])
        survivor.account_id = account_id
        moved["account"] = account_id
    for field in _fields_for(survivor.kind):
        if not getattr(survivor, field) and getattr(duplicate, field):
            setattr(survivor, field, getattr(duplicate, field))
            moved[field] = str(getattr(duplicate, field))
    survivor.save()
    existing_points = set(survivor.contact_points.values_list("kind", "value"))
    for point in duplicate.contact_points.all():
        if (point.kind, point.value) in existing_points:
            point.delete()
            continue
        point.party = survivor
        point.preferred = (
            point.preferred and not survivor.contact_points.filter(kind=point.kind, preferred=True).exists()
        )
        point.save(update_fields=["party", "preferred", "updated_at"])
    moved["addresses"] = Address.objects.filter(party=duplicate).update(party=survivor)
    moved["establishment_units"] = EstablishmentUnit.objects.filter(organisation=duplicate).update(
        organisation=survivor
    )
    moved["represents"] = Representation.objects.filter(representative=duplicate).update(
        representative=survivor
    )
    moved["representatives"] = Representation.objects.filter(represented=duplicate).update(
        represented=survivor
    )
    for key, handler in merge_handlers:
        moved[key] = handler(survivor, duplicate)
    duplicate.merged_into = survivor
    duplicate.save(update_fields=["merged_into", "updated_at"])
    record_change(
        instance=survivor,
        action=ChangeAction.MERGE,
        changes={"merged_from": [None, str(duplicate.uuid)], **{k: [None, v] for k, v in moved.items()}},
        by=by,
        reason=reason,
    )
    record_change(
        instance=duplicate,
        action=ChangeAction.MERGE,
        changes={"merged_into": [None, str(survivor.uuid)]},
        by=by,
        reason=reason,
    )
    return survivor


# -- citizen accounts (e-loket) --------------------------------------------------------------------


def party_of_account(account: Any) -> Party | None:
    """The person party a citizen account acts as, following merges to the survivor."""
    party = Party.objects.filter(account=account).first()
    while party is not None and party.merged_into_id is not None:
        party = Party.objects.get(pk=party.merged_into_id)
    return party


def _new_citizen_account(*, email: str, given_name: str, family_name: str) -> Any:
    from balie.accounts.models import AccountKind, User

    account = User(
        username=f"burger-{uuid4().hex[:20]}",
        kind=AccountKind.CITIZEN,
        email=email,
        first_name=given_name[:150],
        last_name=family_name[:150],
        is_active=True,
    )
    account.set_unusable_password()
    account.save()
    return account


@transaction.atomic
def sign_in_with_national_number(*, national_number: str, given_name: str, family_name: str) -> Any:
    """A person signed in with the government login (eID, itsme): the national number it vouches
    for finds their party, or registers one with the names it gave; the party gets a citizen
    account the first time. Returns the account."""
    insz = clean_insz(national_number)  # ValidationError on a number that is not one
    party, _created = register_party(
        kind=PartyKind.PERSON,
        by=None,
        national_number=insz,
        given_name=given_name.strip()[:100],
        family_name=family_name.strip()[:100] or "?",
    )
    while party.merged_into_id is not None:
        party = Party.objects.get(pk=party.merged_into_id)
    party = Party.objects.select_for_update().get(pk=party.pk)
    if party.account_id is None:
        party.account = _new_citizen_account(
            email="", given_name=party.given_name, family_name=party.family_name
        )
        party.save(update_fields=["account", "updated_at"])
        record_change(
            instance=party,
            action=ChangeAction.UPDATE,
            changes={"account": [None, "e-loket (aanmelding met eID of itsme)"]},
            by=None,
        )
    return party.account


@transaction.atomic
def register_citizen_account(*, email: str, given_name: str, family_name: str, password: str) -> Any:
    """A local e-loket account for someone without a Belgian eID. It cannot be used until the
    e-mail address is proven (`verify_citizen_email`), and it gets its own person party then."""
    from django.contrib.auth.password_validation import validate_password

    from balie.accounts.models import AccountKind, User

    errors: dict[str, list[str]] = {}
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = [_("Vul een geldig e-mailadres in.")]
    if not given_name.strip():
        errors["given_name"] = [_("Vul uw voornaam in.")]
    if not family_name.strip():
        errors["family_name"] = [_("Vul uw familienaam in.")]
    try:
        validate_password(password)
    except ValidationError as error:
        errors["password"] = list(error.messages)
    if "email" not in errors and User.objects.filter(kind=AccountKind.CITIZEN, email=email).exists():
        errors["email"] = [
            _("Er bestaat al een account met dit e-mailadres. Meld u aan of vraag een nieuw wachtwoord.")
        ]
    if errors:
        raise ValidationError(errors)
    account = _new_citizen_account(
        email=email, given_name=given_name.strip(), family_name=family_name.strip()
    )
    account.set_password(password)
    account.save(update_fields=["password"])
    return account


@transaction.atomic
def verify_citizen_email(*, account: Any) -> Party:
    """The link in the mail was followed: the address is proven; the account gets a person party
    (its own: never matched to an existing party by e-mail address, which proves nothing)."""
    from balie.accounts.models import AccountKind, User

    account = User.objects.select_for_update().get(pk=account.pk)
    if account.kind != AccountKind.CITIZEN:
        raise ValidationError(_("Dit is geen e-loketaccount."))
    existing = party_of_account(account)
    if account.email_verified_at is not None and existing is not None:
        return existing
    account.email_verified_at = timezone.now()
    account.save(update_fields=["email_verified_at"])
    if existing is not None:
        return existing
    party, _created = register_party(
        kind=PartyKind.PERSON, by=None, given_name=account.first_name, family_name=account.last_name
    )
    party.account = account
    party.save(update_fields=["account", "updated_at"])
    add_contact_point(party=party, kind=ContactPointKind.EMAIL, value=account.email, verified=True, by=None)
    return party
