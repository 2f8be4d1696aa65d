"""The demo's mail server: a real SMTP server on loopback (aiosmtpd) that keeps every mail Balie
sends, and a page on loopback that lists them (newest first) with their headers and text, and
serves each as `.eml`. `balie demo` starts one unless BALIE_EMAIL_URL names a mail server, and
points the web server and the worker at it, so the demo's sent mails can be looked at. A
recipient at `onbestaand.example` is refused with 550 5.1.1, to show a mail that failed."""

from __future__ import annotations

import email
import email.policy
import html
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from balie.core.loopback import LoopbackServer

REFUSED_DOMAIN = "onbestaand.example"
KEEP = 500


@dataclass(frozen=True)
class DemoMail:
    sender: str
    recipients: tuple[str, ...]
    raw: bytes

    @property
    def message(self) -> Any:
        return email.message_from_bytes(self.raw, policy=email.policy.default)


class _Mailbox:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.mails: list[DemoMail] = []

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address.lower().endswith("@" + REFUSED_DOMAIN):
            return "550 5.1.1 Mailbox unavailable (demo)"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.mails.append(DemoMail(envelope.mail_from, tuple(envelope.rcpt_tos), bytes(envelope.content)))
            del self.mails[:-KEEP]
        return "250 OK"


def _page(mails: list[DemoMail]) -> bytes:
    rows = []
    for number, mail in reversed(list(enumerate(mails))):
        message = mail.message
        body = message.get_body(("plain",))
        text = body.get_content() if body is not None else ""
        names = [part.get_filename() or "" for part in message.iter_attachments()]
        rows.append(
            "<article><h2>"
            + html.escape(str(message["Subject"] or ""))
            + "</h2><dl>"
            + "".join(
                f"<dt>{name}</dt><dd>{html.escape(str(message[name] or ''))}</dd>"
                for name in ("From", "To", "Reply-To", "Date", "Message-ID", "In-Reply-To")
                if message[name]
            )
            + (f"<dt>Bijlagen</dt><dd>{html.escape(', '.join(names))}</dd>" if names else "")
            + f'</dl><pre>{html.escape(text)}</pre><p><a href="/mails/{number}.eml">.eml</a></p></article>'
        )
    return (
        '<!doctype html><html lang="nl"><meta charset="utf-8"><meta name="viewport" '
        'content="width=device-width, initial-scale=1"><title>Demo-mailserver</title>'
        "<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:auto;padding:1rem}"
        "article{border-top:1px solid #999;padding:.5rem 0}dl{display:grid;grid-template-columns:8rem 1fr}"
        "pre{white-space:pre-wrap;background:#f4f4f4;padding:.5rem}</style>"
        f"<h1>Demo-mailserver: {len(mails)} e-mails ontvangen</h1>" + "".join(rows)
    ).encode()


class DemoSmtp:
    """`DemoSmtp().start()`: `.smtp_port` takes mail, `.url` shows it."""

    def __init__(self, *, smtp_port: int = 0, web_port: int = 0) -> None:
        from aiosmtpd.controller import Controller

        self.mailbox = _Mailbox()
        self._controller = Controller(self.mailbox, hostname="127.0.0.1", port=smtp_port or _free_port())
        mailbox = self.mailbox

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_GET(self) -> None:
                with mailbox.lock:
                    mails = list(mailbox.mails)
                status, body, kind = 200, b"", "text/html; charset=utf-8"
                if self.path.startswith("/mails/") and self.path.endswith(".eml"):
                    try:
                        body, kind = mails[int(self.path[7:-4])].raw, "message/rfc822"
                    except (ValueError, IndexError):
                        status, body, kind = 404, b"niet gevonden", "text/plain; charset=utf-8"
                else:
                    body = _page(mails)
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        web = ThreadingHTTPServer(("127.0.0.1", web_port), Handler)
        web.daemon_threads = True
        self._web = LoopbackServer(web, name="demo-smtp-web")

    @property
    def smtp_port(self) -> int:
        return int(self._controller.port)

    @property
    def url(self) -> str:
        return self._web.url

    @property
    def mails(self) -> list[DemoMail]:
        with self.mailbox.lock:
            return list(self.mailbox.mails)

    def start(self) -> DemoSmtp:
        self._controller.start()
        self._web.start()
        return self

    def stop(self) -> None:
        self._controller.stop()
        self._web.stop()


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
