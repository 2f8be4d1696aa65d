"""The invoice PDF carries an EPC QR code that a bank app reads: an independent decoder (zxing-cpp)
on the page as rendered by poppler gets the payee, the amount and the OGM back."""

from __future__ import annotations

import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from balie.payments.models import Order
from balie.payments.ogm import format_ogm
from balie.payments.pdfs import invoice_pdf

pytestmark = pytest.mark.django_db


def _decode_first_page(pdf: bytes, tmp_path: Path) -> list[str]:
    source = tmp_path / "factuur.pdf"
    source.write_bytes(pdf)
    subprocess.run(  # noqa: S603
        ["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", str(source), str(tmp_path / "page")],  # noqa: S607
        check=True,
    )
    page = next(tmp_path.glob("page*.png"))
    return [
        result.text
        for result in zxingcpp.read_barcodes(Image.open(page))
        if result.format == zxingcpp.BarcodeFormat.QRCode
    ]


def test_the_epc_code_on_the_invoice_gives_the_amount_and_the_ogm_back(order: Order, tmp_path: Path) -> None:
    texts = _decode_first_page(invoice_pdf(order), tmp_path)

    assert len(texts) == 1
    lines = texts[0].split("\n")
    assert lines[:4] == ["BCD", "002", "1", "SCT"]
    assert lines[4:7] == ["GKCCBEBB", "Gemeente Zonnedaal", "BE71096123456769"]
    assert lines[7] == "EUR171.00"
    assert lines[10] == format_ogm(order.ogm)


def test_the_code_asks_only_what_is_still_open(order: Order, tmp_path: Path, cashier, register) -> None:
    from balie.payments.actions import record_payment

    record_payment(order=order, amount=Decimal("21.00"), method="cash", by=cashier)
    texts = _decode_first_page(invoice_pdf(order), tmp_path)
    assert texts[0].split("\n")[7] == "EUR150.00"


def test_a_paid_invoice_has_no_code(order: Order, tmp_path: Path, cashier) -> None:
    from balie.payments.actions import record_payment

    record_payment(order=order, amount=Decimal("171.00"), method="card", by=cashier)
    assert _decode_first_page(invoice_pdf(order), tmp_path) == []
