"""Posting a SOAP envelope to MAGDA: HTTPS with a client certificate (mutual TLS) in production,
plain HTTP to the demo service on loopback. Standard library only (http.client + ssl).

Failures come out as three kinds the caller logs and explains: a time-out, a SOAP Fault, and
anything else that is not an answer (refused connection, TLS failure, an HTTP error without a
Fault, an unreadable body).
"""

from __future__ import annotations

import http.client
import ssl
import urllib.parse
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass

from .messages import MessageError, SoapFault, fault_of, parse_xml

MAX_ANSWER_BYTES = 8 * 1024 * 1024
"""An answer larger than this is not read (a person or an enterprise is a few kilobytes)."""


class TransportError(Exception):
    """The call did not produce a readable answer."""


class MagdaTimeout(TransportError):
    """MAGDA did not answer within the time-out."""


class MagdaFault(TransportError):
    """MAGDA (or the service behind it) answered with a SOAP Fault."""

    def __init__(self, fault: SoapFault) -> None:
        super().__init__(f"SOAP fault {fault.code}")
        self.fault = fault


@dataclass(frozen=True)
class Endpoint:
    base_url: str  # e.g. https://magda.vlaanderen.be/api  or  http://127.0.0.1:8123
    timeout: float = 10.0
    cert_file: str = ""
    key_file: str = ""
    ca_file: str = ""

    def ssl_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(cafile=self.ca_file or None)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        if self.cert_file:
            context.load_cert_chain(self.cert_file, self.key_file or None)
        return context


def post(
    endpoint: Endpoint, path: str, envelope: bytes, *, check: Callable[[bytes], None] | None = None
) -> ET.Element:
    """POST the envelope to `{base}/{path}`; return the answer's parsed XML (a Fault, whatever the
    HTTP status, is raised as MagdaFault). `check(answer bytes)` runs on an answer that is not a
    Fault before it is returned (the signature check; it raises a TransportError). Raises
    MagdaTimeout, MagdaFault or TransportError."""
    url = urllib.parse.urlsplit(endpoint.base_url.rstrip("/") + "/" + path.lstrip("/"))
    if url.scheme not in ("http", "https") or not url.hostname:
        raise TransportError("MAGDA URL must be http(s)://host[:port]/path")
    connection: http.client.HTTPConnection
    if url.scheme == "https":
        try:
            context = endpoint.ssl_context()
        except (OSError, ssl.SSLError) as error:  # a missing or unreadable certificate, key or CA
            raise TransportError(f"TLS configuration: {type(error).__name__}") from None
        connection = http.client.HTTPSConnection(
            url.hostname, url.port, timeout=endpoint.timeout, context=context
        )
    else:
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=endpoint.timeout)
    try:
        connection.request(
            "POST",
            url.path or "/",
            body=envelope,
            headers={"Content-Type": "text/xml; charset=utf-8", "SOAPAction": '""', "Accept": "text/xml"},
        )
        response = connection.getresponse()
        body = response.read(MAX_ANSWER_BYTES + 1)
        status = response.status
    except TimeoutError:
        raise MagdaTimeout("no answer within the time-out") from None
    except ssl.SSLError as error:
        raise TransportError(f"TLS: {error.reason or type(error).__name__}") from None
    except (OSError, http.client.HTTPException) as error:
        raise TransportError(f"connection: {type(error).__name__}") from None
    finally:
        connection.close()
    if len(body) > MAX_ANSWER_BYTES:
        raise TransportError("answer too large")
    try:
        root = parse_xml(body) if body else None
    except MessageError as error:
        raise TransportError(f"HTTP {status}: {error}") from None
    fault = fault_of(root) if root is not None else None
    if fault is not None:
        raise MagdaFault(fault)
    if not 200 <= status < 300 or root is None:
        raise TransportError(f"HTTP {status}")
    if check is not None:
        check(body)
    return root
