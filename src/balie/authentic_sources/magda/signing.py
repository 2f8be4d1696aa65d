"""Signing and verifying MAGDA's SOAP messages (WS-Security 1.0, X.509 token profile).

In production MAGDA wants every message signed with the organisation's certificate, on top of
mutual TLS. A signed envelope carries, in `soapenv:Header/wsse:Security` (mustUnderstand):

- `wsu:Timestamp` (Created, Expires: a few minutes later), with a wsu:Id;
- `wsse:BinarySecurityToken`: the signing certificate (X509v3, base64 of the DER), with a wsu:Id;
- `ds:Signature`: exclusive C14N, RSA-SHA256, two references with SHA-256 digests, one to the
  SOAP Body (which gets a wsu:Id) and one to the Timestamp, and a KeyInfo that points to the token
  (`wsse:SecurityTokenReference/wsse:Reference`).

The XML signature itself is made and checked by signxml (detached references by Id). On top of
that `verify_envelope` checks what signxml cannot know: that the signed elements are THE Body of
the envelope and THE Timestamp of its one Security header (no signature wrapping: a signed Body
moved elsewhere and a forged one put in its place is refused), that no Id appears twice, that the
token is one of the trusted certificates, and that the timestamp is current.

`configured_signer()` is `BALIE_MAGDA_SIGNER` when set (a dotted path to `sign(envelope: bytes)
-> bytes`, for a hardware key or another library), else a `WsSecuritySigner` when
`BALIE_MAGDA_SIGN_KEY` is set, else None (unsigned: the demo accepts it, MAGDA does not; `balie
check --deploy` warns). `configured_verifier()` checks MAGDA's answers against
`BALIE_MAGDA_SERVER_CERT` when that is set.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import os
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.utils.module_loading import import_string
from lxml import etree
from signxml import (
    CanonicalizationMethod,
    DigestAlgorithm,
    SignatureConfiguration,
    SignatureMethod,
    XMLSigner,
    XMLVerifier,
    methods,
)
from signxml.exceptions import (
    InvalidCertificate,
    InvalidDigest,
    InvalidInput,
    InvalidSignature,
    SignXMLException,
)

from .messages import SOAP_NS
from .transport import TransportError

Signer = Callable[[bytes], bytes]
Verifier = Callable[[bytes], None]

WSSE_NS = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
WSU_NS = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
DS_NS = "http://www.w3.org/2000/09/xmldsig#"
X509V3 = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3"
BASE64_BINARY = (
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary"
)
EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"

TIMESTAMP_LIFETIME = dt.timedelta(minutes=5)
"""How long a signed message is valid (wsu:Timestamp Expires - Created)."""
CLOCK_SKEW = dt.timedelta(minutes=1)
"""How far the sender's clock may be ahead of or behind ours."""

ACCEPTED_SIGNATURE_METHODS = frozenset(
    {SignatureMethod.RSA_SHA256, SignatureMethod.RSA_SHA384, SignatureMethod.RSA_SHA512}
)
ACCEPTED_DIGESTS = frozenset({DigestAlgorithm.SHA256, DigestAlgorithm.SHA384, DigestAlgorithm.SHA512})

WSS_FAULT_CODES = frozenset(
    {
        "UnsupportedSecurityToken",
        "UnsupportedAlgorithm",
        "InvalidSecurity",
        "InvalidSecurityToken",
        "FailedAuthentication",
        "FailedCheck",
        "SecurityTokenUnavailable",
        "MessageExpired",
    }
)
"""The SOAP fault codes of WS-Security 1.0 (wsse:<code>), sent for a message it refuses."""

_ID = f"{{{WSU_NS}}}Id"
_ID_NAMES = {"Id", "ID", "id"}


def _q(namespace: str, name: str) -> str:
    return f"{{{namespace}}}{name}"


class SignatureError(TransportError):
    """A message whose WS-Security signature is missing, malformed, wrong, untrusted or expired.

    `code` is the WS-Security fault code (the local part of wsse:<code>) a service answers with:
    InvalidSecurity (no or a malformed header), FailedCheck (signature or digest wrong, signed
    parts not where they belong), FailedAuthentication (a certificate that is not trusted),
    MessageExpired (the timestamp is no longer, or not yet, valid), UnsupportedAlgorithm."""

    def __init__(self, message: str, *, code: str = "InvalidSecurity") -> None:
        super().__init__(message)
        self.code = code


class SigningConfigurationError(TransportError):
    """Balie's own signing key or certificate (or MAGDA's certificate) cannot be used."""


# -- keys and certificates -------------------------------------------------------------------------


def load_certificates(path: str | os.PathLike[str]) -> list[x509.Certificate]:
    """All certificates in a PEM file (one or more, e.g. MAGDA's current and next)."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise SigningConfigurationError(f"certificate file {path}: {type(error).__name__}") from None
    try:
        certificates = x509.load_pem_x509_certificates(data)
    except ValueError:
        raise SigningConfigurationError(f"certificate file {path}: no PEM certificate") from None
    return certificates


def load_private_key(path: str | os.PathLike[str], password: str = "") -> rsa.RSAPrivateKey:
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise SigningConfigurationError(f"key file {path}: {type(error).__name__}") from None
    try:
        key = serialization.load_pem_private_key(data, password=password.encode() or None)
    except (ValueError, TypeError):
        raise SigningConfigurationError(f"key file {path}: not a readable PEM private key") from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise SigningConfigurationError(f"key file {path}: not an RSA key (RSA-SHA256 needs one)")
    return key


def _same_key(key: rsa.RSAPrivateKey, certificate: x509.Certificate) -> bool:
    public = certificate.public_key()
    return (
        isinstance(public, rsa.RSAPublicKey) and public.public_numbers() == key.public_key().public_numbers()
    )


# -- signing -----------------------------------------------------------------------------------------


def _parse(envelope: bytes) -> etree._Element:
    """Parse without DTDs, entities or the network; a DOCTYPE is refused."""
    parser = etree.XMLParser(
        resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False, remove_blank_text=False
    )
    try:
        root = etree.fromstring(envelope, parser=parser)
    except etree.XMLSyntaxError:
        raise SignatureError("message is not XML", code="InvalidSecurity") from None
    if root.getroottree().docinfo.doctype:
        raise SignatureError("message carries a DOCTYPE", code="InvalidSecurity")
    return root


def _timestamp_text(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _new_id(kind: str) -> str:
    return f"{kind}-{uuid.uuid4().hex}"


def sign_envelope(
    envelope: bytes,
    key: rsa.RSAPrivateKey,
    certificate: x509.Certificate,
    *,
    now: dt.datetime | None = None,
    lifetime: dt.timedelta = TIMESTAMP_LIFETIME,
    sign_token: bool = False,
) -> bytes:
    """The envelope with a WS-Security header: a timestamp, the certificate as a binary security
    token, and a signature over the Body and the timestamp (and the token, with `sign_token`, as
    some federal services want)."""
    original = _parse(envelope)
    if original.tag != _q(SOAP_NS, "Envelope"):
        raise SigningConfigurationError("not a SOAP 1.1 envelope")
    # A fresh root declaring wsse/wsu/ds once, so the header reads as MAGDA's examples do.
    root = etree.Element(
        original.tag,
        attrib=dict(original.attrib),
        nsmap={**original.nsmap, "wsse": WSSE_NS, "wsu": WSU_NS},
    )
    root.text = original.text
    for part in list(original):
        root.append(part)
    headers = [c for c in root if c.tag == _q(SOAP_NS, "Header")]
    bodies = [c for c in root if c.tag == _q(SOAP_NS, "Body")]
    if len(bodies) != 1 or len(headers) > 1:
        raise SigningConfigurationError("envelope needs one Body and at most one Header")
    body = bodies[0]
    if headers:
        header = headers[0]
    else:
        header = etree.Element(_q(SOAP_NS, "Header"))
        body.addprevious(header)
    if header.find(_q(WSSE_NS, "Security")) is not None:
        raise SigningConfigurationError("envelope is already signed")

    body_id = body.get(_ID) or _new_id("Body")
    body.set(_ID, body_id)
    security = etree.SubElement(header, _q(WSSE_NS, "Security"))
    security.set(_q(SOAP_NS, "mustUnderstand"), "1")
    created = now or dt.datetime.now(dt.UTC)
    timestamp = etree.SubElement(security, _q(WSU_NS, "Timestamp"))
    timestamp_id = _new_id("TS")
    timestamp.set(_ID, timestamp_id)
    etree.SubElement(timestamp, _q(WSU_NS, "Created")).text = _timestamp_text(created)
    etree.SubElement(timestamp, _q(WSU_NS, "Expires")).text = _timestamp_text(created + lifetime)
    token = etree.SubElement(
        security, _q(WSSE_NS, "BinarySecurityToken"), EncodingType=BASE64_BINARY, ValueType=X509V3
    )
    token_id = _new_id("X509")
    token.set(_ID, token_id)
    token.text = base64.b64encode(certificate.public_bytes(serialization.Encoding.DER)).decode("ascii")

    key_info = etree.Element(_q(DS_NS, "KeyInfo"), nsmap={"ds": DS_NS})
    reference = etree.SubElement(
        etree.SubElement(key_info, _q(WSSE_NS, "SecurityTokenReference"), nsmap={"wsse": WSSE_NS}),
        _q(WSSE_NS, "Reference"),
    )
    reference.set("URI", f"#{token_id}")
    reference.set("ValueType", X509V3)
    signer = XMLSigner(
        method=methods.detached,
        signature_algorithm=SignatureMethod.RSA_SHA256,
        digest_algorithm=DigestAlgorithm.SHA256,
        c14n_algorithm=CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0,
    )
    signature = signer.sign(
        root,
        key=key,
        reference_uri=[f"#{body_id}", f"#{timestamp_id}", *([f"#{token_id}"] if sign_token else [])],
        key_info=key_info,
    )
    security.append(signature)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


@dataclass(frozen=True)
class WsSecuritySigner:
    """`sign(envelope) -> signed envelope` with a key and its certificate."""

    key: rsa.RSAPrivateKey
    certificate: x509.Certificate
    lifetime: dt.timedelta = TIMESTAMP_LIFETIME

    def __post_init__(self) -> None:
        if not _same_key(self.key, self.certificate):
            raise SigningConfigurationError("the signing key does not belong to the signing certificate")

    def __call__(self, envelope: bytes) -> bytes:
        return sign_envelope(envelope, self.key, self.certificate, lifetime=self.lifetime)


def load_signer(key_path: str, cert_path: str, password: str = "") -> WsSecuritySigner:
    certificates = load_certificates(cert_path)
    return WsSecuritySigner(key=load_private_key(key_path, password), certificate=certificates[0])


# -- verifying ---------------------------------------------------------------------------------------


def _only(parent: etree._Element, tag: str, what: str, *, code: str = "InvalidSecurity") -> etree._Element:
    found = [c for c in parent if c.tag == tag]
    if len(found) != 1:
        raise SignatureError(f"expected one {what}, found {len(found)}", code=code)
    return found[0]


def _parse_time(value: str | None, what: str) -> dt.datetime:
    text = (value or "").strip()
    try:
        moment = dt.datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
    except ValueError:
        raise SignatureError(f"timestamp {what} is not a date-time", code="InvalidSecurity") from None
    if moment.tzinfo is None:
        raise SignatureError(f"timestamp {what} has no time zone", code="InvalidSecurity")
    return moment


def _check_unique_ids(root: etree._Element) -> None:
    seen: set[str] = set()
    for element in root.iter():
        if not isinstance(element.tag, str):  # comments, processing instructions
            continue
        for name, value in element.attrib.items():
            if etree.QName(name).localname in _ID_NAMES:
                if value in seen:
                    raise SignatureError(f"the Id {value!r} appears twice", code="FailedCheck")
                seen.add(value)


def verify_envelope(
    envelope: bytes,
    trusted_certs: Iterable[x509.Certificate],
    *,
    now: dt.datetime | None = None,
    clock_skew: dt.timedelta = CLOCK_SKEW,
) -> None:
    """Check an envelope's WS-Security signature; raise SignatureError unless

    - the envelope has exactly one Header with exactly one wsse:Security, holding one wsu:Timestamp
      and one ds:Signature, and exactly one Body;
    - the signature (exclusive C14N, RSA-SHA2, SHA-2 digests) references the Body and the Timestamp,
      those very elements (no Id appears twice in the document), with correct digests (it may
      cover more of the header too, such as its own token);
    - its key is the BinarySecurityToken of this header that the KeyInfo points to, and that
      certificate is one of `trusted_certs` (compared byte for byte) and valid now;
    - the timestamp's window (Created .. Expires, give or take `clock_skew`) holds now.
    """
    trusted = {c.public_bytes(serialization.Encoding.DER) for c in trusted_certs}
    if not trusted:
        raise SigningConfigurationError("no trusted certificate to verify against")
    moment = now or dt.datetime.now(dt.UTC)
    root = _parse(envelope)
    if root.tag != _q(SOAP_NS, "Envelope"):
        raise SignatureError("not a SOAP 1.1 envelope")
    body = _only(root, _q(SOAP_NS, "Body"), "soapenv:Body")
    headers = [c for c in root if c.tag == _q(SOAP_NS, "Header")]
    if not headers:
        raise SignatureError("message is not signed (no header)")
    header = _only(root, _q(SOAP_NS, "Header"), "soapenv:Header")
    securities = [c for c in header if c.tag == _q(WSSE_NS, "Security")]
    if not securities:
        raise SignatureError("message is not signed (no wsse:Security)")
    security = _only(header, _q(WSSE_NS, "Security"), "wsse:Security")
    timestamp = _only(security, _q(WSU_NS, "Timestamp"), "wsu:Timestamp")
    signature = _only(security, _q(DS_NS, "Signature"), "ds:Signature")
    _check_unique_ids(root)

    token_reference = signature.find(
        f"{_q(DS_NS, 'KeyInfo')}/{_q(WSSE_NS, 'SecurityTokenReference')}/{_q(WSSE_NS, 'Reference')}"
    )
    uri = token_reference.get("URI", "") if token_reference is not None else ""
    tokens = [
        t
        for t in security
        if t.tag == _q(WSSE_NS, "BinarySecurityToken") and uri.startswith("#") and t.get(_ID) == uri[1:]
    ]
    if len(tokens) != 1:
        raise SignatureError("the signature does not point to a security token in its header")
    token = tokens[0]
    if token.get("ValueType") != X509V3:
        raise SignatureError("the security token is not an X.509v3 certificate", code="InvalidSecurityToken")
    try:
        der = base64.b64decode((token.text or "").strip(), validate=True)
        certificate = x509.load_der_x509_certificate(der)
    except ValueError:
        raise SignatureError(
            "the security token is not a readable certificate", code="InvalidSecurityToken"
        ) from None
    if der not in trusted:
        raise SignatureError("the signing certificate is not trusted", code="FailedAuthentication")

    body_id, timestamp_id = body.get(_ID), timestamp.get(_ID)
    if not body_id or not timestamp_id:
        raise SignatureError("the Body or the Timestamp carries no wsu:Id", code="FailedCheck")
    signed_info = _only(signature, _q(DS_NS, "SignedInfo"), "ds:SignedInfo")
    c14n = _only(signed_info, _q(DS_NS, "CanonicalizationMethod"), "ds:CanonicalizationMethod")
    if c14n.get("Algorithm") != EXC_C14N:
        raise SignatureError("canonicalisation is not exclusive C14N", code="UnsupportedAlgorithm")
    references = [c for c in signed_info if c.tag == _q(DS_NS, "Reference")]
    uris = [r.get("URI") or "" for r in references]
    # The Body and the Timestamp, those very elements (Ids are unique, see above); a sender may
    # sign more of its header too (its token, WS-Addressing headers), within this document only.
    if (
        len(set(uris)) != len(uris)
        or not all(uri.startswith("#") for uri in uris)
        or not {f"#{body_id}", f"#{timestamp_id}"} <= set(uris)
    ):
        raise SignatureError("the signature does not cover the Body and the Timestamp", code="FailedCheck")
    for reference in references:
        transforms = reference.find(_q(DS_NS, "Transforms"))
        algorithms = [t.get("Algorithm") for t in transforms] if transforms is not None else []
        if any(a != EXC_C14N for a in algorithms):
            raise SignatureError(
                "a reference uses a transform other than exclusive C14N", code="UnsupportedAlgorithm"
            )

    config = SignatureConfiguration(
        require_x509=True,
        location=f"./{_q(SOAP_NS, 'Header')}/{_q(WSSE_NS, 'Security')}/",
        expect_references=len(references),
        signature_methods=ACCEPTED_SIGNATURE_METHODS,
        digest_algorithms=ACCEPTED_DIGESTS,
        verification_time=moment,
    )
    try:
        XMLVerifier().verify(root, x509_cert=certificate, expect_config=config)
    except InvalidCertificate as error:
        raise SignatureError(f"signing certificate: {error}", code="FailedAuthentication") from None
    except (InvalidSignature, InvalidDigest) as error:
        raise SignatureError(f"signature: {error}", code="FailedCheck") from None
    except (InvalidInput, SignXMLException, etree.DocumentInvalid, ValueError) as error:
        raise SignatureError(f"signature: {type(error).__name__}: {error}", code="FailedCheck") from None

    created = _parse_time(timestamp.findtext(_q(WSU_NS, "Created")), "Created")
    expires = _parse_time(timestamp.findtext(_q(WSU_NS, "Expires")), "Expires")
    if expires <= created:
        raise SignatureError("the timestamp expires before it is created", code="MessageExpired")
    if created - clock_skew > moment:
        raise SignatureError("the timestamp lies in the future", code="MessageExpired")
    if expires + clock_skew < moment:
        raise SignatureError("the message has expired", code="MessageExpired")


def security_fault(error: SignatureError) -> bytes:
    """The SOAP Fault a service answers for a message whose signature it refuses (wsse:<code>);
    the reason stays in the server's log, the sender learns only the code."""
    root = etree.Element(_q(SOAP_NS, "Envelope"), nsmap={"soapenv": SOAP_NS, "wsse": WSSE_NS})
    fault = etree.SubElement(etree.SubElement(root, _q(SOAP_NS, "Body")), _q(SOAP_NS, "Fault"))
    code = error.code if error.code in WSS_FAULT_CODES else "InvalidSecurity"
    etree.SubElement(fault, "faultcode").text = f"wsse:{code}"
    etree.SubElement(fault, "faultstring").text = _FAULT_TEXTS.get(code, _FAULT_TEXTS["InvalidSecurity"])
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


_FAULT_TEXTS = {
    "InvalidSecurity": "An error was discovered processing the <wsse:Security> header",
    "FailedCheck": "The signature or decryption was invalid",
    "FailedAuthentication": "The security token could not be authenticated or authorized",
    "MessageExpired": "The message has expired",
    "UnsupportedAlgorithm": "An unsupported signature or encryption algorithm was used",
    "InvalidSecurityToken": "An invalid security token was provided",
}


def is_signed(envelope: bytes) -> bool:
    """Whether the envelope carries a wsse:Security header (signed or not: not a verification)."""
    try:
        root = _parse(envelope)
    except SignatureError:
        return False
    return root.find(f"{_q(SOAP_NS, 'Header')}/{_q(WSSE_NS, 'Security')}") is not None


# -- from settings -------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=8)
def _cached_signer(
    key_path: str, cert_path: str, password: str, stamp: tuple[float, float]
) -> WsSecuritySigner:
    return load_signer(key_path, cert_path, password)


def _mtime(path: str) -> float:
    try:
        return os.stat(path).st_mtime
    except OSError:
        return 0.0


def signer_from_settings() -> WsSecuritySigner | None:
    """The WS-Security signer of BALIE_MAGDA_SIGN_KEY/_CERT (re-read when a file changes), or None."""
    key_path: str = getattr(settings, "BALIE_MAGDA_SIGN_KEY", "")
    if not key_path:
        return None
    cert_path: str = getattr(settings, "BALIE_MAGDA_SIGN_CERT", "")
    if not cert_path:
        raise SigningConfigurationError("BALIE_MAGDA_SIGN_KEY is set without BALIE_MAGDA_SIGN_CERT")
    password: str = getattr(settings, "BALIE_MAGDA_SIGN_KEY_PASSWORD", "")
    return _cached_signer(key_path, cert_path, password, (_mtime(key_path), _mtime(cert_path)))


def configured_signer() -> Signer | None:
    """BALIE_MAGDA_SIGNER when set; else the WS-Security signer of BALIE_MAGDA_SIGN_KEY/_CERT; else
    None (messages go out unsigned)."""
    path = getattr(settings, "BALIE_MAGDA_SIGNER", "")
    if path:
        signer: Signer = import_string(path)
        return signer
    return signer_from_settings()


@functools.lru_cache(maxsize=8)
def _cached_certificates(path: str, stamp: float) -> tuple[x509.Certificate, ...]:
    return tuple(load_certificates(path))


def trusted_certificates(path: str) -> tuple[x509.Certificate, ...]:
    return _cached_certificates(path, _mtime(path))


@dataclass(frozen=True)
class EnvelopeVerifier:
    """`verify(envelope)` against fixed trusted certificates."""

    trusted: Sequence[x509.Certificate]

    def __call__(self, envelope: bytes) -> None:
        verify_envelope(envelope, self.trusted)


def configured_verifier() -> Verifier | None:
    """Verify MAGDA's answers against BALIE_MAGDA_SERVER_CERT, or None (answers not verified)."""
    path: str = getattr(settings, "BALIE_MAGDA_SERVER_CERT", "")
    if not path:
        return None
    return EnvelopeVerifier(trusted_certificates(path))
