"""Fixtures of the signing-platform tests: the demo platform of this process (on loopback, fresh
behaviour each test) and a procedure that signs on it."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest

from balie.accounts.models import User
from balie.documents.adapters.signing_platform_demo import DemoSigningPlatform, ensure_demo_platform
from balie.documents.models import SigningFunction, SigningMethod, SigningProcedure
from balie.documents.signing import procedures


@pytest.fixture
def platform(settings) -> Iterator[DemoSigningPlatform]:
    settings.BALIE_SIGNING_PLATFORM_URL = ""  # the demo of this process
    settings.BALIE_SIGNING_PLATFORM_TIMEOUT = 5.0
    # Nobody listens there: tests without `balie_server` call back through the test client.
    settings.BALIE_SIGNING_CALLBACK_URL = settings.BALIE_SIGNING_CALLBACK_URL or "http://127.0.0.1:9"
    demo = ensure_demo_platform()
    demo.behaviour.reset()
    yield demo
    demo.behaviour.reset()


@pytest.fixture
def platform_procedure(directeur_function: SigningFunction, burgemeester: User) -> SigningProcedure:
    procedure = procedures.create_procedure(
        name="Via het ondertekenplatform", method=SigningMethod.PLATFORM, by=None
    )
    procedures.add_signer(procedure=procedure, user=burgemeester, by=None)
    procedures.add_signer(procedure=procedure, function=directeur_function, by=None)
    return procedure


@pytest.fixture
def balie_server(settings, transactional_db) -> Iterator[str]:
    """Balie itself on a loopback port, for the platform's callback: Django's threaded WSGI server
    (what `runserver` uses), started after this test's settings (plain http, no https redirect).
    Each request thread closes its database connections when it ends."""
    import threading

    from django.core.handlers.wsgi import WSGIHandler
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler

    settings.SECURE_SSL_REDIRECT = False
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    server = ThreadedWSGIServer(("127.0.0.1", 0), WSGIRequestHandler, allow_reuse_address=False)
    server.set_app(WSGIHandler())
    thread = threading.Thread(target=server.serve_forever, name="balie-test-server", daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    settings.BALIE_SIGNING_CALLBACK_URL = url
    yield url
    server.shutdown()
    server.server_close()


def wait_for(condition: Callable[[], bool], *, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the demo platform did not get there in time")
        time.sleep(0.05)
