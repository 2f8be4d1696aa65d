"""Fixtures of the payments tests: a cashier and a second person to sign off, a register, a
customer, an open order, and the demo provider of this process."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest

from balie.accounts.actions import create_employee
from balie.accounts.models import Department, Role, User
from balie.parties.actions import register_party
from balie.parties.models import Party
from balie.payments.actions import create_order
from balie.payments.adapters.demo_provider import DemoProvider, ensure_demo_provider
from balie.payments.models import CashRegister, Order


@pytest.fixture(autouse=True)
def _plain_http(settings) -> None:
    """The test client speaks plain http; pages link CSS without collectstatic's manifest."""
    settings.SECURE_SSL_REDIRECT = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def cashier(burgerzaken: Department) -> User:
    return create_employee(
        username="kassa",
        first_name="Els",
        last_name="Goossens",
        email="els@zonnedaal.be",
        password="Balie-demo-2026",
        department=burgerzaken,
        roles=[Role.CASHIER],
        by=None,
    )


@pytest.fixture
def second_cashier(burgerzaken: Department) -> User:
    return create_employee(
        username="kassa2",
        first_name="Karel",
        last_name="Kas",
        email="karel@zonnedaal.be",
        password="Balie-demo-2026",
        department=burgerzaken,
        roles=[Role.CASHIER],
        by=None,
    )


@pytest.fixture
def register(db) -> CashRegister:
    return CashRegister.objects.create(name="Onthaal kassa 1", location="Gemeentehuis")


@pytest.fixture
def customer(db) -> Party:
    party, _created = register_party(kind="person", given_name="Lotte", family_name="Peeters", by=None)
    return party


@pytest.fixture
def order(customer: Party, cashier: User) -> Order:
    return create_order(
        party=customer,
        lines=[
            {
                "description": "Zaal De Linde, avond",
                "quantity": Decimal(1),
                "unit_amount": Decimal("121.00"),
                "vat_rate": Decimal(21),
            },
            {
                "description": "Waarborg",
                "quantity": Decimal(1),
                "unit_amount": Decimal("50.00"),
                "vat_rate": Decimal(0),
                "kind": "deposit",
            },
        ],
        reference="booking:5b7e3f0e-1111-4222-8333-444455556666",
        by=cashier,
    )


@pytest.fixture
def provider(settings) -> Iterator[DemoProvider]:
    demo = ensure_demo_provider()
    demo.payments.clear()
    demo.sent_webhooks.clear()
    settings.BALIE_PAYMENT_WEBHOOK_BASE_URL = (
        "http://127.0.0.1:9"  # nobody: tests post the webhook themselves
    )
    yield demo
