"""PAdES signatures with pyHanko: checking a PDF and a certificate, signing with a visible
signature block, and validating what a PDF's signatures say.

Signatures are PAdES baseline B-B (B-T when a timestamp server is configured,
BALIE_SIGNING_TSA_URL), added as incremental updates: the signer's revision is appended to the
file, so every earlier signature keeps covering exactly the bytes it signed and stays valid.

Every failure is a ValidationError with a Dutch message that says what is wrong; nothing here
touches the database or storage.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from pyhanko.pdf_utils import layout
from pyhanko.pdf_utils.font.basic import SimpleFontEngineFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError as PyHankoSigningError
from pyhanko.sign.timestamps import TimeStamper
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator import ValidationContext

logger = logging.getLogger("balie.signing")

PDF_TYPE = "application/pdf"
FIELD_PREFIX = "Handtekening"
# The signature blocks Balie places itself: at the foot of the last page, two per row, from the
# bottom up (points; A4 is 595 × 842).
BLOCK_WIDTH = 235
BLOCK_HEIGHT = 78
BLOCK_MARGIN_X = 50
BLOCK_MARGIN_Y = 36
BLOCK_GAP = 20
BLOCK_FONT = SimpleFontEngineFactory("Helvetica", 0.5)


# --- the PDF -------------------------------------------------------------------------------------


def read_pdf(data: bytes) -> PdfFileReader:
    """A reader for a PDF that can be signed: readable, not encrypted, with at least one page."""
    if not data.startswith(b"%PDF-"):
        raise ValidationError(_("Dit bestand is geen PDF: alleen een PDF kan ondertekend worden."))
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        if reader.encrypted:
            raise ValidationError(
                _(
                    "Deze PDF is versleuteld of met een wachtwoord beveiligd en kan niet ondertekend "
                    "worden. Bewaar een versie zonder beveiliging."
                )
            )
        pages = int(reader.root["/Pages"]["/Count"])
    except ValidationError:
        raise
    except Exception:  # noqa: BLE001 - a broken file fails anywhere inside the parser
        raise ValidationError(
            _("Deze PDF is beschadigd of onleesbaar en kan niet ondertekend worden.")
        ) from None
    if pages < 1:
        raise ValidationError(_("Deze PDF heeft geen pagina's en kan niet ondertekend worden."))
    return reader


# --- the certificate -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Credentials:
    """A key and certificate to sign with (from a PKCS#12), with the certificates of its chain."""

    signer: signers.SimpleSigner
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]
    label: str  # what the certificate is, for messages ("het certificaat van de gemeente")

    @property
    def subject_name(self) -> str:
        names = self.certificate.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
        return str(names[0].value) if names else self.certificate.subject.rfc4514_string()


def _date(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y")


def check_certificate(certificate: x509.Certificate, *, label: str, at: dt.datetime | None = None) -> None:
    """Refuse a certificate that cannot sign now: expired, not yet valid, or not meant for
    signatures (its key usage allows neither digital signatures nor non-repudiation)."""
    at = at or timezone.now()
    if certificate.not_valid_after_utc < at:
        raise ValidationError(
            _("%(label)s is verlopen op %(date)s. Vraag een nieuw certificaat aan.")
            % {"label": label[:1].upper() + label[1:], "date": _date(certificate.not_valid_after_utc)}
        )
    if certificate.not_valid_before_utc > at:
        raise ValidationError(
            _("%(label)s is pas geldig vanaf %(date)s.")
            % {"label": label[:1].upper() + label[1:], "date": _date(certificate.not_valid_before_utc)}
        )
    try:
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return
    if not (usage.digital_signature or usage.content_commitment):
        raise ValidationError(
            _(
                "%(label)s mag niet gebruikt worden om te ondertekenen: het is niet uitgegeven voor "
                "digitale handtekeningen (sleutelgebruik)."
            )
            % {"label": label[:1].upper() + label[1:]}
        )


def load_pkcs12(data: bytes, password: str | bytes | None, *, label: str) -> Credentials:
    """Open a PKCS#12 (.p12/.pfx) and check its certificate. `label` names it in messages."""
    from cryptography.hazmat.primitives.serialization import pkcs12

    secret = password.encode() if isinstance(password, str) else password
    try:
        key, certificate, others = pkcs12.load_key_and_certificates(data, secret or None)
    except (ValueError, TypeError):
        raise ValidationError(
            _(
                "%(label)s kon niet geopend worden: het wachtwoord is fout of het bestand is geen "
                "geldig PKCS#12-bestand."
            )
            % {"label": label[:1].upper() + label[1:]}
        ) from None
    if key is None or certificate is None:
        raise ValidationError(
            _("%(label)s bevat geen sleutel met certificaat.") % {"label": label[:1].upper() + label[1:]}
        )
    check_certificate(certificate, label=label)
    try:
        signer = signers.SimpleSigner.load_pkcs12_data(data, other_certs=[], passphrase=secret or None)
    except ValueError:
        raise ValidationError(
            _("%(label)s kon niet geopend worden.") % {"label": label[:1].upper() + label[1:]}
        ) from None
    return Credentials(signer=signer, certificate=certificate, chain=tuple(others), label=label)


# --- signing ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignatureBlock:
    """What the visible block says: who signed, as what, for whom, when."""

    name: str
    function: str = ""
    on_behalf_of: str = ""  # "namens <name>" when a substitute signs
    signed_at: dt.datetime = field(default_factory=timezone.now)
    location: str = ""

    def lines(self) -> list[str]:
        lines = [_("Digitaal ondertekend door"), self.name]
        if self.function:
            lines.append(self.function)
        if self.on_behalf_of:
            lines.append(self.on_behalf_of)
        lines.append(timezone.localtime(self.signed_at).strftime("%d/%m/%Y %H:%M"))
        return [_printable(line) for line in lines]


def _printable(text: str) -> str:
    """The block is drawn in a standard PDF font (WinAnsi): letters outside it lose their accent
    rather than turning into garbage; '%' is escaped for the stamp's template."""
    result = []
    for char in text:
        try:
            char.encode("cp1252")
            result.append(char)
        except UnicodeEncodeError:
            plain = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
            result.append(plain or "?")
    return "".join(result).replace("%", "%%")


def _signature_fields(reader: PdfFileReader) -> tuple[list[str], list[str]]:
    """(filled, empty) signature field names."""
    filled = [name for name, _value, _ref in fields.enumerate_sig_fields(reader, filled_status=True)]
    empty = [name for name, _value, _ref in fields.enumerate_sig_fields(reader, filled_status=False)]
    return filled, empty


def _block_box(reader: PdfFileReader, slot: int) -> tuple[int, tuple[int, int, int, int]]:
    """(page index, box) for Balie's `slot`-th block on the last page."""
    last = int(reader.root["/Pages"]["/Count"]) - 1
    node: Any = reader.find_page_for_modification(last)[0].get_object()
    media_box = None
    for _depth in range(32):  # the box may be inherited from a parent /Pages node
        media_box = node.get("/MediaBox")
        if media_box is not None or "/Parent" not in node:
            break
        node = node["/Parent"].get_object()
    try:
        box = [float(v) for v in (media_box or [0, 0, 595, 842])]
    except (TypeError, ValueError):
        box = [0.0, 0.0, 595.0, 842.0]
    left, bottom, right = box[0], box[1], box[2]
    per_row = max(1, int((right - left - 2 * BLOCK_MARGIN_X + BLOCK_GAP) // (BLOCK_WIDTH + BLOCK_GAP)))
    column, row = slot % per_row, slot // per_row
    x = int(left + BLOCK_MARGIN_X + column * (BLOCK_WIDTH + BLOCK_GAP))
    y = int(bottom + BLOCK_MARGIN_Y + row * (BLOCK_HEIGHT + BLOCK_GAP))
    return last, (x, y, x + BLOCK_WIDTH, y + BLOCK_HEIGHT)


def timestamper() -> TimeStamper | None:
    """The timestamp server of BALIE_SIGNING_TSA_URL (PAdES B-T), or None (B-B)."""
    from django.conf import settings

    url = str(getattr(settings, "BALIE_SIGNING_TSA_URL", "") or "").strip()
    if not url:
        return None
    from pyhanko.sign.timestamps.aiohttp_client import HTTPTimeStamper

    return HTTPTimeStamper(url, timeout=float(getattr(settings, "BALIE_SIGNING_TSA_TIMEOUT", 10.0)))


def sign_pdf(
    data: bytes,
    *,
    credentials: Credentials,
    block: SignatureBlock,
    reason: str = "",
    time_stamper: TimeStamper | None = None,
) -> bytes:
    """`data` with one more PAdES signature, as an incremental update.

    The signature goes into the first empty signature field the PDF holds (a letter template may
    place one where the signature belongs); otherwise Balie places a block at the foot of the
    last page, next to or above the blocks of earlier signers."""
    reader = read_pdf(data)
    check_certificate(credentials.certificate, label=credentials.label)
    filled, empty = _signature_fields(reader)
    new_field: fields.SigFieldSpec | None = None
    if empty:
        field_name = empty[0]
    else:
        number = len(filled) + 1
        existing = set(filled)
        while f"{FIELD_PREFIX}{number}" in existing:
            number += 1
        field_name = f"{FIELD_PREFIX}{number}"
        page, box = _block_box(reader, len(filled))
        new_field = fields.SigFieldSpec(field_name, on_page=page, box=box)
    metadata = signers.PdfSignatureMetadata(
        field_name=field_name,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason or None,
        location=block.location or None,
        name=block.name,
    )
    style = TextStampStyle(
        stamp_text="\n".join(block.lines()),
        text_box_style=TextBoxStyle(font=BLOCK_FONT, font_size=9, leading=11),
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MIN,
            y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins(left=8, right=4, top=4, bottom=4),
        ),
        border_width=1,
        background=None,
    )
    pdf_signer = signers.PdfSigner(
        metadata,
        signer=credentials.signer,
        timestamper=time_stamper,
        stamp_style=style,
        new_field_spec=new_field,
    )
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
        output = pdf_signer.sign_pdf(writer, in_place=False)
    except (PdfError, PyHankoSigningError, ValueError, KeyError) as error:
        logger.warning("pdf signing failed", extra={"error": type(error).__name__})
        raise ValidationError(
            _("De PDF kon niet ondertekend worden (%(error)s).") % {"error": str(error)[:200]}
        ) from None
    except OSError as error:  # the timestamp server is down or slow
        logger.warning("timestamp server unreachable", extra={"error": str(error)[:200]})
        raise ValidationError(_("De tijdstempelserver antwoordt niet; probeer het later opnieuw.")) from None
    return bytes(output.getvalue())


# --- validating ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignatureReport:
    """What the validator says about one signature."""

    field_name: str
    signer: str
    signed_at: dt.datetime | None  # what the signer's computer claimed
    timestamp: dt.datetime | None  # from a timestamp server (B-T), if any
    intact: bool  # the signed bytes are unchanged
    valid: bool  # the cryptographic signature over them is correct
    trusted: bool  # the certificate chains up to a trusted root
    covers_whole_file: bool  # nothing was added after this signature
    changes_allowed: bool  # what was added after it is only more signatures / form filling
    summary: str

    @property
    def ok(self) -> bool:
        return self.intact and self.valid and self.changes_allowed

    def as_dict(self) -> dict[str, Any]:
        return {
            "field": self.field_name,
            "signer": self.signer,
            "signed_at": self.signed_at.isoformat() if self.signed_at else None,
            "timestamp": self.timestamp.isoformat() if self.timestamp else None,
            "intact": self.intact,
            "valid": self.valid,
            "trusted": self.trusted,
            "covers_whole_file": self.covers_whole_file,
            "changes_allowed": self.changes_allowed,
            "summary": self.summary,
        }


def _asn1(certificate: x509.Certificate) -> asn1_x509.Certificate:
    from cryptography.hazmat.primitives.serialization import Encoding

    return asn1_x509.Certificate.load(certificate.public_bytes(Encoding.DER))


def _summary(intact: bool, valid: bool, trusted: bool, changes_allowed: bool) -> str:
    if not intact or not valid:
        return str(
            _("Ongeldig: het document is gewijzigd na deze handtekening of de handtekening klopt niet.")
        )
    if not changes_allowed:
        return str(_("Ongeldig: na deze handtekening werd de inhoud van het document gewijzigd."))
    if trusted:
        return str(_("Geldig: de inhoud is ongewijzigd en het certificaat is vertrouwd."))
    return str(
        _("De inhoud is ongewijzigd; het certificaat is niet uitgegeven door een vertrouwde instantie.")
    )


def validate_pdf(
    data: bytes, *, trust_roots: Iterable[x509.Certificate] | None = None
) -> list[SignatureReport]:
    """Validate every signature in `data` with pyHanko's validator, in the order they were made.
    Trust is judged against `trust_roots` (default: BALIE_SIGNING_TRUST_ROOTS); with none, no
    certificate is trusted, and integrity is still checked in full."""
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    reader = read_pdf(data)
    roots = list(trust_roots) if trust_roots is not None else configured_trust_roots()
    reports: list[SignatureReport] = []
    for embedded in reader.embedded_signatures:
        context = ValidationContext(trust_roots=[_asn1(root) for root in roots], allow_fetching=False)
        # pyHanko logs the whole path-building failure for every untrusted certificate.
        validation_logger = logging.getLogger("pyhanko.sign.validation.generic_cms")
        previous = validation_logger.level
        validation_logger.setLevel(logging.CRITICAL)
        try:
            status = validate_pdf_signature(embedded, context)
        except Exception as error:  # noqa: BLE001 - a damaged signature is reported, not raised
            logger.info("signature validation failed", extra={"error": type(error).__name__})
            reports.append(
                SignatureReport(
                    field_name=str(embedded.field_name),
                    signer="",
                    signed_at=None,
                    timestamp=None,
                    intact=False,
                    valid=False,
                    trusted=False,
                    covers_whole_file=False,
                    changes_allowed=False,
                    summary=str(_("Ongeldig: deze handtekening kan niet gelezen worden.")),
                )
            )
            continue
        finally:
            validation_logger.setLevel(previous)
        certificate = status.signing_cert
        subject = certificate.subject.native if certificate is not None else {}
        signer_name = str(subject.get("common_name", "")) if isinstance(subject, dict) else ""
        changes_allowed = (
            status.modification_level
            in (
                ModificationLevel.NONE,
                ModificationLevel.LTA_UPDATES,
                ModificationLevel.FORM_FILLING,
            )
            and status.docmdp_ok is not False
        )
        timestamp = status.timestamp_validity.timestamp if status.timestamp_validity else None
        reports.append(
            SignatureReport(
                field_name=str(embedded.field_name),
                signer=signer_name,
                signed_at=status.signer_reported_dt,
                timestamp=timestamp,
                intact=bool(status.intact),
                valid=bool(status.valid),
                trusted=bool(status.trusted),
                covers_whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
                changes_allowed=changes_allowed,
                summary=_summary(
                    bool(status.intact), bool(status.valid), bool(status.trusted), changes_allowed
                ),
            )
        )
    return reports


def configured_trust_roots() -> list[x509.Certificate]:
    """The root certificates of BALIE_SIGNING_TRUST_ROOTS (PEM files, comma-separated)."""
    from django.conf import settings

    roots: list[x509.Certificate] = []
    for path in getattr(settings, "BALIE_SIGNING_TRUST_ROOTS", []) or []:
        path = str(path).strip()
        if not path:
            continue
        try:
            with open(path, "rb") as handle:
                roots.extend(x509.load_pem_x509_certificates(handle.read()))
        except (OSError, ValueError):
            logger.warning("trust roots unreadable", extra={"path": path})
    return roots


def pdf_signature_count(data: bytes) -> int:
    return len(read_pdf(data).embedded_signatures)


def describe(reports: Sequence[SignatureReport]) -> str:
    """One line for all signatures, for the history."""
    if not reports:
        return str(_("Geen handtekeningen gevonden."))
    good = sum(1 for report in reports if report.ok)
    return str(
        _("%(good)s van %(total)s handtekeningen ongewijzigd en geldig.")
        % {"good": good, "total": len(reports)}
    )
