"""A demo eBox on loopback: the document sender's REST protocol (see ebox.py) over real HTTP.

- `POST /oauth2/token`: the OAuth2 client-credentials grant (client id and secret in HTTP Basic or
  in the form); answers a bearer token that lives `token_lifetime` seconds.
- `POST /ebox/messages`: checks the token, the multipart body (a `messageToPublish` JSON part and
  exactly the file parts its `attachments` name, one main content, a file name and type on each,
  PDF only for a citizen), the recipient's INSZ or enterprise number and the sender's enterprise
  number (their check digits, as the parties app checks them), a subject in nl, fr or de, the
  sender application and message type. Keeps the message and answers `201 {"id": …}`; a second
  message with the same `Idempotency-Key` from the same sender and application answers `409`.
  A refusal is `400` with an `application/problem+json` body saying what is wrong.
- `GET /demo/messages` (JSON), `GET /demo/messages/<id>/files/<n>` and `GET /` (a page for
  people): what the eBox holds, so that the demo and the tests can look. Not part of the protocol.

`balie demo` starts one for its processes; tests start one per session (`DemoEbox(port=0)`) and
can make it slow (`delay`), answer an error (`fail_status`) or lose its answer after keeping the
message (`lose_answers`), as a network time-out would.

    python -m balie.correspondence.adapters.demo_ebox --port 8093
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import datetime as dt
import email.parser
import email.policy
import html
import json
import os
import secrets
import sys
import threading
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from balie.core.loopback import LoopbackServer

DEMO_CLIENT_ID = "balie-demo"
DEMO_CLIENT_SECRET = "demo-ebox-geheim"  # noqa: S105 - the demo's own, printed in .env.example
MAX_BODY = 60 * 1024 * 1024
LANGUAGES = ("nl", "fr", "de")


@dataclass(frozen=True)
class DemoFile:
    part: str
    filename: str
    content_type: str
    data: bytes
    main: bool
    signed: bool


@dataclass(frozen=True)
class DemoMessage:
    id: str
    received_at: dt.datetime
    idempotency_key: str
    recipient: dict[str, str]
    sender: dict[str, str]
    subject: dict[str, str]
    sender_application_id: str
    message_type_id: str
    reply_authorized: bool
    files: list[DemoFile] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "receivedAt": self.received_at.isoformat(),
            "idempotencyKey": self.idempotency_key,
            "recipient": self.recipient,
            "sender": self.sender,
            "subject": self.subject,
            "senderApplicationId": self.sender_application_id,
            "messageTypeId": self.message_type_id,
            "isReplyAuthorized": self.reply_authorized,
            "attachments": [
                {
                    "httpPartName": f.part,
                    "filename": f.filename,
                    "contentType": f.content_type,
                    "size": len(f.data),
                    "isMainContent": f.main,
                    "isAttachmentSigned": f.signed,
                }
                for f in self.files
            ],
        }


class Refused(Exception):
    def __init__(self, status: int, detail: str, title: str = "Bad Request") -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.title = title


def _valid_insz(value: str) -> bool:
    from django.core.exceptions import ValidationError

    from balie.parties.identifiers import clean_insz

    try:
        return clean_insz(value) == value
    except ValidationError:
        return False


def _valid_enterprise_number(value: str) -> bool:
    from django.core.exceptions import ValidationError

    from balie.parties.identifiers import clean_enterprise_number

    try:
        return len(value) == 10 and clean_enterprise_number(value) == value
    except ValidationError:
        return False


def _check_party(party: Any, role: str) -> dict[str, str]:
    if not isinstance(party, dict):
        raise Refused(400, f"'{role}' is missing or not an object.")
    kind = party.get("eboxType")
    if kind == "citizen":
        ssin = party.get("ssin")
        if not isinstance(ssin, str) or not ssin:
            raise Refused(400, f"'{role}.ssin' is missing.")
        if not _valid_insz(ssin):
            raise Refused(400, f"'{role}.ssin' is not a valid SSIN (11 digits, check digits).")
        return {"eboxType": "citizen", "ssin": ssin}
    if kind == "enterprise":
        number = party.get("enterpriseNumber")
        if not isinstance(number, str) or not number:
            raise Refused(400, f"'{role}.enterpriseNumber' is missing.")
        if not _valid_enterprise_number(number):
            raise Refused(
                400, f"'{role}.enterpriseNumber' is not a valid enterprise number (10 digits, mod 97)."
            )
        return {"eboxType": "enterprise", "enterpriseNumber": number}
    raise Refused(400, f"'{role}.eboxType' must be 'citizen' or 'enterprise'.")


def _parts(content_type: str, body: bytes) -> list[email.message.Message]:
    if not content_type.lower().startswith("multipart/form-data") or "boundary=" not in content_type:
        raise Refused(415, "The body must be multipart/form-data with a boundary.", "Unsupported Media Type")
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    if not message.is_multipart():
        raise Refused(400, "The multipart body could not be read.")
    return list(message.iter_parts())


def _payload(part: email.message.Message) -> bytes:
    data = part.get_payload(decode=True)
    return data if isinstance(data, bytes) else b""


def parse_publication(content_type: str, body: bytes) -> tuple[dict[str, Any], list[DemoFile]]:
    """Check a publication request as the eBox does; returns the message and its files."""
    parts: dict[str, email.message.Message] = {}
    for part in _parts(content_type, body):
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str) or not name:
            raise Refused(400, "Every part needs a name in its Content-Disposition.")
        if name in parts:
            raise Refused(400, f"The part '{name}' appears twice.")
        parts[name] = part
    meta_part = parts.pop("messageToPublish", None)
    if meta_part is None:
        raise Refused(400, "The part 'messageToPublish' is missing.")
    try:
        meta = json.loads(_payload(meta_part))
    except ValueError:
        raise Refused(400, "'messageToPublish' is not JSON.") from None
    if not isinstance(meta, dict):
        raise Refused(400, "'messageToPublish' must be a JSON object.")
    recipient = _check_party(meta.get("recipient"), "recipient")
    sender = _check_party(meta.get("sender"), "sender")
    if sender["eboxType"] != "enterprise":
        raise Refused(400, "The sender must be an enterprise.")
    subject = meta.get("subject")
    if (
        not isinstance(subject, dict)
        or not subject
        or any(
            lang not in LANGUAGES or not isinstance(text, str) or not text.strip()
            for lang, text in subject.items()
        )
    ):
        raise Refused(400, "'subject' needs a non-empty text in nl, fr or de (and no other language).")
    if any(len(text) > 250 for text in subject.values()):
        raise Refused(400, "A subject is at most 250 characters.")
    for key in ("senderApplicationId", "messageTypeId"):
        if not isinstance(meta.get(key), str) or not meta[key].strip():
            raise Refused(400, f"'{key}' is missing.")
    attachments = meta.get("attachments")
    if not isinstance(attachments, list) or not attachments:
        raise Refused(400, "'attachments' must name at least one document.")
    files: list[DemoFile] = []
    for attachment in attachments:
        if not isinstance(attachment, dict) or not isinstance(attachment.get("httpPartName"), str):
            raise Refused(400, "Every attachment needs an 'httpPartName'.")
        name = attachment["httpPartName"]
        file_part = parts.pop(name) if name in parts else None
        if file_part is None:
            raise Refused(400, f"The attachment '{name}' has no part of that name.")
        filename = file_part.get_filename()
        if not filename:
            raise Refused(400, f"The part '{name}' needs a filename.")
        data = _payload(file_part)
        if not data:
            raise Refused(400, f"The part '{name}' is empty.")
        content_type = file_part.get_content_type()
        if recipient["eboxType"] == "citizen" and (
            content_type != "application/pdf" or not data.startswith(b"%PDF-")
        ):
            raise Refused(400, f"The part '{name}' is not a PDF; a citizen's eBox shows PDF documents only.")
        files.append(
            DemoFile(
                part=name,
                filename=urllib.parse.unquote(filename),
                content_type=content_type,
                data=data,
                main=attachment.get("isMainContent") is True,
                signed=attachment.get("isAttachmentSigned") is True,
            )
        )
    if parts:
        raise Refused(400, f"The parts {sorted(parts)} are not named in 'attachments'.")
    if sum(1 for f in files if f.main) != 1:
        raise Refused(400, "Exactly one attachment is the main content.")
    meta["recipient"], meta["sender"] = recipient, sender
    return meta, files


def _idempotency_key(raw: str | None) -> str:
    """The header's RFC 8941 string (quoted), or a bare token as some clients send it."""
    if raw is None:
        return ""
    value = raw.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]
    if not value or len(value) > 255 or any(c in value for c in '"\\') or not value.isprintable():
        raise Refused(400, "The Idempotency-Key header is not a valid string.")
    return value


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet: the demo runs beside Balie's own output

    # --- answers ----------------------------------------------------------------------------------

    def _send(
        self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, data: Any, headers: dict[str, str] | None = None) -> None:
        self._send(status, json.dumps(data, ensure_ascii=False).encode(), "application/json", headers)

    def _problem(self, status: int, title: str, detail: str, headers: dict[str, str] | None = None) -> None:
        body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
        self._send(status, json.dumps(body).encode(), "application/problem+json", headers)

    def _body(self) -> bytes:
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            raise Refused(411, "Content-Length is required.", "Length Required") from None
        if length > MAX_BODY:
            raise Refused(413, "The message is too large.", "Payload Too Large")
        return self.rfile.read(length)

    # --- POST -------------------------------------------------------------------------------------

    def do_POST(self) -> None:
        path = urllib.parse.urlsplit(self.path).path.rstrip("/")
        try:
            body = self._body()
            if path == "/oauth2/token":
                self._token(body)
            elif path == "/ebox/messages":
                self._publish(body)
            else:
                self._problem(404, "Not Found", "Unknown resource.")
        except Refused as refused:
            self._problem(refused.status, refused.title, refused.detail)

    def _token(self, body: bytes) -> None:
        form = {k: v[-1] for k, v in urllib.parse.parse_qs(body.decode("latin-1")).items()}
        client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
        auth = self.headers.get("Authorization", "")
        if auth.lower().startswith("basic "):
            try:
                pair = base64.b64decode(auth[6:].strip(), validate=True).decode()
                client_id, _, secret = pair.partition(":")
                client_id, secret = urllib.parse.unquote(client_id), urllib.parse.unquote(secret)
            except (ValueError, UnicodeDecodeError):
                client_id = secret = ""
        if form.get("grant_type") != "client_credentials":
            self._json(400, {"error": "unsupported_grant_type"})
            return
        if (client_id, secret) != (self.server.client_id, self.server.client_secret):
            self._json(401, {"error": "invalid_client"}, {"WWW-Authenticate": 'Basic realm="demo-ebox"'})
            return
        token = secrets.token_urlsafe(24)
        with self.server.lock:
            self.server.tokens[token] = time.monotonic() + self.server.token_lifetime
            self.server.tokens_issued += 1
        self._json(
            200,
            {
                "access_token": token,
                "token_type": "Bearer",
                "expires_in": int(self.server.token_lifetime),
                "scope": form.get("scope", ""),
            },
        )

    def _authorised(self) -> bool:
        auth = self.headers.get("Authorization", "")
        if not auth.lower().startswith("bearer "):
            return False
        with self.server.lock:
            expiry = self.server.tokens.get(auth[7:].strip())
        return expiry is not None and expiry > time.monotonic()

    def _publish(self, body: bytes) -> None:
        server = self.server
        if server.delay:
            time.sleep(server.delay)
        if not self._authorised():
            self._problem(
                401,
                "Unauthorized",
                "A valid bearer token is needed.",
                {"WWW-Authenticate": 'Bearer error="invalid_token"'},
            )
            return
        if server.fail_status:
            self._problem(server.fail_status, "Error", "Demo: a failure on purpose.")
            return
        key = _idempotency_key(self.headers.get("Idempotency-Key"))
        meta, files = parse_publication(self.headers.get("Content-Type", ""), body)
        scope = (meta["sender"]["enterpriseNumber"], meta["senderApplicationId"], key)
        with server.lock:
            if key and scope in server.keys:
                self._problem(409, "Conflict", "A message with this Idempotency-Key was published before.")
                return
            message = DemoMessage(
                id=str(uuid.uuid4()),
                received_at=dt.datetime.now(dt.UTC),
                idempotency_key=key,
                recipient=meta["recipient"],
                sender=meta["sender"],
                subject=dict(meta["subject"]),
                sender_application_id=meta["senderApplicationId"],
                message_type_id=meta["messageTypeId"],
                reply_authorized=meta.get("isReplyAuthorized") is True,
                files=files,
            )
            server.messages.append(message)
            if key:
                server.keys[scope] = message.id
            lose = server.lose_answers > 0
            if lose:
                server.lose_answers -= 1
        if lose:  # kept, but the answer never arrives: the client sees a broken connection
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(2)
            return
        self._json(201, {"id": message.id}, {"Location": f"/ebox/messages/{message.id}"})

    # --- GET (for people and tests; not part of the protocol) -------------------------------------

    def do_GET(self) -> None:
        path = urllib.parse.urlsplit(self.path).path.rstrip("/")
        messages = self.server.snapshot()
        if path == "/demo/messages":
            self._json(200, [m.summary() for m in messages])
        elif path.startswith("/demo/messages/"):
            self._file(path, messages)
        elif path == "":
            self._page(messages)
        else:
            self._problem(404, "Not Found", "Unknown resource.")

    def _file(self, path: str, messages: list[DemoMessage]) -> None:
        pieces = path.split("/")  # ["", "demo", "messages", id, "files", n]
        found = next((m for m in messages if len(pieces) == 6 and m.id == pieces[3]), None)
        try:
            file = found.files[int(pieces[5]) - 1] if found else None
        except (ValueError, IndexError):
            file = None
        if file is None:
            self._problem(404, "Not Found", "Unknown message or file.")
            return
        disposition = f"attachment; filename*=UTF-8''{urllib.parse.quote(file.filename)}"
        self._send(200, file.data, file.content_type, {"Content-Disposition": disposition})

    def _page(self, messages: list[DemoMessage]) -> None:
        from django.utils import timezone

        kinds = {"citizen": "burger", "enterprise": "onderneming"}
        rows = []
        for m in reversed(messages):
            who = m.recipient.get("ssin") or m.recipient.get("enterpriseNumber", "")
            subject = next(iter(m.subject.values()), "")
            links = " ".join(
                f'<a href="/demo/messages/{m.id}/files/{n}">{html.escape(f.filename)}</a>'
                for n, f in enumerate(m.files, start=1)
            )
            rows.append(
                f"<tr><td>{timezone.localtime(m.received_at):%d/%m/%Y %H:%M:%S}</td>"
                f"<td>{kinds.get(m.recipient['eboxType'], '')} "
                f"{html.escape(who)}</td><td>{html.escape(subject)}</td><td>{links}</td></tr>"
            )
        page = (
            '<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Demo-eBox</title>'
            "<style>body{font-family:sans-serif;margin:2rem}td,th{padding:.3rem .6rem;text-align:left}"
            "</style></head><body><h1>Demo-eBox</h1><p>De berichten die Balie in deze demo-eBox publiceerde."
            "</p><table><thead><tr><th>Ontvangen</th><th>Ontvanger</th><th>Onderwerp</th><th>Documenten</th>"
            f"</tr></thead><tbody>{''.join(rows) or '<tr><td colspan=4>Nog geen berichten.</td></tr>'}"
            "</tbody></table></body></html>"
        )
        self._send(200, page.encode(), "text/html; charset=utf-8")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], client_id: str, client_secret: str) -> None:
        super().__init__(address, _Handler)
        self.client_id = client_id
        self.client_secret = client_secret
        self.lock = threading.Lock()
        self.tokens: dict[str, float] = {}
        self.tokens_issued = 0
        self.token_lifetime = 3600.0
        self.messages: list[DemoMessage] = []
        self.keys: dict[tuple[str, str, str], str] = {}
        self.delay = 0.0
        self.fail_status: int | None = None
        self.lose_answers = 0

    def snapshot(self) -> list[DemoMessage]:
        with self.lock:
            return list(self.messages)

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # a client that gave up waiting
        super().handle_error(request, client_address)


class DemoEbox(LoopbackServer):
    """The demo eBox, serving on `host` (port 0: any free port) in a background thread."""

    _server: _Server

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        client_id: str = DEMO_CLIENT_ID,
        client_secret: str = DEMO_CLIENT_SECRET,
    ) -> None:
        super().__init__(_Server((host, port), client_id, client_secret), name="demo-ebox")

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def messages(self) -> list[DemoMessage]:
        return self._server.snapshot()

    @property
    def tokens_issued(self) -> int:
        return self._server.tokens_issued

    def configure(
        self,
        *,
        delay: float = 0.0,
        fail_status: int | None = None,
        lose_answers: int = 0,
        token_lifetime: float = 3600.0,
    ) -> None:
        server = self._server
        with server.lock:
            server.delay, server.fail_status, server.lose_answers = delay, fail_status, lose_answers
            server.token_lifetime = token_lifetime

    def revoke_tokens(self) -> None:
        with self._server.lock:
            self._server.tokens.clear()

    def clear(self) -> None:
        """Forget every message, key and token (between tests)."""
        with self._server.lock:
            self._server.messages.clear()
            self._server.keys.clear()
            self._server.tokens.clear()
            self._server.tokens_issued = 0
        self.configure()

    def serve_forever(self) -> None:
        """Serve in this thread (`main`), instead of `start()`."""
        self._server.serve_forever()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Demo eBox (document sender REST API) on loopback")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8093)
    options = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "balie.conf.settings")
    import django

    django.setup()  # the identifiers are checked as the parties app checks them
    ebox = DemoEbox(host=options.host, port=options.port)
    print(f"Demo-eBox op {ebox.url} (client {DEMO_CLIENT_ID})", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        ebox.serve_forever()


if __name__ == "__main__":
    main()
