import threading

import pytest
from django.db import connection, transaction

from balie.core.models import Counter
from balie.core.numbering import format_register_number, next_number, next_register_number


@pytest.mark.django_db
def test_it_numbers_each_register_and_year_from_one():
    with transaction.atomic():
        assert next_number(register="IN", year=2026) == 1
        assert next_number(register="IN", year=2026) == 2
        assert next_number(register="OUT", year=2026) == 1
        assert next_number(register="IN", year=2027) == 1


@pytest.mark.django_db
def test_a_rolled_back_registration_gives_its_number_back():
    with transaction.atomic():
        assert next_number(register="IN", year=2026) == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        assert next_number(register="IN", year=2026) == 2
        raise RuntimeError("registration failed")
    with transaction.atomic():
        assert next_number(register="IN", year=2026) == 2


@pytest.mark.django_db(transaction=True)
def test_it_refuses_to_number_outside_a_transaction():
    with pytest.raises(RuntimeError):
        next_number(register="IN", year=2026)
    assert Counter.objects.count() == 0


def test_it_formats_register_numbers():
    assert format_register_number(prefix="IN", year=2026, number=123) == "IN-2026-000123"


@pytest.mark.django_db
def test_it_formats_with_this_year():
    with transaction.atomic():
        number = next_register_number(prefix="C")
    assert number.startswith("C-20") and number.endswith("-000001")


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_get_distinct_gap_free_numbers():
    """Eight threads, each with its own connection, take 25 numbers each."""
    taken: list[int] = []
    lock = threading.Lock()
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(25):
                with transaction.atomic():
                    number = next_number(register="RACE", year=2026)
                with lock:
                    taken.append(number)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(taken) == list(range(1, 201))
