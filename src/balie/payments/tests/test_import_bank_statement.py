"""Bank statements: a CODA file (or CSV) pays the orders its OGMs name; what does not match is
listed for an employee, who links it by hand or sets it aside. The same file twice is refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from balie.payments.actions import create_order
from balie.payments.bank import ignore_bank_line, import_statement, link_bank_line
from balie.payments.coda import parse_coda
from balie.payments.models import BankLine, BankLineState, BankStatement, EntryKind, Order, OrderState
from balie.payments.ogm import make_ogm

pytestmark = pytest.mark.django_db


def record(*fields: tuple[int, str]) -> str:
    """A 128-character CODA record from (1-based start position, text) pairs, as Febelfin numbers them."""
    line = [" "] * 128
    for start, text in fields:
        line[start - 1 : start - 1 + len(text)] = list(text)
    return "".join(line)


def movement(
    sequence: int, amount_cents: int, *, ogm: str = "", text: str = "", name: str = "", account: str = ""
) -> list[str]:
    sign = "1" if amount_cents < 0 else "0"
    amount = f"{abs(amount_cents) * 10:015d}"  # three decimals
    communication = ("1", "101" + ogm) if ogm else ("0", text[:53])
    return [
        record(
            (1, "21"),
            (3, f"{sequence:04d}"),
            (7, "0000"),
            (11, "REF" + f"{sequence:018d}"),
            (32, sign),
            (33, amount),
            (48, "281126"),
            (54, "00150000"),
            (62, communication[0]),
            (63, communication[1]),
            (116, "281126"),
            (122, "001"),
            (125, "0"),
            (126, "1"),
            (128, "0"),
        ),
        record(
            (1, "22"),
            (3, f"{sequence:04d}"),
            (7, "0000"),
            (11, "" if ogm else text[53:106]),
            (99, "GEBABEBB"),
            (126, "1"),
            (128, "0"),
        ),
        record(
            (1, "23"), (3, f"{sequence:04d}"), (7, "0000"), (11, account), (48, name), (126, "0"), (128, "0")
        ),
    ]


def coda_file(*movements: list[str]) -> bytes:
    lines = [
        record(
            (1, "0"),
            (6, "281126"),
            (12, "725"),
            (17, "05"),
            (35, "GEMEENTE ZONNEDAAL"),
            (61, "GKCCBEBB"),
            (128, "2"),
        ),
        record(
            (1, "1"),
            (2, "2"),
            (3, "001"),
            (5, "BE71096123456769"),
            (38, "EUR"),
            (43, "0"),
            (44, "000000001000000"),
            (59, "271126"),
            (65, "GEMEENTE ZONNEDAAL"),
            (126, "001"),
        ),
    ]
    for block in movements:
        lines += block
    lines += [
        record(
            (1, "8"), (2, "001"), (5, "BE71096123456769"), (42, "0"), (43, "000000001000000"), (58, "281126")
        ),
        record(
            (1, "9"),
            (17, f"{len(lines) - 2:06d}"),
            (23, "000000000000000"),
            (38, "000000000000000"),
            (128, "2"),
        ),
    ]
    return ("\r\n".join(lines) + "\r\n").encode("latin-1")


@pytest.fixture
def treasurer(cashier):
    return cashier


def test_the_coda_reader_finds_amounts_ogms_and_counterparties() -> None:
    data = coda_file(
        movement(1, 17100, ogm="123456789002", name="PEETERS LOTTE", account="BE62510007547061"),
        movement(2, -2500, text="Terugbetaling"),
    )
    statement = parse_coda(data)
    assert statement.account == "BE71096123456769" and statement.date == dt.date(2026, 11, 28)
    first, second = statement.movements
    assert (first.amount, first.ogm, first.counterparty_name, first.counterparty_account) == (
        Decimal("171.00"),
        "123456789002",
        "PEETERS LOTTE",
        "BE62510007547061",
    )
    assert (second.amount, second.ogm, second.communication) == (Decimal("-25.00"), "", "Terugbetaling")


def test_a_coda_import_pays_the_order_its_ogm_names(order: Order, treasurer) -> None:
    other = create_order(
        party=None,
        lines=[{"description": "Zaal", "unit_amount": Decimal("40.00")}],
        reference="counter:x",
        by=None,
    )
    data = coda_file(
        movement(1, 17100, ogm=order.ogm, name="PEETERS LOTTE", account="BE62510007547061"),
        movement(
            2,
            4000,
            text="zaal +++" + other.ogm[:3] + "/" + other.ogm[3:7] + "/" + other.ogm[7:] + "+++",
            name="X",
        ),
        movement(3, 1234, text="lidgeld 2027", name="JANSSENS"),
        movement(4, 999, ogm=make_ogm(99_999_999), name="ONBEKEND"),
        movement(5, -2500, text="bankkosten"),
    )

    result = import_statement(filename="uittreksel.cod", data=data, by=treasurer)

    assert (result.matched, result.unmatched, result.ignored) == (2, 2, 1)
    order.refresh_from_db()
    other.refresh_from_db()
    assert (order.state, order.balance(), other.state) == (OrderState.PAID, Decimal("0.00"), OrderState.PAID)
    payment = order.entries.get(kind=EntryKind.PAYMENT)
    assert (payment.method, payment.bank_line.position) == ("transfer", 1)
    unmatched = BankLine.objects.filter(state=BankLineState.UNMATCHED).order_by("position")
    assert [(line.position, line.note) for line in unmatched] == [
        (3, "Geen gestructureerde mededeling."),
        (4, "Onbekende gestructureerde mededeling."),
    ]


def test_the_same_statement_twice_is_refused_and_pays_nothing_twice(order: Order, treasurer) -> None:
    data = coda_file(movement(1, 17100, ogm=order.ogm, name="PEETERS LOTTE"))
    import_statement(filename="a.cod", data=data, by=treasurer)
    with pytest.raises(ValidationError, match="al ingelezen"):
        import_statement(filename="b.cod", data=data, by=treasurer)
    assert BankStatement.objects.count() == 1
    assert order.entries.filter(kind=EntryKind.PAYMENT).count() == 1


def test_a_payment_for_a_paid_order_is_left_for_an_employee(order: Order, treasurer) -> None:
    import_statement(filename="a.cod", data=coda_file(movement(1, 17100, ogm=order.ogm)), by=treasurer)
    result = import_statement(
        filename="b.cod", data=coda_file(movement(1, 17100, ogm=order.ogm, name="NOGMAALS")), by=treasurer
    )
    assert (result.matched, result.unmatched) == (0, 1)
    assert (
        BankLine.objects.get(state=BankLineState.UNMATCHED).note == f"Bestelling {order.number} is betaald."
    )


def test_an_employee_links_an_unmatched_line_or_sets_it_aside(order: Order, treasurer) -> None:
    import_statement(
        filename="a.cod",
        data=coda_file(movement(1, 17100, text="zaal De Linde Peeters"), movement(2, 500, text="gift")),
        by=treasurer,
    )
    first, second = BankLine.objects.order_by("position")
    link_bank_line(line=first, order=order, by=treasurer)
    ignore_bank_line(line=second, by=treasurer, reason="Gift, geen bestelling")
    order.refresh_from_db()
    assert order.state == OrderState.PAID
    assert list(BankLine.objects.order_by("position").values_list("state", flat=True)) == [
        "matched",
        "ignored",
    ]


def test_a_csv_export_matches_by_ogm_too(order: Order, treasurer) -> None:
    ogm = f"+++{order.ogm[:3]}/{order.ogm[3:7]}/{order.ogm[7:]}+++"
    data = (
        "Datum;Bedrag;Naam tegenpartij;Rekening tegenpartij;Mededeling\n"
        f"28/11/2026;171,00;Peeters Lotte;BE62 5100 0754 7061;{ogm}\n"
    ).encode()
    result = import_statement(filename="export.csv", data=data, by=treasurer)
    assert (result.matched, result.unmatched) == (1, 0)


def test_a_broken_file_is_refused_and_nothing_is_recorded(treasurer) -> None:
    with pytest.raises(ValidationError, match=r"geen bedrag|geen datum|Datum"):
        import_statement(filename="x.csv", data=b"a;b\n1;2\n", by=treasurer)
    assert BankStatement.objects.count() == 0 and BankLine.objects.count() == 0
