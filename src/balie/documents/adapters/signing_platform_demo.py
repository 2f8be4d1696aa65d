"""A demo signing platform: a real HTTP server on loopback that speaks the protocol of
`signing_platform` (packages, callback, download), signs with pyHanko and calls Balie back, so the
client Balie uses in production is exercised line for line.

What it does with a package: after `behaviour.sign_delay` seconds (unless `auto_sign` is off),
each signer signs in order, with a certificate the platform's own CA issues in their name (PAdES,
a visible block, incremental); then it POSTs the callback, again with a growing pause until Balie
answers 2xx (at most `CALLBACK_ATTEMPTS` times). It also serves RFC 3161 timestamps at `/tsa`
(PAdES B-T), signed by a TSA certificate of the same CA.

Tests steer it through `behaviour`: refuse the next package (with a reason), hand out a tampered
file, sign later by hand (`sign_package`). `GET /` lists the packages, for whoever runs the demo.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import html
import json
import logging
import secrets
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from balie.core.loopback import LoopbackServer

from ..signing.certificates import Issued, issue, make_root

logger = logging.getLogger("balie.signing.platform.demo")

MAX_REQUEST_BYTES = 60 * 1024 * 1024
CALLBACK_ATTEMPTS = 8
CALLBACK_FIRST_PAUSE = 0.25


@dataclass
class Package:
    id: str
    reference: str
    title: str
    filename: str
    content: bytes
    signers: list[dict[str, Any]]
    callback_url: str
    status: str = "pending"
    reason: str = ""
    signed: bytes | None = None
    created_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "reference": self.reference, "status": self.status, "reason": self.reason}


@dataclass
class Behaviour:
    """Knobs for tests, and what the platform saw."""

    auto_sign: bool = True
    sign_delay: float = 0.0
    refuse_next: str = ""  # the next package is refused with this reason
    tamper_next: bool = False  # the next signed file is changed after signing
    callback_attempts: int = CALLBACK_ATTEMPTS
    uploads: list[dict[str, Any]] = field(default_factory=list)  # bodies without the content
    callbacks: list[tuple[str, str, int | str]] = field(default_factory=list)  # (id, status, answer)
    cancelled: list[str] = field(default_factory=list)

    def reset(self) -> None:
        self.auto_sign = True
        self.sign_delay = 0.0
        self.refuse_next = ""
        self.tamper_next = False
        self.callback_attempts = CALLBACK_ATTEMPTS
        self.uploads.clear()
        self.callbacks.clear()
        self.cancelled.clear()


class DemoSigningPlatform(LoopbackServer):
    _server: _Server

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        api_key: str | None = None,
        root: Issued | None = None,
        sign_delay: float = 0.0,
    ) -> None:
        self.api_key = api_key or secrets.token_urlsafe(24)
        self.root = root or make_root("Demo-ondertekenplatform root CA", organisation="Balie demo")
        self.behaviour = Behaviour(sign_delay=sign_delay)
        self.packages: dict[str, Package] = {}
        self._by_key: dict[str, str] = {}
        self._signers: dict[str, Any] = {}
        self._lock = threading.RLock()
        self._tsa: Any = None
        super().__init__(_Server((host, port), self), name="signing-platform-demo")

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def tsa_url(self) -> str:
        return f"{self.url}/tsa"

    def serve_forever(self) -> None:
        """Serve in this thread, instead of `start()`."""
        self._server.serve_forever()

    # -- packages ------------------------------------------------------------------------------------

    def create(self, body: dict[str, Any], idempotency_key: str) -> tuple[int, Package]:
        with self._lock:
            if idempotency_key and idempotency_key in self._by_key:
                return 200, self.packages[self._by_key[idempotency_key]]
            document = body.get("document") or {}
            try:
                content = base64.b64decode(str(document.get("content", "")), validate=True)
            except (binascii.Error, ValueError):
                raise _BadRequest("document.content is not base64") from None
            if not content.startswith(b"%PDF-"):
                raise _BadRequest("document.content is not a PDF")
            if hashlib.sha256(content).hexdigest() != document.get("sha256"):
                raise _BadRequest("document.sha256 does not match the content")
            signers = body.get("signers")
            if not isinstance(signers, list) or not signers:
                raise _BadRequest("signers: at least one")
            for signer in signers:
                if not isinstance(signer, dict) or not signer.get("name") or not signer.get("email"):
                    raise _BadRequest("every signer needs a name and an e-mail address")
            callback = str(body.get("callbackUrl") or "")
            if not callback.startswith(("http://", "https://")):
                raise _BadRequest("callbackUrl must be an http(s) address")
            package = Package(
                id=f"pkg-{secrets.token_hex(8)}",
                reference=str(body.get("reference") or ""),
                title=str(body.get("title") or ""),
                filename=str(document.get("filename") or "document.pdf"),
                content=content,
                signers=sorted(signers, key=lambda s: int(s.get("order") or 0)),
                callback_url=callback,
            )
            self.packages[package.id] = package
            if idempotency_key:
                self._by_key[idempotency_key] = package.id
            self.behaviour.uploads.append(
                {key: value for key, value in body.items() if key != "document"}
                | {"filename": package.filename, "idempotency_key": idempotency_key}
            )
            refuse, self.behaviour.refuse_next = self.behaviour.refuse_next, ""
        if refuse:
            self._later(lambda: self.refuse_package(package.id, refuse))
        elif self.behaviour.auto_sign:
            self._later(lambda: self.sign_package(package.id))
        return 201, package

    def _later(self, work: Any) -> None:
        timer = threading.Timer(max(self.behaviour.sign_delay, 0.01), work)
        timer.daemon = True
        timer.start()

    def _credentials(self, name: str) -> Any:
        from ..signing.pades import load_pkcs12

        with self._lock:
            if name not in self._signers:
                issued = issue(self.root, name, organisation="Demo-ondertekenplatform")
                self._signers[name] = load_pkcs12(
                    issued.pkcs12("demo"), "demo", label=f"certificate of {name}"
                )
            return self._signers[name]

    def sign_package(self, package_id: str) -> None:
        """Every signer signs, in order; then the platform calls back."""
        from ..signing.pades import SignatureBlock, sign_pdf

        with self._lock:
            package = self.packages[package_id]
            if package.status != "pending":
                return
            data = package.content
        for signer in package.signers:
            data = sign_pdf(
                data,
                credentials=self._credentials(str(signer["name"])),
                block=SignatureBlock(
                    name=str(signer["name"]),
                    function=str(signer.get("function") or ""),
                    location="Demo-ondertekenplatform",
                ),
                reason="Ondertekend op het demo-ondertekenplatform",
            )
        with self._lock:
            if package.status != "pending":
                return
            if self.behaviour.tamper_next:
                self.behaviour.tamper_next = False
                # One byte of the document changed after signing: no signature may survive it.
                data = data[:200] + bytes([data[200] ^ 0x01]) + data[201:]
            package.signed = data
            package.status = "signed"
        self._call_back(package)

    def refuse_package(self, package_id: str, reason: str) -> None:
        with self._lock:
            package = self.packages[package_id]
            if package.status != "pending":
                return
            package.status, package.reason = "refused", reason
        self._call_back(package)

    def cancel(self, package_id: str) -> int:
        with self._lock:
            package = self.packages.get(package_id)
            if package is None:
                return 404
            if package.status == "signed":
                return 409
            package.status = "cancelled"
            self.behaviour.cancelled.append(package_id)
            return 204

    def _call_back(self, package: Package) -> None:
        body = json.dumps(
            {
                "id": package.id,
                "reference": package.reference,
                "status": package.status,
                "reason": package.reason,
            }
        ).encode()
        pause = CALLBACK_FIRST_PAUSE
        for attempt in range(self.behaviour.callback_attempts):
            if attempt:
                time.sleep(pause)
                pause = min(pause * 2, 30)
            request = urllib.request.Request(  # noqa: S310 - the http(s) URL Balie gave
                package.callback_url,
                data=body,
                method="POST",
                headers={"Content-Type": "application/json", "User-Agent": "Demo-ondertekenplatform/1.0"},
            )
            try:
                with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                    self.behaviour.callbacks.append((package.id, package.status, response.status))
                    return
            except urllib.error.HTTPError as error:
                self.behaviour.callbacks.append((package.id, package.status, error.code))
            except OSError as error:
                self.behaviour.callbacks.append((package.id, package.status, type(error).__name__))
        logger.warning("signing platform demo: callback gave up", extra={"package": package.id})

    # -- timestamps ----------------------------------------------------------------------------------

    def timestamp(self, body: bytes) -> bytes:
        from asn1crypto import tsp

        with self._lock:
            if self._tsa is None:
                self._tsa = _time_stamper(self.root)
        request = tsp.TimeStampReq.load(body)
        return bytes(self._tsa.request_tsa_response(request).dump())

    def listing(self) -> bytes:
        rows = "".join(
            f"<tr><td>{html.escape(p.id)}</td><td>{html.escape(p.title)}</td><td>{html.escape(p.status)}</td>"
            f"<td>{html.escape(', '.join(str(s.get('name')) for s in p.signers))}</td></tr>"
            for p in sorted(self.packages.values(), key=lambda p: p.created_at, reverse=True)
        )
        return (
            '<!doctype html><html lang="nl"><meta charset="utf-8"><title>Demo-ondertekenplatform</title>'
            "<h1>Demo-ondertekenplatform</h1><table><tr><th>Pakket</th><th>Titel</th><th>Status</th>"
            f"<th>Ondertekenaars</th></tr>{rows}</table></html>"
        ).encode()


def _time_stamper(root: Issued) -> Any:
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    issued = issue(root, "Demo-tijdstempeldienst", organisation="Demo-ondertekenplatform", time_stamping=True)
    certificate = asn1_x509.Certificate.load(issued.certificate.public_bytes(serialization.Encoding.DER))
    key = asn1_keys.PrivateKeyInfo.load(
        issued.key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return DummyTimeStamper(tsa_cert=certificate, tsa_key=key)


class _BadRequest(Exception):
    pass


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    @property
    def platform(self) -> DemoSigningPlatform:
        return self.server.platform

    def _authorised(self) -> bool:
        expected = f"Bearer {self.platform.api_key}"
        if secrets.compare_digest(self.headers.get("Authorization", ""), expected):
            return True
        self._json(401, {"error": "unauthorised"})
        return False

    def _body(self) -> bytes | None:
        length = int(self.headers.get("Content-Length") or 0)
        if length <= 0 or length > MAX_REQUEST_BYTES:
            self._json(413 if length > MAX_REQUEST_BYTES else 400, {"error": "no or too large a body"})
            return None
        return self.rfile.read(length)

    def _package_path(self) -> tuple[str, str] | None:
        parts = self.path.split("?", 1)[0].strip("/").split("/")
        if parts[:3] != ["api", "v1", "packages"] or len(parts) not in (4, 5):
            return None
        return parts[3], parts[4] if len(parts) == 5 else ""

    def do_POST(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == "/tsa":
            body = self._body()
            if body is None:
                return
            try:
                answer = self.platform.timestamp(body)
            except Exception:  # noqa: BLE001 - a malformed request
                self._json(400, {"error": "not a TimeStampReq"})
                return
            self._send(200, answer, "application/timestamp-reply")
            return
        if path != "/api/v1/packages":
            self._json(404, {"error": "not found"})
            return
        if not self._authorised():
            return
        body = self._body()
        if body is None:
            return
        try:
            data = json.loads(body)
            if not isinstance(data, dict):
                raise _BadRequest("a JSON object is expected")
            status, package = self.platform.create(data, self.headers.get("Idempotency-Key", ""))
        except (ValueError, _BadRequest) as error:
            self._json(400, {"error": str(error)[:200]})
            return
        self._json(status, package.as_dict())

    def do_GET(self) -> None:
        if self.path.split("?", 1)[0] in ("", "/"):
            self._send(200, self.platform.listing(), "text/html; charset=utf-8")
            return
        target = self._package_path()
        if target is None:
            self._json(404, {"error": "not found"})
            return
        if not self._authorised():
            return
        package = self.platform.packages.get(target[0])
        if package is None:
            self._json(404, {"error": "no such package"})
        elif target[1] == "":
            self._json(200, package.as_dict())
        elif target[1] == "document":
            if package.signed is None:
                self._json(409, {"error": f"the package is {package.status}"})
            else:
                self._send(200, package.signed, "application/pdf")
        else:
            self._json(404, {"error": "not found"})

    def do_DELETE(self) -> None:
        target = self._package_path()
        if target is None or target[1]:
            self._json(404, {"error": "not found"})
            return
        if not self._authorised():
            return
        status = self.platform.cancel(target[0])
        if status == 204:
            self._send(204, b"", "application/json")
        else:
            self._json(status, {"error": "cannot cancel"})

    def _json(self, status: int, body: dict[str, Any]) -> None:
        self._send(status, json.dumps(body).encode(), "application/json")

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("signing platform demo request", extra={"line": (format % args)[:200]})


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], platform: DemoSigningPlatform) -> None:
        super().__init__(address, _Handler)
        self.platform = platform

    def handle_error(self, request: Any, client_address: Any) -> None:
        logger.debug("signing platform demo: a connection failed")


_platform: DemoSigningPlatform | None = None
_platform_lock = threading.Lock()


def ensure_demo_platform() -> DemoSigningPlatform:
    """The demo platform of this process, started on a free loopback port on first use."""
    global _platform
    with _platform_lock:
        if _platform is None:
            _platform = DemoSigningPlatform().start()
        return _platform


def start_balie_demo_platform(
    root: Issued, *, sign_delay: float = 8.0
) -> tuple[DemoSigningPlatform, dict[str, str]]:
    """For `balie demo`: the platform, with certificates from the demo chain, signing each package
    a few seconds after it arrives. Returns it and the environment the web server and the worker
    need (its URL and key; its timestamp service unless BALIE_SIGNING_TSA_URL is set)."""
    import os

    platform = DemoSigningPlatform(root=root, sign_delay=sign_delay).start()
    environment = {
        "BALIE_SIGNING_PLATFORM_URL": platform.url,
        "BALIE_SIGNING_PLATFORM_API_KEY": platform.api_key,
    }
    if not os.environ.get("BALIE_SIGNING_TSA_URL"):
        environment["BALIE_SIGNING_TSA_URL"] = platform.tsa_url
    return platform, environment
