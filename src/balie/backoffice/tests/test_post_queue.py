"""The post queues: my department's open incoming post by deadline (overdue marked), mine, filters,
outgoing post, keyset paging, taking an item; confidential post of another department is not in
it, and outsiders get nothing."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from balie.backoffice.views import post_items
from balie.correspondence.actions import change_status, register_incoming, register_outgoing
from balie.correspondence.models import PostItem, PostStatus

# Each test keeps its files under a MEDIA_ROOT of its own (autouse).
from balie.correspondence.tests.conftest import media_root  # noqa: F401

from .conftest import client_for, html

DEPARTMENT = reverse("backoffice:post_queue", args=["dienst"])
MINE = reverse("backoffice:post_queue", args=["mijn"])


def _numbers(page: str) -> list[str]:
    return re.findall(r'<td class="nowrap"><a href="/post/[0-9a-f-]+">((?:IN|OUT)-\d{4}-\d{6})</a>', page)


def _deadline(item, days_from_today):
    PostItem.objects.filter(pk=item.pk).update(
        deadline=timezone.localdate() + dt.timedelta(days=days_from_today)
    )


@pytest.fixture
def queue(post_room, omgeving, burgerzaken, handler, sender):
    """Omgeving's open post: one late (Hans's), one due soon, one on time; one answered; and a
    letter for Burgerzaken."""
    late = register_incoming(
        by=post_room, channel="paper", department=omgeving, subject="Te laat", party=sender, handler=handler
    )
    soon = register_incoming(
        by=post_room, channel="email", department=omgeving, subject="Bijna", party=sender
    )
    later = register_incoming(
        by=post_room, channel="paper", department=omgeving, subject="Later", party=sender
    )
    done = register_incoming(
        by=post_room, channel="paper", department=omgeving, subject="Klaar", party=sender
    )
    change_status(item=done, status=PostStatus.FILED, by=post_room, reason="Ter info")
    other = register_incoming(
        by=post_room, channel="paper", department=burgerzaken, subject="Elders", party=sender
    )
    _deadline(late, -2)
    _deadline(soon, 1)
    _deadline(later, 20)
    return {"late": late, "soon": soon, "later": later, "done": done, "other": other}


@pytest.mark.django_db
def test_the_department_queue_lists_open_incoming_post_by_deadline_with_overdue_marked(queue, handler):
    page = html(client_for(handler).get(DEPARTMENT))

    assert _numbers(page) == [queue["late"].number, queue["soon"].number, queue["later"].number]
    assert page.count("deadline--overdue") == 1 and "te laat" in page
    assert f'action="/post/{queue["soon"].uuid}/nemen"' in page  # nobody has it: take it


@pytest.mark.django_db
def test_my_post_is_what_i_handle(queue, handler):
    page = html(client_for(handler).get(MINE))

    assert _numbers(page) == [queue["late"].number]


@pytest.mark.django_db
def test_filters_narrow_the_queue(queue, handler):
    client = client_for(handler)

    assert _numbers(html(client.get(DEPARTMENT, {"termijn": "te-laat"}))) == [queue["late"].number]
    assert _numbers(html(client.get(DEPARTMENT, {"kanaal": "email"}))) == [queue["soon"].number]
    assert _numbers(html(client.get(DEPARTMENT, {"zonder_behandelaar": "on"}))) == [
        queue["soon"].number,
        queue["later"].number,
    ]
    assert queue["done"].number in _numbers(html(client.get(DEPARTMENT, {"afgehandeld": "on"})))


@pytest.mark.django_db
def test_outgoing_post_is_listed_newest_first(handler, sender):
    first = register_outgoing(by=handler, channel="paper", subject="Eerste", party=sender)
    second = register_outgoing(by=handler, channel="email", subject="Tweede", party=sender)

    page = html(client_for(handler).get(DEPARTMENT, {"richting": "uit"}))

    assert _numbers(page) == [second.number, first.number]


@pytest.mark.django_db
def test_the_queue_pages_by_keyset_without_counting(post_room, omgeving, handler, sender, monkeypatch):
    monkeypatch.setattr(post_items, "QUEUE_PAGE", 2)
    items = [
        register_incoming(
            by=post_room, channel="paper", department=omgeving, subject=f"Brief {i}", party=sender
        )
        for i in range(5)
    ]
    client = client_for(handler)

    seen: list[str] = []
    url = DEPARTMENT
    with CaptureQueriesContext(connection) as queries:
        while url:
            page = html(client.get(url))
            seen += _numbers(page)
            found = re.search(r'<a href="(\?[^"]*na=[^"]*)">Volgende</a>', page)
            url = DEPARTMENT + found.group(1).replace("&amp;", "&") if found else ""
    assert seen == [item.number for item in items]  # same deadline: by id
    assert not any("COUNT(" in query["sql"].upper() for query in queries.captured_queries)


@pytest.mark.django_db
def test_a_confidential_letter_of_another_department_is_not_in_its_queue(
    post_room, omgeving, sender, outsider
):
    secret = register_incoming(
        by=post_room, channel="paper", department=omgeving, subject="Geheim", party=sender, confidential=True
    )
    open_item = register_incoming(
        by=post_room, channel="paper", department=omgeving, subject="Open", party=sender
    )
    lead = client_for(post_room)  # the post room may look at any department's queue

    page = html(lead.get(DEPARTMENT, {"dienst": str(omgeving.uuid)}))

    assert _numbers(page) == [open_item.number]
    assert secret.number not in page


@pytest.mark.django_db
def test_taking_an_item_from_the_queue(queue, colleague):
    response = client_for(colleague).post(reverse("backoffice:post_take", args=[queue["soon"].uuid]))

    assert response.status_code == 302
    item = PostItem.objects.get(pk=queue["soon"].pk)
    assert (item.handler, item.status) == (colleague, PostStatus.ASSIGNED)


@pytest.mark.django_db
def test_outsiders_get_no_queue(queue, citizen):
    client = client_for(citizen)

    assert client.get(DEPARTMENT).status_code == 404
    assert client.get(MINE).status_code == 404
    assert client.post(reverse("backoffice:post_take", args=[queue["soon"].uuid])).status_code == 404
    assert PostItem.objects.get(pk=queue["soon"].pk).handler_id is None
