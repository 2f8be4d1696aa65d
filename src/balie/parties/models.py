"""Persons, organisations and associations, with identifiers, contact points and addresses."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, validate_email
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from balie.core.models import PublicModel
from balie.core.text import normalize
from balie.core.validators import validate_plain_text

from .identifiers import (
    clean_enterprise_number,
    clean_establishment_number,
    clean_insz,
    clean_phone,
    format_enterprise_number,
    format_insz,
    format_phone,
)


def _validate_insz(value: str) -> None:
    clean_insz(value)


def _validate_enterprise_number(value: str) -> None:
    clean_enterprise_number(value)


def _validate_establishment_number(value: str) -> None:
    clean_establishment_number(value)


class PartyKind(models.TextChoices):
    PERSON = "person", _("persoon")
    ORGANISATION = "organisation", _("onderneming of organisatie")
    ASSOCIATION = "association", _("vereniging")


class Gender(models.TextChoices):
    UNKNOWN = "", _("onbekend")
    MALE = "M", _("man")
    FEMALE = "F", _("vrouw")
    X = "X", _("X")


class Language(models.TextChoices):
    DUTCH = "nl", _("Nederlands")
    FRENCH = "fr", _("Frans")
    ENGLISH = "en", _("Engels")


class Party(PublicModel):
    """A customer: a person, an organisation or an association. One table, so that search, the
    360° view and every link (contact, case, booking) treat them alike."""

    kind = models.CharField(_("soort"), max_length=16, choices=PartyKind.choices)
    # person
    given_name = models.CharField(_("voornaam"), max_length=100, blank=True, validators=[validate_plain_text])
    family_name = models.CharField(
        _("familienaam"), max_length=100, blank=True, validators=[validate_plain_text]
    )
    birth_date = models.DateField(_("geboortedatum"), null=True, blank=True)
    gender = models.CharField(_("geslacht"), max_length=1, choices=Gender.choices, blank=True, default="")
    national_number = models.CharField(
        _("rijksregisternummer"),
        max_length=11,
        unique=True,
        null=True,
        blank=True,
        validators=[_validate_insz],
        help_text=_("INSZ: rijksregisternummer of BIS-nummer"),
    )
    # organisation or association
    name = models.CharField(_("naam"), max_length=200, blank=True, validators=[validate_plain_text])
    enterprise_number = models.CharField(
        _("ondernemingsnummer"),
        max_length=10,
        unique=True,
        null=True,
        blank=True,
        validators=[_validate_enterprise_number],
    )
    legal_form = models.CharField(
        _("rechtsvorm"), max_length=100, blank=True, validators=[validate_plain_text]
    )
    preferred_language = models.CharField(
        _("voorkeurstaal"), max_length=2, choices=Language.choices, default=Language.DUTCH
    )
    # The customer's own choice (e-loket): a mail when a case or report of theirs moves on. Without
    # it they follow their cases in the e-loket; letters and answers they asked for still come.
    notify_by_email = models.BooleanField(_("berichten over zaken per e-mail"), default=True)
    # derived, for lists and search
    display_name = models.CharField(_("naam"), max_length=220, editable=False)
    search_name = models.CharField(max_length=220, editable=False, db_index=True)
    note = models.TextField(_("opmerking"), blank=True, validators=[MaxLengthValidator(2000)])
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_parties",
        verbose_name=_("samengevoegd met"),
    )
    # The citizen account (e-loket) of a person: linked when they signed in with their eID or
    # itsme (the national number from the government login), or when an employee linked it.
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="party",
        verbose_name=_("e-loketaccount"),
    )

    class Meta:
        ordering = ["search_name", "id"]
        verbose_name = _("partij")
        verbose_name_plural = _("partijen")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="person") | Q(national_number__isnull=True),
                name="parties_party_nn_only_persons",
            ),
            models.CheckConstraint(
                condition=~Q(kind="person") | Q(enterprise_number__isnull=True),
                name="parties_party_kbo_not_persons",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.derive_names()
        super().save(*args, **kwargs)

    def derive_names(self) -> None:
        if self.kind == PartyKind.PERSON:
            self.display_name = f"{self.family_name} {self.given_name}".strip()
        else:
            self.display_name = self.name
        self.search_name = normalize(self.display_name)

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.kind == PartyKind.PERSON:
            if not self.family_name.strip():
                errors["family_name"] = _("Vul de familienaam in.")
            if self.enterprise_number:
                errors["enterprise_number"] = _("Een persoon heeft geen ondernemingsnummer.")
        else:
            if not self.name.strip():
                errors["name"] = _("Vul de naam in.")
            if self.national_number:
                errors["national_number"] = _("Alleen een persoon heeft een rijksregisternummer.")
            if self.kind == PartyKind.ORGANISATION and not self.enterprise_number:
                errors["enterprise_number"] = _(
                    "Een onderneming of organisatie heeft een ondernemingsnummer."
                )
        if errors:
            raise ValidationError(errors)

    @property
    def is_person(self) -> bool:
        return self.kind == PartyKind.PERSON

    @property
    def national_number_display(self) -> str:
        return format_insz(self.national_number) if self.national_number else ""

    @property
    def enterprise_number_display(self) -> str:
        return format_enterprise_number(self.enterprise_number) if self.enterprise_number else ""


class ContactPointKind(models.TextChoices):
    EMAIL = "email", _("e-mail")
    PHONE = "phone", _("telefoon")
    MOBILE = "mobile", _("gsm")


class ContactPoint(PublicModel):
    """An e-mail address or phone number of a party; one preferred per kind."""

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="contact_points")
    kind = models.CharField(_("soort"), max_length=8, choices=ContactPointKind.choices)
    value = models.CharField(_("waarde"), max_length=254)
    verified = models.BooleanField(_("geverifieerd"), default=False)
    verified_at = models.DateTimeField(_("geverifieerd op"), null=True, blank=True)
    preferred = models.BooleanField(_("voorkeur"), default=False)

    class Meta:
        ordering = ["kind", "-preferred", "id"]
        verbose_name = _("contactgegeven")
        verbose_name_plural = _("contactgegevens")
        constraints = [
            models.UniqueConstraint(
                fields=["party", "kind"],
                condition=Q(preferred=True),
                name="parties_contactpoint_one_preferred",
            ),
            models.UniqueConstraint(
                fields=["party", "kind", "value"], name="parties_contactpoint_unique_value"
            ),
        ]
        indexes = [models.Index(fields=["value"], name="parties_contactpoint_value")]

    def __str__(self) -> str:
        return self.display_value

    def clean(self) -> None:
        self.value = self.value.strip()
        if self.kind == ContactPointKind.EMAIL:
            try:
                validate_email(self.value)
            except ValidationError:
                raise ValidationError({"value": _("Dit is geen geldig e-mailadres.")}) from None
            self.value = self.value.strip().lower()
        elif self.kind in (ContactPointKind.PHONE, ContactPointKind.MOBILE):
            try:
                self.value = clean_phone(self.value)
            except ValidationError as error:
                raise ValidationError({"value": error.messages}) from None

    @property
    def display_value(self) -> str:
        return self.value if self.kind == ContactPointKind.EMAIL else format_phone(self.value)


class AddressFields(models.Model):
    street = models.CharField(_("straat"), max_length=150, validators=[validate_plain_text])
    house_number = models.CharField(_("huisnummer"), max_length=12, validators=[validate_plain_text])
    box = models.CharField(_("bus"), max_length=12, blank=True, validators=[validate_plain_text])
    postcode = models.CharField(_("postcode"), max_length=12, validators=[validate_plain_text])
    municipality = models.CharField(_("gemeente"), max_length=100, validators=[validate_plain_text])
    country = models.CharField(_("land"), max_length=2, default="BE")

    class Meta:
        abstract = True

    def clean_fields(self, exclude: Collection[str] | None = None) -> None:
        # An empty municipality may follow from the postcode: clean() asks the address checkers.
        if not self.municipality:
            exclude = {*(exclude or ()), "municipality"}
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        from .registries import address_checkers  # registries imports this module

        super().clean()
        if self.country.upper() == "BE" and not (
            len(self.postcode) == 4 and self.postcode.isdigit() and self.postcode[0] != "0"
        ):
            raise ValidationError({"postcode": _("Een Belgische postcode heeft 4 cijfers.")})
        self.country = self.country.upper()
        for _key, check in address_checkers:
            check(self)
        if not self.municipality:
            raise ValidationError({"municipality": models.Field.default_error_messages["blank"]})

    @property
    def one_line(self) -> str:
        box = f" bus {self.box}" if self.box else ""
        country = "" if self.country == "BE" else f", {self.country}"
        return f"{self.street} {self.house_number}{box}, {self.postcode} {self.municipality}{country}"

    def as_snapshot(self) -> dict[str, str]:
        """A frozen copy, kept on a contact moment or letter, whatever the party's later moves."""
        return {
            "street": self.street,
            "house_number": self.house_number,
            "box": self.box,
            "postcode": self.postcode,
            "municipality": self.municipality,
            "country": self.country,
        }


class AddressKind(models.TextChoices):
    RESIDENCE = "residence", _("domicilie")
    POSTAL = "postal", _("postadres")
    REGISTERED_OFFICE = "registered_office", _("maatschappelijke zetel")


class Address(PublicModel, AddressFields):
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="addresses")
    kind = models.CharField(_("soort"), max_length=20, choices=AddressKind.choices)
    valid_from = models.DateField(_("geldig vanaf"), null=True, blank=True)
    valid_until = models.DateField(_("geldig tot"), null=True, blank=True)
    search_text = models.CharField(max_length=300, editable=False)

    class Meta:
        ordering = ["valid_until", "-valid_from", "id"]
        verbose_name = _("adres")
        verbose_name_plural = _("adressen")
        indexes = [models.Index(fields=["search_text"], name="parties_address_search")]

    def __str__(self) -> str:
        return self.one_line

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = normalize(f"{self.street} {self.house_number} {self.postcode} {self.municipality}")
        super().save(*args, **kwargs)

    @property
    def is_current(self) -> bool:
        return self.valid_until is None


class EstablishmentUnit(PublicModel, AddressFields):
    """A place where an organisation works (vestigingseenheid), with its own KBO number."""

    organisation = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="establishment_units")
    number = models.CharField(
        _("vestigingseenheidsnummer"),
        max_length=10,
        unique=True,
        validators=[_validate_establishment_number],
    )
    name = models.CharField(_("naam"), max_length=200, blank=True, validators=[validate_plain_text])
    active = models.BooleanField(_("actief"), default=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("vestigingseenheid")
        verbose_name_plural = _("vestigingseenheden")

    def __str__(self) -> str:
        return f"{format_enterprise_number(self.number)} {self.name}".strip()


class Representation(PublicModel):
    """Person X acts for organisation Y (a director, a contact person, a mandate)."""

    representative = models.ForeignKey(
        Party, on_delete=models.CASCADE, related_name="represents", verbose_name=_("persoon")
    )
    represented = models.ForeignKey(
        Party,
        on_delete=models.CASCADE,
        related_name="representatives",
        verbose_name=_("organisatie"),
    )
    capacity = models.CharField(_("hoedanigheid"), max_length=100, validators=[validate_plain_text])
    valid_from = models.DateField(_("geldig vanaf"), null=True, blank=True)
    valid_until = models.DateField(_("geldig tot"), null=True, blank=True)

    class Meta:
        ordering = ["represented", "representative"]
        verbose_name = _("vertegenwoordiging")
        verbose_name_plural = _("vertegenwoordigingen")
        constraints = [
            models.UniqueConstraint(
                fields=["representative", "represented", "capacity"],
                name="parties_representation_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.representative} – {self.capacity} – {self.represented}"
