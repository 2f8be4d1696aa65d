"""The shared client-credentials token cache (`balie.core.oauth`) against the demo identity platform
and the demo Graph on loopback, which check the grant, the client, the secret and the scope as the
Microsoft identity platform does: a token is asked once and kept, asked again shortly before it
expires or when asked fresh, asked once by threads that need it at the same moment, and a refusal
or an endpoint that is gone is a `TokenError` that says why without the secret."""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest

from balie.core.oauth import ClientCredentials, TokenCache, TokenError
from balie.mailboxes.adapters.demo_graph import DemoGraph
from balie.mailboxes.adapters.demo_oauth import SCOPE, DemoTokenService

MAILBOX = "info@zonnedaal.be"


@pytest.fixture
def service() -> Iterator[DemoTokenService]:
    with DemoTokenService(mailbox=MAILBOX) as running:
        yield running


def _credentials(service: DemoTokenService, **changes: str) -> ClientCredentials:
    values = {
        "token_url": service.token_url,
        "client_id": service.client_id,
        "client_secret": service.client_secret,
        "scope": SCOPE,
        **changes,
    }
    return ClientCredentials(**values)


def _active(service: DemoTokenService, token: str) -> bool:
    """What the service's token introspection (as Dovecot asks it) says of the token."""
    request = urllib.request.Request(  # noqa: S310 - the demo on loopback
        service.introspection_url, data=urllib.parse.urlencode({"token": token}).encode(), method="POST"
    )
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
        return bool(json.loads(response.read())["active"])


def test_a_token_is_asked_once_and_kept(service):
    cache = TokenCache()

    first = cache.token(_credentials(service), timeout=5)
    second = cache.token(_credentials(service), timeout=5)

    assert first == second
    assert _active(service, first)
    assert service.token_requests == 1


def test_a_token_is_asked_again_shortly_before_it_expires():
    with DemoTokenService(mailbox=MAILBOX, lifetime=2) as service:
        cache = TokenCache()  # a token of 2 s, less than twice the minute's margin: kept 1 s
        first = cache.token(_credentials(service), timeout=5)
        assert cache.token(_credentials(service), timeout=5) == first

        time.sleep(1.2)
        later = cache.token(_credentials(service), timeout=5)

        assert later != first
        assert service.token_requests == 2


def test_fresh_asks_a_new_token_and_forget_drops_only_the_one_named(service):
    cache = TokenCache()
    credentials = _credentials(service)
    other_client = _credentials(service, client_id="een-andere-app")
    first = cache.token(credentials, timeout=5)

    renewed = cache.token(credentials, timeout=5, fresh=True)
    assert renewed != first
    assert cache.token(credentials, timeout=5) == renewed
    assert service.token_requests == 2

    # Another app registration has its own token (this one the service refuses: not its client).
    with pytest.raises(TokenError):
        cache.token(other_client, timeout=5)
    cache.forget(other_client)
    assert cache.token(credentials, timeout=5) == renewed

    cache.forget(credentials)
    assert cache.token(credentials, timeout=5) not in (first, renewed)
    assert service.token_requests == 4


def test_threads_that_need_a_token_at_once_ask_one(service):
    cache = TokenCache()
    start = threading.Barrier(8)
    tokens: list[str] = []

    def ask() -> None:
        start.wait()
        tokens.append(cache.token(_credentials(service), timeout=5))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(tokens) == 8 and len(set(tokens)) == 1
    assert service.token_requests == 1


@pytest.mark.parametrize(
    ("changes", "status", "code"),
    [
        ({"client_secret": "niet-het-geheim"}, 401, "invalid_client"),
        ({"scope": "https://graph.microsoft.com/.default"}, 400, "invalid_scope"),
    ],
)
def test_a_refusal_says_its_status_and_error_but_not_the_secret(service, changes, status, code):
    cache = TokenCache()

    with pytest.raises(TokenError) as refused:
        cache.token(_credentials(service, **changes), timeout=5)

    assert (refused.value.status, refused.value.code) == (status, code)
    assert str(refused.value) == f"token endpoint answered {status} {code}"
    assert "niet-het-geheim" not in str(refused.value) and service.client_secret not in str(refused.value)


def test_a_refusal_is_not_kept(service):
    cache = TokenCache()
    service.fail_next(503)

    with pytest.raises(TokenError) as unavailable:
        cache.token(_credentials(service), timeout=5)

    assert (unavailable.value.status, unavailable.value.code) == (503, "temporarily_unavailable")
    assert cache.token(_credentials(service), timeout=5)
    assert service.token_requests == 2


def test_graphs_error_object_is_read_too():
    with DemoGraph() as graph:
        credentials = ClientCredentials(
            token_url=graph.token_url,
            client_id="balie-demo",
            client_secret="demo-graph-geheim",
            scope="https://graph.microsoft.com/.default",
        )
        cache = TokenCache()
        graph.fail_next(503)

        with pytest.raises(TokenError) as unavailable:
            cache.token(credentials, timeout=5)
        assert unavailable.value.status == 503
        assert unavailable.value.reason == "ServiceUnavailable: demo fault"

        assert cache.token(credentials, timeout=5)


def test_an_endpoint_that_is_gone_is_unreachable():
    service = DemoTokenService(mailbox=MAILBOX)
    credentials = _credentials(service)
    service.stop()  # never started: the port is closed

    with pytest.raises(TokenError) as unreachable:
        TokenCache().token(credentials, timeout=2)

    assert unreachable.value.status is None
    assert str(unreachable.value).startswith("token endpoint unreachable: ")
    assert unreachable.value.description
