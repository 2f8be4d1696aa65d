import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from balie.contact_moments.actions import register_contact_moment
from balie.contact_moments.queries import list_contact_moments_for

pytestmark = pytest.mark.django_db


def test_keyset_pages_return_every_contact_exactly_once(front_desk, jan):
    now = timezone.now()
    same_time = now - dt.timedelta(hours=1)
    created = [
        register_contact_moment(
            by=front_desk,
            channel="phone",
            party=jan,
            summary=f"Vraag {i}",
            registered_at=same_time if i % 3 == 0 else now - dt.timedelta(minutes=i),
        )
        for i in range(23)
    ]
    seen = []
    before = None
    while True:
        page = list_contact_moments_for(front_desk, party=jan, before=before, limit=5)
        if not page:
            break
        seen += page
        before = (page[-1].registered_at, page[-1].pk)
    assert sorted(m.pk for m in seen) == sorted(m.pk for m in created)
    assert len(seen) == 23
    assert [m.registered_at for m in seen] == sorted((m.registered_at for m in seen), reverse=True)


def test_it_filters_by_channel_and_period(front_desk, jan):
    register_contact_moment(by=front_desk, channel="phone", party=jan, summary="a")
    mail = register_contact_moment(by=front_desk, channel="email", party=jan, summary="b")
    assert list_contact_moments_for(front_desk, channel="email") == [mail]
    assert list_contact_moments_for(front_desk, since=timezone.now() + dt.timedelta(minutes=1)) == []


def test_listing_takes_a_fixed_number_of_queries(front_desk, jan, django_assert_num_queries):
    for i in range(10):
        register_contact_moment(by=front_desk, channel="phone", party=jan, summary=f"v{i}")
    with django_assert_num_queries(1):
        page = list_contact_moments_for(front_desk, limit=50)
        assert {(m.party.display_name, m.employee.username, m.department.name) for m in page} == {
            (
                "Peeters Jan",
                "onthaal",
                "Burgerzaken",
            )
        }


def test_a_later_page_starts_the_index_at_its_position(front_desk, jan):
    """The keyset condition alone is an OR the database can only filter with: a page deep in the
    past would walk every newer row. The plain bound on registered_at lets the index start there."""
    at = timezone.now() - dt.timedelta(days=400)
    with CaptureQueriesContext(connection) as queries:
        list_contact_moments_for(front_desk, before=(at, 10), limit=5)
    sql = queries.captured_queries[-1]["sql"]
    assert '"registered_at" <= ' in sql
