"""What `balie.core.oauth` sends to a token endpoint and how it reads answers no well-behaved demo
gives: a real HTTP server on loopback answers each request with the next answer it was handed and
keeps what it got. (The protocol itself, caching and refusals: mailboxes'
`test_client_credentials_tokens.py`, against the demo identity platform.)"""

from __future__ import annotations

import base64
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from balie.core.loopback import LoopbackServer
from balie.core.oauth import ClientCredentials, TokenCache, TokenError


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with self.server.lock:
            self.server.requests.append((dict(self.headers), body))
            status, content_type, answer = self.server.answers.pop(0)
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.lock = threading.Lock()
        self.answers: list[tuple[int, str, bytes]] = []
        self.requests: list[tuple[dict[str, str], bytes]] = []


class Endpoint(LoopbackServer):
    _server: _Server

    def __init__(self) -> None:
        super().__init__(_Server(), name="test-token-endpoint")

    def answer(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        self._server.answers.append((status, content_type, body))

    @property
    def requests(self) -> list[tuple[dict[str, str], bytes]]:
        return list(self._server.requests)

    def credentials(self) -> ClientCredentials:
        return ClientCredentials(
            token_url=f"{self.url}/token",
            client_id="app",
            client_secret="geheim & zo",
            scope="https://example.test/.default",
        )


@pytest.fixture
def endpoint() -> Iterator[Endpoint]:
    with Endpoint() as running:
        yield running


def test_the_request_is_a_form_encoded_client_credentials_grant(endpoint):
    endpoint.answer(200, b'{"access_token": "t-1", "expires_in": "3599", "token_type": "Bearer"}')

    token = TokenCache(user_agent="Balie-Test/1.0").token(endpoint.credentials(), timeout=5)

    assert token == "t-1"  # expires_in as a string, as older endpoints send it, is read too
    [(headers, body)] = endpoint.requests
    assert headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert headers["User-Agent"] == "Balie-Test/1.0"
    assert urllib.parse.parse_qs(body.decode()) == {
        "grant_type": ["client_credentials"],
        "client_id": ["app"],
        "client_secret": ["geheim & zo"],
        "scope": ["https://example.test/.default"],
    }


def test_with_basic_auth_the_client_id_and_secret_go_form_urlencoded_in_the_authorization_header(
    endpoint,
):
    endpoint.answer(200, b'{"access_token": "t-1", "expires_in": 3599}')
    credentials = ClientCredentials(
        token_url=f"{endpoint.url}/token",
        client_id="app:één",
        client_secret="geheim & zo/+",
        scope="",
        basic_auth=True,
    )

    assert TokenCache().token(credentials, timeout=5) == "t-1"

    [(headers, body)] = endpoint.requests
    scheme, encoded = headers["Authorization"].split(" ")
    user, password = base64.b64decode(encoded).decode().split(":")
    assert scheme == "Basic"
    assert (urllib.parse.unquote_plus(user), urllib.parse.unquote_plus(password)) == (
        "app:één",
        "geheim & zo/+",
    )
    # Neither the secret nor an empty scope is in the body.
    assert urllib.parse.parse_qs(body.decode(), keep_blank_values=True) == {
        "grant_type": ["client_credentials"]
    }


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (b'{"token_type": "Bearer", "expires_in": 3599}', "without an access token"),
        (b'{"access_token": "", "expires_in": 3599}', "without an access token"),
        (b'{"access_token": 42}', "without an access token"),
        (b"[1, 2]", "without an access token"),
        (b"niet-json", "without an access token"),
        (b'{"access_token": "t", "expires_in": "morgen"}', "with an invalid expires_in"),
        (b'{"access_token": "t", "expires_in": -5}', "with an invalid expires_in"),
        (b'{"access_token": "t", "expires_in": true}', "with an invalid expires_in"),
    ],
)
def test_a_200_without_a_usable_token_is_an_error_and_nothing_is_kept(endpoint, answer, message):
    endpoint.answer(200, answer)
    endpoint.answer(200, b'{"access_token": "goed", "expires_in": 3599}')
    cache = TokenCache()

    with pytest.raises(TokenError) as invalid:
        cache.token(endpoint.credentials(), timeout=5)

    assert invalid.value.status == 200 and message in str(invalid.value)
    assert cache.token(endpoint.credentials(), timeout=5) == "goed"


def test_a_refusal_carries_the_error_description(endpoint):
    endpoint.answer(
        401,
        b'{"error": "invalid_client", "error_description": "AADSTS7000215: Invalid client secret provided."}',
    )

    with pytest.raises(TokenError) as refused:
        TokenCache().token(endpoint.credentials(), timeout=5)

    assert str(refused.value) == "token endpoint answered 401 invalid_client"
    assert refused.value.reason == "invalid_client: AADSTS7000215: Invalid client secret provided."
    assert "geheim" not in str(refused.value) + refused.value.reason


def test_an_answer_that_is_not_json_is_quoted_in_the_description(endpoint):
    endpoint.answer(502, b"<html><body>Bad Gateway</body></html>" + b"x" * 500, "text/html")

    with pytest.raises(TokenError) as refused:
        TokenCache().token(endpoint.credentials(), timeout=5)

    assert str(refused.value) == "token endpoint answered 502"
    assert refused.value.code == ""
    assert refused.value.description.startswith("<html><body>Bad Gateway")
    assert len(refused.value.description) == 200
