"""The KBO open data (Crossroads Bank for Enterprises), mirrored in local tables, and its imports.

One table per file of the open data, with the file's columns (see `kbo/layout.py` and
shared/standards/belgium-flanders.md section 2): numbers are stored compact (digits only:
"0200.065.765" -> "0200065765"; establishment and branch numbers alike), dates as dates, codes
as the KBO writes them (their Dutch and French descriptions are in `KboCode`). The open data holds
only active entities and no history; a full import replaces every table, an update deletes and
inserts per entity.

These tables are written by `kbo/importer.py` only (COPY on PostgreSQL, bulk inserts on SQLite)
and read through `kbo/queries.py`. Parties link to an enterprise by their enterprise number; there
is no foreign key, so that a full import can swap whole tables.

The rows of an entity (names, addresses, contacts, activities) are read by entity number only. On
PostgreSQL their `id` is an empty column without primary key (migrations 0003 and 0006): numbering
and indexing 43M rows made every full import slower for rows nobody addresses by id. Treat these
tables as read-only mirrors: the ORM reads them, the importer writes them.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..kbo.layout import SQLITE_FOLD_PAIRS, fold, format_number

__all__ = [
    "KboActivity",
    "KboAddress",
    "KboBranch",
    "KboCode",
    "KboContact",
    "KboDenomination",
    "KboEnterprise",
    "KboEstablishment",
    "KboFold",
    "KboImport",
    "KboImportFile",
    "KboImportKind",
    "KboImportState",
    "KboMeta",
]

NUMBER = 10  # digits of an enterprise, establishment or branch number


class KboFold(models.Func):
    """The expression of migration 0002's generated `search_name` (kept for that migration only):
    `kbo_fold(x)` on PostgreSQL, LOWER over REPLACEs on SQLite. Migration 0005 replaced it by a
    plain column the importer fills: PostgreSQL cannot inline an immutable SQL function around the
    stable unaccent(), and ran it per row at 1.4 µs, 4.5 s of a 6.5 s load of the names."""

    function = "kbo_fold"
    output_field = models.TextField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        sql, params = compiler.compile(self.source_expressions[0])
        for accented, plain in SQLITE_FOLD_PAIRS:
            sql = f"REPLACE({sql}, '{accented}', '{plain}')"
        return f"LOWER({sql})", params


class KboMeta(models.Model):
    """meta.csv of the extract loaded last: SnapshotDate, ExtractTimestamp, ExtractType, ExtractNumber,
    Version."""

    variable = models.CharField(_("variabele"), max_length=40, primary_key=True)
    value = models.CharField(_("waarde"), max_length=100)

    class Meta:
        verbose_name = _("KBO-metagegeven")
        verbose_name_plural = _("KBO-metagegevens")

    def __str__(self) -> str:
        return f"{self.variable}={self.value}"


class KboCode(models.Model):
    """code.csv: the description of a code of a category in a language (NL, FR, DE; EN later)."""

    category = models.CharField(_("categorie"), max_length=40)
    code = models.CharField(_("code"), max_length=20)
    language = models.CharField(_("taal"), max_length=2)
    description = models.TextField(_("omschrijving"))

    class Meta:
        verbose_name = _("KBO-code")
        verbose_name_plural = _("KBO-codes")
        constraints = [
            models.UniqueConstraint(fields=["category", "code", "language"], name="kbo_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.category} {self.code} {self.language}: {self.description}"


class KboEnterprise(models.Model):
    """enterprise.csv: an active enterprise (a legal person, or a natural person with an enterprise)."""

    enterprise_number = models.CharField(_("ondernemingsnummer"), max_length=NUMBER, primary_key=True)
    status = models.CharField(_("status"), max_length=2)  # AC
    juridical_situation = models.CharField(_("rechtstoestand"), max_length=3)
    type_of_enterprise = models.CharField(_("type onderneming"), max_length=1)  # 1 natural, 2 legal person
    juridical_form = models.CharField(_("rechtsvorm"), max_length=3, blank=True)
    juridical_form_cac = models.CharField(_("rechtsvorm (WVV-omzetting)"), max_length=3, blank=True)
    start_date = models.DateField(_("begindatum"), null=True)

    class Meta:
        verbose_name = _("KBO-onderneming")
        verbose_name_plural = _("KBO-ondernemingen")

    def __str__(self) -> str:
        return format_number(self.enterprise_number)


class KboEstablishment(models.Model):
    """establishment.csv: an establishment unit (vestigingseenheid) of an enterprise."""

    establishment_number = models.CharField(
        _("vestigingseenheidsnummer"), max_length=NUMBER, primary_key=True
    )
    start_date = models.DateField(_("begindatum"), null=True)
    enterprise_number = models.CharField(_("ondernemingsnummer"), max_length=NUMBER)

    class Meta:
        verbose_name = _("KBO-vestigingseenheid")
        verbose_name_plural = _("KBO-vestigingseenheden")
        indexes = [models.Index(fields=["enterprise_number"], name="kbo_establishment_enterprise")]

    def __str__(self) -> str:
        return format_number(self.establishment_number)


class KboBranch(models.Model):
    """branch.csv: a branch (bijkantoor) of a foreign entity. The id looks like a number but is not an
    official one."""

    id = models.CharField(_("id"), max_length=NUMBER, primary_key=True)
    start_date = models.DateField(_("begindatum"), null=True)
    enterprise_number = models.CharField(_("ondernemingsnummer"), max_length=NUMBER)

    class Meta:
        verbose_name = _("KBO-bijkantoor")
        verbose_name_plural = _("KBO-bijkantoren")
        indexes = [models.Index(fields=["enterprise_number"], name="kbo_branch_enterprise")]

    def __str__(self) -> str:
        return format_number(self.id)


class KboDenomination(models.Model):
    """denomination.csv: a name of an enterprise, establishment or branch (entity number).

    `search_name` is the name folded by `kbo.layout.fold()` (lower case, no accents), written by
    the importer as it streams the file, for the name search: on PostgreSQL a trigram index and a
    btree for prefixes (migration 0005), LIKE on SQLite."""

    id = models.BigAutoField(primary_key=True)
    entity_number = models.CharField(_("nummer"), max_length=NUMBER)
    language = models.CharField(_("taal"), max_length=1)  # 0 unknown, 1 FR, 2 NL, 3 DE, 4 EN
    type_of_denomination = models.CharField(_("soort naam"), max_length=3)  # 001 name, 002 abbr., 003, 004
    denomination = models.TextField(_("naam"))
    search_name = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("KBO-naam")
        verbose_name_plural = _("KBO-namen")
        indexes = [models.Index(fields=["entity_number"], name="kbo_denomination_entity")]

    def __str__(self) -> str:
        return self.denomination

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_name = fold(self.denomination)  # the importer writes it itself
        super().save(*args, **kwargs)


class KboAddress(models.Model):
    """address.csv: the seat (REGO) of a legal person, the address of an establishment (BAET) or of a
    branch (ABBR). Country is empty for a Belgian address."""

    id = models.BigAutoField(primary_key=True)
    entity_number = models.CharField(_("nummer"), max_length=NUMBER)
    type_of_address = models.CharField(_("soort adres"), max_length=4)
    country_nl = models.TextField(_("land (NL)"), blank=True)
    country_fr = models.TextField(_("land (FR)"), blank=True)
    zipcode = models.TextField(_("postcode"), blank=True)
    municipality_nl = models.TextField(_("gemeente (NL)"), blank=True)
    municipality_fr = models.TextField(_("gemeente (FR)"), blank=True)
    street_nl = models.TextField(_("straat (NL)"), blank=True)
    street_fr = models.TextField(_("straat (FR)"), blank=True)
    house_number = models.TextField(_("huisnummer"), blank=True)
    box = models.TextField(_("bus"), blank=True)
    extra_address_info = models.TextField(_("extra adresinformatie"), blank=True)
    date_striking_off = models.DateField(_("doorgehaald op"), null=True)

    class Meta:
        verbose_name = _("KBO-adres")
        verbose_name_plural = _("KBO-adressen")
        indexes = [models.Index(fields=["entity_number"], name="kbo_address_entity")]

    def __str__(self) -> str:
        return self.one_line()

    def one_line(self, language: str = "nl") -> str:
        french = language == "fr"
        street = (self.street_fr if french else self.street_nl) or self.street_nl or self.street_fr
        city = (self.municipality_fr if french else self.municipality_nl) or self.municipality_nl
        country = self.country_fr if french else self.country_nl
        number = self.house_number + (f" bus {self.box}" if self.box else "")
        line = f"{street} {number}".strip()
        place = f"{self.zipcode} {city}".strip()
        return ", ".join(part for part in (line, place, country) if part)


class KboContact(models.Model):
    """contact.csv: a phone number, e-mail address or website of an entity (free text, as given)."""

    id = models.BigAutoField(primary_key=True)
    entity_number = models.CharField(_("nummer"), max_length=NUMBER)
    entity_contact = models.CharField(_("soort entiteit"), max_length=3)  # ENT, EST, BRA
    contact_type = models.CharField(_("soort contact"), max_length=5)  # TEL, EMAIL, WEB, FAX
    value = models.TextField(_("waarde"))

    class Meta:
        verbose_name = _("KBO-contactgegeven")
        verbose_name_plural = _("KBO-contactgegevens")
        indexes = [models.Index(fields=["entity_number"], name="kbo_contact_entity")]

    def __str__(self) -> str:
        return f"{self.contact_type} {self.value}"


class KboActivity(models.Model):
    """activity.csv: a NACE code of an entity, per activity group (VAT, RSZ, …), NACE version
    (2003, 2008, 2025) and classification (MAIN, SECO, ANCI). The largest table (36.6M rows).

    Its index on entity_number is made per database in migration 0003: on PostgreSQL a BRIN index
    (the KBO writes the file in entity order, so a block range holds a few entities; building it
    takes a third of a btree's time), a btree elsewhere. On PostgreSQL `id` stays empty and is no
    primary key (0003): activities are only read by entity number."""

    id = models.BigAutoField(primary_key=True)
    entity_number = models.CharField(_("nummer"), max_length=NUMBER)
    activity_group = models.CharField(_("activiteitsgroep"), max_length=3)
    nace_version = models.CharField(_("NACE-versie"), max_length=4)
    nace_code = models.CharField(_("NACE-code"), max_length=8)
    classification = models.CharField(_("classificatie"), max_length=4)

    class Meta:
        verbose_name = _("KBO-activiteit")
        verbose_name_plural = _("KBO-activiteiten")

    def __str__(self) -> str:
        return f"{self.nace_version} {self.nace_code} {self.classification}"


# --- imports --------------------------------------------------------------------------------------


class KboImportKind(models.TextChoices):
    FULL = "full", _("volledig")
    UPDATE = "update", _("update")


class KboImportState(models.TextChoices):
    RUNNING = "running", _("bezig")
    FAILED = "failed", _("mislukt")
    DONE = "done", _("voltooid")
    ABANDONED = "abandoned", _("vervangen")


class KboImport(models.Model):
    """One import of a KBO ZIP, full or update; resumed where it stopped when run again."""

    file_name = models.CharField(_("bestand"), max_length=255)
    file_size = models.BigIntegerField(_("grootte (bytes)"))
    kind = models.CharField(_("soort"), max_length=8, choices=KboImportKind.choices)
    extract_number = models.PositiveIntegerField(_("extractnummer"))
    snapshot_date = models.DateField(_("datum van de gegevens"))
    extract_timestamp = models.DateTimeField(_("extract gemaakt op"))
    state = models.CharField(
        _("toestand"), max_length=10, choices=KboImportState.choices, default=KboImportState.RUNNING
    )
    phase = models.CharField(_("fase"), max_length=40, blank=True)
    started_at = models.DateTimeField(_("begonnen op"), auto_now_add=True)
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gestart door"),
    )
    runs = models.PositiveIntegerField(_("aantal keer gestart"), default=1)
    error = models.TextField(_("fout"), blank=True)
    error_file = models.CharField(_("bestand met de fout"), max_length=100, blank=True)
    error_line = models.PositiveBigIntegerField(_("regel met de fout"), null=True, blank=True)
    seconds = models.FloatField(_("duur (s)"), default=0)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("KBO-import")
        verbose_name_plural = _("KBO-imports")
        indexes = [models.Index(fields=["state", "kind"], name="kbo_import_state")]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_state_display()})"


class KboImportFile(models.Model):
    """How far one file of an import got: lines read (after the header) and the byte offset in the
    uncompressed file, committed together with the rows they produced. Size and CRC-32 tell whether
    a run of the same extract brings the same file."""

    kbo_import = models.ForeignKey(KboImport, on_delete=models.CASCADE, related_name="files")
    file_name = models.CharField(_("bestand"), max_length=100)
    size = models.BigIntegerField(_("grootte (bytes)"), default=0)
    crc = models.BigIntegerField(_("CRC-32"), default=0)  # from the ZIP: a corrected file is done again
    lines_done = models.BigIntegerField(_("regels verwerkt"), default=0)
    offset = models.BigIntegerField(_("positie (bytes)"), default=0)
    done = models.BooleanField(_("klaar"), default=False)
    seconds = models.FloatField(_("duur (s)"), default=0)

    class Meta:
        ordering = ["id"]
        verbose_name = _("KBO-importbestand")
        verbose_name_plural = _("KBO-importbestanden")
        constraints = [
            models.UniqueConstraint(fields=["kbo_import", "file_name"], name="kbo_import_file_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.file_name}: {self.lines_done}"
