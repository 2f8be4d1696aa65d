"""WS-Security on MAGDA messages: Balie signs what it sends (timestamp, X.509 token, a signature
over the Body and the timestamp), the demo service checks it and answers a WS-Security fault
when it is missing, wrong or expired, and Balie refuses an answer whose signature is not right,
including a signed Body moved aside for a forged one (signature wrapping)."""

from __future__ import annotations

import base64
import datetime as dt
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from lxml import etree
from signxml import SignatureConfiguration, XMLSigner, XMLVerifier, methods

from balie.authentic_sources.consultations import ConsultationError, consult
from balie.authentic_sources.magda import demo as demo_module
from balie.authentic_sources.magda import messages
from balie.authentic_sources.magda.checks import check_magda
from balie.authentic_sources.magda.demo import DemoMagda, DemoMagdaService, demo_key_pair
from balie.authentic_sources.magda.signing import (
    DS_NS,
    EXC_C14N,
    SOAP_NS,
    WSSE_NS,
    WSU_NS,
    X509V3,
    SignatureError,
    WsSecuritySigner,
    configured_signer,
    load_signer,
    sign_envelope,
    verify_envelope,
)
from balie.authentic_sources.magda_actions import fetch_enterprise
from balie.authentic_sources.models import Consultation, MagdaService
from balie.parties.models import Party

SOAP = f"{{{SOAP_NS}}}"
WSSE = f"{{{WSSE_NS}}}"
WSU = f"{{{WSU_NS}}}"
DS = f"{{{DS_NS}}}"
ID = f"{WSU}Id"


class Keys:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.balie = demo_key_pair(directory, "balie", "balie.zonnedaal.test")
        self.magda = demo_key_pair(directory, "magda", "magda.test")
        self.stranger = demo_key_pair(directory, "stranger", "stranger.test")
        self.balie_signer = load_signer(str(self.balie.key), str(self.balie.cert))
        self.magda_signer = load_signer(str(self.magda.key), str(self.magda.cert))
        self.stranger_signer = load_signer(str(self.stranger.key), str(self.stranger.cert))

    @property
    def balie_cert(self) -> x509.Certificate:
        return self.balie_signer.certificate


@pytest.fixture(scope="module")
def keys(tmp_path_factory) -> Keys:
    return Keys(tmp_path_factory.mktemp("magda-keys"))


def _request(reference: str = "3f1c2f9e-0000-4000-8000-000000000001") -> bytes:
    context = messages.RequestContext(
        sender_id="0212645081", reference=reference, capacity_code="1300", user="employee-1"
    )
    return messages.build_geef_persoon(context, insz="85073003328")


def _tree(envelope: bytes) -> etree._Element:
    return etree.fromstring(envelope)


def _refused(envelope: bytes, keys: Keys, **kwargs) -> SignatureError:
    with pytest.raises(SignatureError) as refused:
        verify_envelope(envelope, [keys.balie_cert], **kwargs)
    return refused.value


# -- signing and verifying --------------------------------------------------------------------------


def test_a_signed_envelope_has_a_timestamp_a_token_and_a_signature_over_body_and_timestamp(keys):
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    signed = sign_envelope(_request(), keys.balie_signer.key, keys.balie_cert, now=now)

    root = _tree(signed)
    security = root.find(f"{SOAP}Header/{WSSE}Security")
    assert security is not None and security.get(f"{SOAP}mustUnderstand") == "1"
    timestamp = security.find(f"{WSU}Timestamp")
    assert timestamp.findtext(f"{WSU}Created") == now.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    later = now + dt.timedelta(minutes=5)
    assert timestamp.findtext(f"{WSU}Expires") == later.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    token = security.find(f"{WSSE}BinarySecurityToken")
    assert token.get("ValueType") == X509V3
    assert token.get("EncodingType").endswith("#Base64Binary")
    assert base64.b64decode(token.text) == keys.balie_cert.public_bytes(serialization.Encoding.DER)
    signature = security.find(f"{DS}Signature")
    signed_info = signature.find(f"{DS}SignedInfo")
    assert signed_info.find(f"{DS}CanonicalizationMethod").get("Algorithm") == EXC_C14N
    assert signed_info.find(f"{DS}SignatureMethod").get("Algorithm").endswith("#rsa-sha256")
    body = root.find(f"{SOAP}Body")
    references = signed_info.findall(f"{DS}Reference")
    assert [r.get("URI") for r in references] == [f"#{body.get(ID)}", f"#{timestamp.get(ID)}"]
    for reference in references:
        assert reference.find(f"{DS}DigestMethod").get("Algorithm").endswith("#sha256")
        assert [t.get("Algorithm") for t in reference.find(f"{DS}Transforms")] == [EXC_C14N]
    pointer = signature.find(f"{DS}KeyInfo/{WSSE}SecurityTokenReference/{WSSE}Reference")
    assert pointer.get("URI") == f"#{token.get(ID)}"
    # The message itself is untouched.
    question = messages.child(messages.soap_body(messages.parse_xml(signed)), "GeefPersoon", "Verzoek")
    assert messages.text(question, "Vragen", "Vraag", "Inhoud", "Criteria", "INSZ") == "85073003328"

    verify_envelope(signed, [keys.balie_cert], now=now + dt.timedelta(minutes=1))


def test_a_signed_envelope_verifies_against_any_of_several_trusted_certificates(keys):
    signed = keys.balie_signer(_request())

    verify_envelope(signed, [keys.magda_signer.certificate, keys.balie_cert])


def test_an_unsigned_envelope_is_refused(keys):
    assert _refused(_request(), keys).code == "InvalidSecurity"


def test_a_tampered_body_is_refused(keys):
    signed = keys.balie_signer(_request())
    tampered = signed.replace(b"<INSZ>85073003328</INSZ>", b"<INSZ>85073003329</INSZ>")
    assert tampered != signed

    refused = _refused(tampered, keys)

    assert refused.code == "FailedCheck"
    assert "Digest mismatch" in str(refused)


def test_a_stretched_timestamp_is_refused(keys):
    signed = keys.balie_signer(_request())
    root = _tree(signed)
    expires = root.find(f"{SOAP}Header/{WSSE}Security/{WSU}Timestamp/{WSU}Expires")
    expires.text = "2099-01-01T00:00:00.000Z"

    assert _refused(etree.tostring(root), keys).code == "FailedCheck"


def test_an_expired_message_is_refused(keys):
    signed = sign_envelope(
        _request(),
        keys.balie_signer.key,
        keys.balie_cert,
        now=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=10),
    )

    refused = _refused(signed, keys)

    assert refused.code == "MessageExpired"
    # Within its five minutes (and a minute's clock skew) it was fine.
    verify_envelope(signed, [keys.balie_cert], now=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=8))


def test_a_message_from_the_future_is_refused(keys):
    signed = sign_envelope(
        _request(),
        keys.balie_signer.key,
        keys.balie_cert,
        now=dt.datetime.now(dt.UTC) + dt.timedelta(minutes=3),
    )

    assert _refused(signed, keys).code == "MessageExpired"


def test_a_certificate_that_is_not_trusted_is_refused(keys):
    signed = keys.stranger_signer(_request())

    assert _refused(signed, keys).code == "FailedAuthentication"


def test_a_trusted_certificate_with_a_strangers_signature_is_refused(keys):
    """The stranger puts Balie's certificate in the token but can only sign with their own key."""
    signed = keys.stranger_signer(_request())
    root = _tree(signed)
    token = root.find(f"{SOAP}Header/{WSSE}Security/{WSSE}BinarySecurityToken")
    token.text = base64.b64encode(keys.balie_cert.public_bytes(serialization.Encoding.DER)).decode()

    refused = _refused(etree.tostring(root), keys)

    assert refused.code == "FailedCheck"


def _forged_body(original: etree._Element) -> etree._Element:
    forged = etree.fromstring(etree.tostring(original))
    forged.attrib.pop(ID, None)
    insz = next(e for e in forged.iter() if e.tag == "INSZ")
    insz.text = "90010100190"
    return forged


@pytest.mark.parametrize("forged_id", [None, "Body-forged"])
def test_a_signed_body_moved_into_the_header_for_a_forged_one_is_refused(keys, forged_id):
    """Signature wrapping: the signed Body is kept (so every digest still matches) but moved into
    a header, and a forged Body takes its place."""
    signed = keys.balie_signer(_request())
    root = _tree(signed)
    body = root.find(f"{SOAP}Body")
    header = root.find(f"{SOAP}Header")
    forged = _forged_body(body)
    if forged_id:
        forged.set(ID, forged_id)
    etree.SubElement(header, "{urn:attacker}Wrapper").append(body)
    root.append(forged)
    wrapped = etree.tostring(root)
    # The signature as such is intact: a verifier that only checks the references is fooled.
    XMLVerifier().verify(
        etree.fromstring(wrapped),
        x509_cert=keys.balie_cert,
        expect_config=SignatureConfiguration(expect_references=2),
    )

    refused = _refused(wrapped, keys)

    assert refused.code == "FailedCheck"
    assert ("does not cover the Body" if forged_id else "carries no wsu:Id") in str(refused)


def test_a_forged_body_with_the_signed_bodys_id_is_refused(keys):
    signed = keys.balie_signer(_request())
    root = _tree(signed)
    body = root.find(f"{SOAP}Body")
    forged = _forged_body(body)
    forged.set(ID, body.get(ID))
    etree.SubElement(root.find(f"{SOAP}Header"), "{urn:attacker}Wrapper").append(body)
    root.append(forged)

    refused = _refused(etree.tostring(root), keys)

    assert refused.code == "FailedCheck"
    assert "appears twice" in str(refused)


def test_a_second_body_is_refused(keys):
    signed = keys.balie_signer(_request())
    root = _tree(signed)
    root.append(_forged_body(root.find(f"{SOAP}Body")))

    assert _refused(etree.tostring(root), keys).code == "InvalidSecurity"


def test_a_signature_over_the_body_only_is_refused(keys):
    """A signature that leaves out the timestamp would let an old message be replayed for ever."""
    signed = keys.balie_signer(_request())
    root = _tree(signed)
    signed_info = root.find(f"{SOAP}Header/{WSSE}Security/{DS}Signature/{DS}SignedInfo")
    signed_info.remove(signed_info.findall(f"{DS}Reference")[1])

    assert _refused(etree.tostring(root), keys).code == "FailedCheck"


def test_a_signature_that_also_covers_its_token_is_accepted(keys):
    signed = sign_envelope(_request(), keys.balie_signer.key, keys.balie_cert, sign_token=True)
    references = _tree(signed).findall(f".//{DS}Reference")
    assert len(references) == 3

    verify_envelope(signed, [keys.balie_cert])


def test_a_signature_over_more_of_the_header_is_accepted(keys):
    """A sender may sign other header parts too (WS-Addressing, say): what counts is that the Body
    and the Timestamp are among them."""
    root = _tree(_request())
    etree.SubElement(root.find(f"{SOAP}Header"), "{urn:other}Extra", {ID: "extra-1"}).text = "x"
    tree = _tree(keys.balie_signer(etree.tostring(root)))
    # Signed again by the same key, with the extra part among the references.
    security = tree.find(f"{SOAP}Header/{WSSE}Security")
    old = security.find(f"{DS}Signature")
    key_info = old.find(f"{DS}KeyInfo")
    security.remove(old)
    body_id = tree.find(f"{SOAP}Body").get(ID)
    timestamp_id = security.find(f"{WSU}Timestamp").get(ID)
    signature = XMLSigner(
        method=methods.detached, c14n_algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"
    ).sign(
        tree,
        key=keys.balie_signer.key,
        reference_uri=[f"#{body_id}", f"#{timestamp_id}", "#extra-1"],
        key_info=key_info,
    )
    security.append(signature)

    verify_envelope(etree.tostring(tree), [keys.balie_cert])


def test_a_doctype_is_refused(keys):
    signed = keys.balie_signer(_request())
    with_doctype = signed.replace(b"<soapenv:Envelope", b'<!DOCTYPE x [<!ENTITY e "x">]><soapenv:Envelope', 1)

    assert _refused(with_doctype, keys).code == "InvalidSecurity"


# -- interoperability: xmlsec1, an independent implementation ---------------------------------------

XMLSEC1 = shutil.which("xmlsec1")
ID_ATTRIBUTES = [
    *("--id-attr:Id", f"{SOAP_NS}:Body"),
    *("--id-attr:Id", f"{WSU_NS}:Timestamp"),
    *("--id-attr:Id", f"{WSSE_NS}:BinarySecurityToken"),
]


def _xmlsec1(*args: str) -> subprocess.CompletedProcess[str]:
    assert XMLSEC1 is not None
    return subprocess.run([XMLSEC1, *args], capture_output=True, text=True, timeout=60, check=False)  # noqa: S603


@pytest.mark.skipif(XMLSEC1 is None, reason="needs the xmlsec1 command")
def test_xmlsec1_verifies_balies_signature(keys, tmp_path):
    public_key = tmp_path / "balie.pub"
    public_key.write_bytes(
        keys.balie_cert.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    signed = tmp_path / "signed.xml"
    signed.write_bytes(keys.balie_signer(_request()))
    tampered = tmp_path / "tampered.xml"
    tampered.write_bytes(signed.read_bytes().replace(b"85073003328", b"85073003329"))

    ok = _xmlsec1("--verify", "--pubkey-pem", str(public_key), *ID_ATTRIBUTES, str(signed))
    bad = _xmlsec1("--verify", "--pubkey-pem", str(public_key), *ID_ATTRIBUTES, str(tampered))

    assert ok.returncode == 0, ok.stderr
    assert bad.returncode != 0


@pytest.mark.skipif(XMLSEC1 is None, reason="needs the xmlsec1 command")
def test_balie_verifies_a_signature_made_by_xmlsec1(keys, tmp_path):
    """A template (Balie's header with the digests and the signature value emptied, and the
    question changed afterwards) signed by xmlsec1 with MAGDA's key verifies in Balie."""
    root = _tree(keys.magda_signer(_request()))
    for value in root.iter(f"{DS}DigestValue", f"{DS}SignatureValue"):
        value.text = ""
    next(e for e in root.iter() if e.tag == "Referte").text = "changed-after-balie-signed"
    template = tmp_path / "template.xml"
    template.write_bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8"))
    output = tmp_path / "signed.xml"

    made = _xmlsec1(
        "--sign", "--privkey-pem", str(keys.magda.key), *ID_ATTRIBUTES, "--output", str(output), str(template)
    )

    assert made.returncode == 0, made.stderr
    signed = output.read_bytes()
    assert b"changed-after-balie-signed" in signed
    verify_envelope(signed, [keys.magda_signer.certificate])
    with pytest.raises(SignatureError):
        verify_envelope(
            signed.replace(b"changed-after-balie-signed", b"changed-again"), [keys.magda_signer.certificate]
        )


# -- the demo service checks requests ---------------------------------------------------------------


def _fault_code(answer: bytes) -> str:
    fault = messages.fault_of(messages.parse_xml(answer))
    assert fault is not None
    return fault.code


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda keys: _request(), "wsse:InvalidSecurity"),
        (
            lambda keys: keys.balie_signer(_request()).replace(b"85073003328", b"85073003329"),
            "wsse:FailedCheck",
        ),
        (lambda keys: keys.stranger_signer(_request()), "wsse:FailedAuthentication"),
        (
            lambda keys: sign_envelope(
                _request(),
                keys.balie_signer.key,
                keys.balie_cert,
                now=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1),
            ),
            "wsse:MessageExpired",
        ),
    ],
    ids=["unsigned", "tampered", "stranger", "expired"],
)
def test_the_demo_answers_a_security_fault(keys, make, code):
    magda = DemoMagda(trusted_certs=[keys.balie_cert], accept_test_numbers=lambda: False)

    status, answer = magda.answer(make(keys))

    assert status == 500
    assert _fault_code(answer) == code
    assert magda.behaviour.received == []


def test_the_demo_answers_a_signed_request_and_signs_its_answer(keys):
    magda = DemoMagda(
        trusted_certs=[keys.balie_cert], signer=keys.magda_signer, accept_test_numbers=lambda: False
    )

    status, answer = magda.answer(keys.balie_signer(_request()))

    assert status == 200
    verify_envelope(answer, [keys.magda_signer.certificate])
    assert magda.behaviour.received[0]["signed"] == "yes"
    person = messages.parse_person(messages.parse_reply(messages.parse_xml(answer)))
    assert person.insz == "85073003328"


# -- end to end: consult through the client --------------------------------------------------------


@pytest.fixture
def signed_magda(keys, settings) -> Iterator[DemoMagdaService]:
    """A demo service that verifies Balie's signature and signs its answers; Balie configured to
    sign with its key and to check answers against MAGDA's certificate."""
    service = DemoMagdaService(
        DemoMagda(
            trusted_certs=[keys.balie_cert], signer=keys.magda_signer, accept_test_numbers=lambda: False
        )
    ).start()
    settings.BALIE_MAGDA_URL = service.url
    settings.BALIE_MAGDA_TIMEOUT = 5.0
    settings.BALIE_MAGDA_SIGNER = ""
    settings.BALIE_MAGDA_SIGN_KEY = str(keys.balie.key)
    settings.BALIE_MAGDA_SIGN_CERT = str(keys.balie.cert)
    settings.BALIE_MAGDA_SERVER_CERT = str(keys.magda.cert)
    yield service
    service.stop()


def _only_row() -> Consultation:
    rows = list(Consultation.objects.all())
    assert len(rows) == 1, f"expected one consultation row, found {len(rows)}"
    return rows[0]


@pytest.mark.django_db
def test_a_signed_call_is_verified_and_answered(signed_magda, person, purpose, front_desk):
    consulted = consult(service=MagdaService.GEEF_PERSOON, party=person, purpose=purpose, by=front_desk)

    assert consulted.answer.insz == person.national_number
    assert _only_row().outcome == "ok"
    assert [r["signed"] for r in signed_magda.behaviour.received] == ["yes"]


@pytest.mark.django_db
def test_an_unsigned_call_gets_a_fault_a_clear_message_and_one_row(
    signed_magda, settings, person, purpose, front_desk
):
    settings.BALIE_MAGDA_SIGN_KEY = ""

    with pytest.raises(ConsultationError) as failed:
        consult(service=MagdaService.GEEF_PERSOON, party=person, purpose=purpose, by=front_desk)

    assert "MAGDA weigert het bericht van Balie" in failed.value.message
    assert "handtekening" in failed.value.message
    row = _only_row()
    assert (row.outcome, row.exception_code) == ("fault", "InvalidSecurity")
    assert signed_magda.behaviour.received == []


EXPIRED_SIGNER: list[WsSecuritySigner] = []


def expired_signer(envelope: bytes) -> bytes:
    """A BALIE_MAGDA_SIGNER whose clock is an hour behind."""
    signer = EXPIRED_SIGNER[0]
    return sign_envelope(
        envelope, signer.key, signer.certificate, now=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    )


@pytest.mark.django_db
def test_an_expired_call_gets_a_fault(keys, signed_magda, settings, person, purpose, front_desk):
    EXPIRED_SIGNER[:] = [keys.balie_signer]
    settings.BALIE_MAGDA_SIGNER = f"{__name__}.expired_signer"  # wins over the signing key

    with pytest.raises(ConsultationError) as failed:
        consult(service=MagdaService.GEEF_PERSOON, party=person, purpose=purpose, by=front_desk)

    assert "MessageExpired" in failed.value.message
    assert (_only_row().outcome, _only_row().exception_code) == ("fault", "MessageExpired")


TAMPERING: list[WsSecuritySigner] = []


def tampering_signer(envelope: bytes) -> bytes:
    """MAGDA's signature, then the answer changed on the way."""
    return TAMPERING[0](envelope).replace(b"Normale toestand", b"Faillissement")


@pytest.mark.parametrize("answer_signer", ["stranger", "tampered", "unsigned"])
@pytest.mark.django_db
def test_an_answer_without_a_valid_signature_is_refused_and_the_party_unchanged(
    keys, signed_magda, organisation, purpose, front_desk, answer_signer
):
    TAMPERING[:] = [keys.magda_signer]
    signed_magda.magda.signer = {
        "stranger": keys.stranger_signer,
        "tampered": tampering_signer,
        "unsigned": None,
    }[answer_signer]
    before = Party.objects.values().get(pk=organisation.pk)

    with pytest.raises(ConsultationError) as failed:
        fetch_enterprise(party=organisation, purpose=purpose, by=front_desk)

    assert "Het antwoord van MAGDA draagt geen geldige handtekening" in failed.value.message
    assert "niets aan de klant gewijzigd" in failed.value.message
    row = _only_row()
    assert (row.outcome, row.exception_code) == ("fault", "signature")
    assert Party.objects.values().get(pk=organisation.pk) == before
    assert [r["signed"] for r in signed_magda.behaviour.received] == ["yes"]  # it did answer


@pytest.mark.django_db
def test_an_unreadable_signing_key_is_one_row_and_nothing_sent(
    signed_magda, settings, tmp_path, person, purpose, front_desk
):
    settings.BALIE_MAGDA_SIGN_KEY = str(tmp_path / "missing.key")

    with pytest.raises(ConsultationError) as failed:
        consult(service=MagdaService.GEEF_PERSOON, party=person, purpose=purpose, by=front_desk)

    assert "niet ondertekenen" in failed.value.message
    assert (_only_row().outcome, _only_row().exception_code) == ("error", "signing")
    assert signed_magda.behaviour.received == []


def test_the_signer_is_the_custom_one_else_the_key_else_none(keys, settings):
    settings.BALIE_MAGDA_SIGN_KEY = str(keys.balie.key)
    settings.BALIE_MAGDA_SIGN_CERT = str(keys.balie.cert)
    settings.BALIE_MAGDA_SIGNER = f"{__name__}.expired_signer"
    assert configured_signer() is expired_signer

    settings.BALIE_MAGDA_SIGNER = ""
    signer = configured_signer()
    assert isinstance(signer, WsSecuritySigner) and signer.certificate == keys.balie_cert

    settings.BALIE_MAGDA_SIGN_KEY = ""
    assert configured_signer() is None


def test_a_key_that_does_not_match_its_certificate_is_refused(keys):
    with pytest.raises(Exception, match="does not belong"):
        load_signer(str(keys.balie.key), str(keys.magda.cert))


# -- balie demo: generated key pairs, signing both ways ----------------------------------------------


def test_demo_key_pairs_are_made_once_and_kept_private(tmp_path):
    first = demo_key_pair(tmp_path, "balie", "Balie demo")
    certificate = first.cert.read_bytes()

    again = demo_key_pair(tmp_path, "balie", "Balie demo")

    assert again.cert.read_bytes() == certificate
    assert first.key.stat().st_mode & 0o777 == 0o600


@pytest.mark.django_db
def test_the_balie_demo_service_checks_signatures_and_signs_answers(
    monkeypatch, settings, tmp_path, person, purpose, front_desk
):
    monkeypatch.setattr(demo_module, "balie_person", lambda number: None)  # no database in its thread
    monkeypatch.setattr(demo_module, "balie_enterprise", lambda number: None)
    settings.BALIE_MAGDA_SIGNER = ""
    settings.BALIE_MAGDA_SIGN_KEY = ""
    service, environment = demo_module.start_balie_demo_service(tmp_path)
    try:
        assert set(environment) == {
            "BALIE_MAGDA_URL",
            "BALIE_MAGDA_SERVER_CERT",
            "BALIE_MAGDA_SIGN_KEY",
            "BALIE_MAGDA_SIGN_CERT",
        }
        assert Path(environment["BALIE_MAGDA_SIGN_KEY"]).parent == tmp_path / "magda-demo"
        for key, value in environment.items():
            setattr(settings, key, value)

        consulted = consult(service=MagdaService.GEEF_PERSOON, party=person, purpose=purpose, by=front_desk)
        assert consulted.answer.insz == person.national_number

        settings.BALIE_MAGDA_SIGN_KEY = ""  # unsigned: refused
        with pytest.raises(ConsultationError):
            consult(service=MagdaService.GEEF_PERSOON, party=person, purpose=purpose, by=front_desk)
    finally:
        service.stop()
    assert list(Consultation.objects.order_by("id").values_list("outcome", flat=True)) == ["ok", "fault"]


# -- balie check --deploy ----------------------------------------------------------------------------


def _ids(settings, **values) -> list[str]:
    for key, value in values.items():
        setattr(settings, key, value)
    return [message.id for message in check_magda()]


PRODUCTION = {
    "BALIE_MAGDA_URL": "https://magda.example.be",
    "BALIE_MAGDA_CERT": "/etc/balie/magda.pem",
    "BALIE_MAGDA_SIGNER": "",
    "BALIE_MAGDA_SIGN_KEY_PASSWORD": "",
    "BALIE_MAGDA_SERVER_CERT": "",
}


def test_production_with_a_signing_key_passes(settings, keys):
    assert (
        _ids(
            settings,
            **PRODUCTION,
            BALIE_MAGDA_SIGN_KEY=str(keys.balie.key),
            BALIE_MAGDA_SIGN_CERT=str(keys.balie.cert),
        )
        == []
    )
    assert _ids(settings, BALIE_MAGDA_SERVER_CERT=str(keys.magda.cert)) == []


def test_production_without_a_signing_key_warns(settings):
    assert _ids(settings, **PRODUCTION, BALIE_MAGDA_SIGN_KEY="", BALIE_MAGDA_SIGN_CERT="") == ["balie.W104"]


@pytest.mark.parametrize(
    "change",
    [
        {"BALIE_MAGDA_SIGN_KEY": "/nowhere/balie.key"},
        {"BALIE_MAGDA_SIGN_CERT": ""},
        {"BALIE_MAGDA_SIGN_CERT": "magda.crt"},  # another key's certificate
    ],
    ids=["missing-key", "no-certificate", "mismatch"],
)
def test_a_signing_key_that_cannot_be_used_is_an_error(settings, keys, change):
    values = {"BALIE_MAGDA_SIGN_KEY": str(keys.balie.key), "BALIE_MAGDA_SIGN_CERT": str(keys.balie.cert)}
    for key, value in change.items():
        values[key] = str(keys.directory / value) if value.endswith(".crt") else value

    assert _ids(settings, **PRODUCTION, **values) == ["balie.E102"]


def test_an_unreadable_magda_certificate_is_an_error(settings, keys):
    ids = _ids(
        settings,
        **{**PRODUCTION, "BALIE_MAGDA_SERVER_CERT": str(keys.balie.key)},  # a key, not a certificate
        BALIE_MAGDA_SIGN_KEY=str(keys.balie.key),
        BALIE_MAGDA_SIGN_CERT=str(keys.balie.cert),
    )

    assert ids == ["balie.E103"]


def test_a_signing_certificate_about_to_expire_is_flagged(settings, keys, monkeypatch):
    monkeypatch.setattr("balie.authentic_sources.magda.checks.CERTIFICATE_WARNING", dt.timedelta(days=400))

    ids = _ids(
        settings,
        **PRODUCTION,
        BALIE_MAGDA_SIGN_KEY=str(keys.balie.key),
        BALIE_MAGDA_SIGN_CERT=str(keys.balie.cert),
    )

    assert ids == ["balie.W105"]
