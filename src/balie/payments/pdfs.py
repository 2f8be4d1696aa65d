"""The invoice (with the EPC QR code and the OGM for a transfer) and the receipt, as PDF
(reportlab): made from the ledger each time they are asked for, so they always agree with it."""

from __future__ import annotations

import io
from decimal import Decimal

import qrcode
import qrcode.constants
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas
from stdnum import bic as stdnum_bic
from stdnum import iban as stdnum_iban

from .models import Order, Receipt
from .money import format_euro
from .ogm import format_ogm


def payee() -> tuple[str, str, str]:
    """The municipality's name, IBAN (compact) and BIC, checked."""
    iban = stdnum_iban.compact(settings.BALIE_PAYEE_IBAN)
    if not stdnum_iban.is_valid(iban):
        raise ImproperlyConfigured("BALIE_PAYEE_IBAN is not a valid IBAN")
    bic = stdnum_bic.compact(settings.BALIE_PAYEE_BIC) if settings.BALIE_PAYEE_BIC else ""
    if bic and not stdnum_bic.is_valid(bic):
        raise ImproperlyConfigured("BALIE_PAYEE_BIC is not a valid BIC")
    return settings.BALIE_PAYEE_NAME[:70], iban, bic


def epc_payload(*, amount: Decimal, ogm: str) -> str:
    """The EPC069-12 "SEPA credit transfer" QR text (version 002, UTF-8). Belgian banking apps read
    the OGM from the remittance text, so it goes there in its +++…+++ form."""
    name, iban, bic = payee()
    lines = ["BCD", "002", "1", "SCT", bic, name, iban, f"EUR{amount:.2f}", "", "", format_ogm(ogm)]
    return "\n".join(lines)


def epc_qr_png(payload: str) -> bytes:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=10, border=4)
    code.add_data(payload.encode())
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image().save(buffer, format="PNG")
    return buffer.getvalue()


def _header(pdf: canvas.Canvas, title: str) -> float:
    width, height = A4
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawString(20 * mm, height - 25 * mm, settings.BALIE_MUNICIPALITY_NAME)
    pdf.setFont("Helvetica", 9)
    y = height - 31 * mm
    for line in str(settings.BALIE_MUNICIPALITY_ADDRESS).split("|"):
        pdf.drawString(20 * mm, y, line)
        y -= 4.5 * mm
    pdf.setFont("Helvetica-Bold", 14)
    pdf.drawRightString(width - 20 * mm, height - 25 * mm, title)
    return y - 8 * mm


def invoice_pdf(order: Order) -> bytes:
    """The invoice: lines with VAT, what was paid, what is still open, and how to pay it by
    transfer (IBAN, OGM, EPC QR code)."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(_("Factuur %(number)s") % {"number": order.number})
    width, _height = A4
    y = _header(pdf, _("Factuur %(number)s") % {"number": order.number})
    pdf.setFont("Helvetica", 10)
    pdf.drawString(
        20 * mm, y, _("Datum: %(date)s") % {"date": timezone.localtime(order.created_at).strftime("%d/%m/%Y")}
    )
    if order.due_on:
        pdf.drawString(
            80 * mm, y, _("Te betalen tegen: %(date)s") % {"date": order.due_on.strftime("%d/%m/%Y")}
        )
    y -= 6 * mm
    if order.party:
        pdf.drawString(20 * mm, y, _("Klant: %(name)s") % {"name": order.party.display_name})
        y -= 10 * mm
    pdf.setFont("Helvetica-Bold", 9)
    for x, text, right in (
        (20, _("Omschrijving"), False),
        (125, _("Aantal"), True),
        (145, _("Prijs"), True),
        (160, _("Btw"), True),
        (190, _("Bedrag"), True),
    ):
        (pdf.drawRightString if right else pdf.drawString)(x * mm, y, text)
    y -= 5 * mm
    pdf.setFont("Helvetica", 9)
    vat_total = Decimal(0)
    for line in order.lines.all():
        pdf.drawString(20 * mm, y, line.description[:60])
        pdf.drawRightString(125 * mm, y, f"{line.quantity:g}".replace(".", ","))
        pdf.drawRightString(145 * mm, y, format_euro(line.unit_amount))
        pdf.drawRightString(160 * mm, y, f"{line.vat_rate:g}%")
        pdf.drawRightString(190 * mm, y, format_euro(line.amount))
        vat_total += line.vat_amount
        y -= 5 * mm
    balance = order.balance()
    y -= 3 * mm
    for label, value in (
        (_("Totaal (incl. btw)"), order.total),
        (_("waarvan btw"), vat_total),
        (_("Betaald"), order.paid_total()),
        (_("Nog te betalen"), max(balance, Decimal(0))),
    ):
        pdf.drawRightString(160 * mm, y, label)
        pdf.drawRightString(190 * mm, y, format_euro(value))
        y -= 5 * mm
    if balance > 0:
        name, iban, bic = payee()
        y -= 8 * mm
        pdf.setFont("Helvetica-Bold", 11)
        pdf.drawString(20 * mm, y, _("Betalen met een overschrijving"))
        pdf.setFont("Helvetica", 10)
        details = [
            _("Begunstigde: %(name)s") % {"name": name},
            _("Rekening: %(iban)s") % {"iban": stdnum_iban.format(iban)},
            *([_("BIC: %(bic)s") % {"bic": bic}] if bic else []),
            _("Bedrag: %(amount)s") % {"amount": format_euro(balance)},
            _("Gestructureerde mededeling: %(ogm)s") % {"ogm": format_ogm(order.ogm)},
            _("Scan de QR-code met uw bankapp."),
        ]
        text_y = y - 7 * mm
        for text in details:
            pdf.drawString(20 * mm, text_y, text)
            text_y -= 5.5 * mm
        image = ImageReader(io.BytesIO(epc_qr_png(epc_payload(amount=balance, ogm=order.ogm))))
        pdf.drawImage(image, width - 70 * mm, y - 48 * mm, 50 * mm, 50 * mm)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def receipt_lines(receipt: Receipt) -> list[str]:
    """The receipt as lines of text: for the PDF and for the e-mail."""
    order = receipt.order
    lines = [
        settings.BALIE_MUNICIPALITY_NAME,
        _("Kasticket %(number)s") % {"number": receipt.number},
        timezone.localtime(receipt.created_at).strftime("%d/%m/%Y %H:%M"),
        "",
    ]
    for line in order.lines.all():
        lines.append(f"{line.quantity:g} × {line.description[:40]}  {format_euro(line.amount)}")
    lines += [
        "",
        _("Totaal: %(amount)s") % {"amount": format_euro(receipt.amount)},
        _("Betaald: %(method)s") % {"method": receipt.get_method_display()},
    ]
    if receipt.tendered is not None:
        lines.append(_("Ontvangen: %(amount)s") % {"amount": format_euro(receipt.tendered)})
        lines.append(_("Terug: %(amount)s") % {"amount": format_euro(receipt.change or Decimal(0))})
    lines += [
        _("Bestelling %(number)s") % {"number": order.number},
        _("Kassier: %(name)s") % {"name": receipt.issued_by.get_full_name()},
    ]
    return lines


def receipt_pdf(receipt: Receipt) -> bytes:
    buffer = io.BytesIO()
    size = (80 * mm, 150 * mm)  # a till roll
    pdf = canvas.Canvas(buffer, pagesize=size)
    pdf.setTitle(_("Kasticket %(number)s") % {"number": receipt.number})
    y = size[1] - 10 * mm
    for index, text in enumerate(receipt_lines(receipt)):
        pdf.setFont("Helvetica-Bold" if index < 2 else "Helvetica", 9)
        pdf.drawString(5 * mm, y, text)
        y -= 4.5 * mm
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
