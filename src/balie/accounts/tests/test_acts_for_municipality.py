"""Who acts for the municipality: employees and the system accounts of API applications."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from balie.accounts.models import AccountKind, Department, User
from balie.accounts.permissions import (
    acts_for_municipality,
    can_merge_parties,
    can_register_contact,
    is_department_system_account,
    is_employee,
)


def _system_account(department: Department | None, *, active: bool = True) -> User:
    user = User(username="api-website", kind=AccountKind.SYSTEM, department=department, is_active=active)
    user.set_unusable_password()
    user.save()
    return user


def test_it_lets_a_system_account_of_a_department_act_for_the_municipality(burgerzaken: Department) -> None:
    # given
    account = _system_account(burgerzaken)
    # then
    assert is_department_system_account(account) is True
    assert acts_for_municipality(account) is True
    assert can_register_contact(account) is True


def test_it_keeps_a_system_account_out_of_employee_only_rights(burgerzaken: Department) -> None:
    # given
    account = _system_account(burgerzaken)
    # then
    assert is_employee(account) is False
    assert can_merge_parties(account) is False


def test_it_refuses_a_deactivated_system_account(burgerzaken: Department) -> None:
    # given
    account = _system_account(burgerzaken, active=False)
    # then
    assert acts_for_municipality(account) is False


def test_it_refuses_a_system_account_without_a_department(db: None) -> None:
    # given
    account = _system_account(None)
    # then
    assert acts_for_municipality(account) is False


def test_it_lets_an_employee_act_for_the_municipality(front_desk: User) -> None:
    assert acts_for_municipality(front_desk) is True


def test_it_refuses_a_citizen_and_an_anonymous_visitor(citizen: User) -> None:
    assert acts_for_municipality(citizen) is False
    assert acts_for_municipality(AnonymousUser()) is False
