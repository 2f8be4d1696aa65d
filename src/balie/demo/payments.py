"""Demo payments: the counter's register with yesterday's closed and signed-off day, a few orders
(open with an OGM, paid by transfer, paid at the register, cancelled) and a bank statement with a
line for an employee to link."""

from __future__ import annotations

import random
from decimal import Decimal

from balie.accounts.models import User
from balie.parties.models import Party
from balie.payments.actions import cancel_order, create_order
from balie.payments.bank import import_statement
from balie.payments.models import CashRegister, Order
from balie.payments.ogm import format_ogm
from balie.payments.register import (
    close_session,
    open_session,
    sell_counter_fees,
    settle_at_register,
    sign_off_session,
)


def _hall(party: Party, hall: str, amount: str, *, by: User) -> Order:
    return create_order(
        party=party,
        lines=[
            {
                "description": f"Zaalhuur {hall}",
                "quantity": Decimal(1),
                "unit_amount": Decimal(amount),
                "vat_rate": Decimal(21),
            },
            {
                "description": "Waarborg",
                "quantity": Decimal(1),
                "unit_amount": Decimal("50.00"),
                "kind": "deposit",
            },
        ],
        reference=f"counter:demo-{hall.lower().replace(' ', '-')}-{party.pk}",
        by=by,
    )


def build_payments(rng: random.Random, employees: dict[str, User], customers: list[Party]) -> int:
    cashier, lead = employees["kassa"], employees["teamlead"]
    register = CashRegister.objects.create(name="Kassa onthaal", location="Gemeentehuis, balie 1")
    CashRegister.objects.create(name="Kassa recyclagepark", location="Recyclagepark Zonnedaal")
    people = rng.sample(customers, 6)

    open_orders = [
        _hall(people[0], "De Linde", "121.00", by=cashier),
        _hall(people[1], "Zaal Ter Beke", "60.50", by=cashier),
    ]
    by_transfer = _hall(people[2], "De Linde", "242.00", by=cashier)
    at_register = _hall(people[3], "Polyvalente zaal", "90.75", by=cashier)
    cancelled = _hall(people[4], "Zaal Ter Beke", "60.50", by=cashier)
    cancel_order(order=cancelled, by=cashier, reason="Activiteit afgelast")

    # yesterday's register day, closed with a small difference and signed off by the team lead
    session = open_session(register=register, opening_float="150,00", by=cashier)
    settle_at_register(session=session, order=at_register, method="cash", tendered="200", by=cashier)
    sell_counter_fees(
        session=session, items={"uittreksel-bevolking": 2}, method="cash", tendered="10", by=cashier
    )
    sell_counter_fees(session=session, items={"restafvalcontainer-120": 1}, method="card", by=cashier)
    close_session(
        session=session,
        by=cashier,
        per_denomination={"100": "1", "50": "3", "20": "4", "0.50": "1", "0.20": "1"},
        note="20 cent te weinig",
    )
    sign_off_session(session=session, by=lead)

    ogm = format_ogm(by_transfer.ogm)
    csv = (
        "Datum;Bedrag;Naam tegenpartij;Rekening tegenpartij;Mededeling\n"
        f"27/11/2026;292,00;{people[2].display_name};BE62510007547061;{ogm}\n"
        f"27/11/2026;171,00;{people[0].display_name};BE71096123456769;zaal de linde\n"
        "27/11/2026;-12,40;Bank;;beheerskosten\n"
    )
    import_statement(filename="uittreksel-2026-118.csv", data=csv.encode(), by=cashier)
    return len(open_orders) + 3
