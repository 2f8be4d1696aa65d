"""`balie demo`'s certificates: made once in the data directory (keys readable by the owner only),
kept while they are good, made again when they are not; a real certificate in the environment wins."""

from __future__ import annotations

import stat

import pytest

from balie.documents.signing.demo import demo_chain, demo_environment
from balie.documents.signing.pades import load_pkcs12

PERSONAL = [("directeur", "Katrien Lambrechts")]


def _chain(tmp_path):
    return demo_chain(
        tmp_path, municipality="Gemeente Zonnedaal", personal=PERSONAL, personal_password="demo-2026"
    )


def test_the_demo_chain_is_made_once_and_kept(tmp_path):
    chain = _chain(tmp_path)
    for secret in ("root.key", "gemeente.p12", "gemeente.password", "persoonlijk/directeur.p12"):
        assert stat.S_IMODE((chain.directory / secret).stat().st_mode) == 0o600, secret
    seal = load_pkcs12(chain.municipality_pkcs12.read_bytes(), chain.municipality_password, label="zegel")
    assert seal.subject_name == "Gemeente Zonnedaal (DEMO)"
    assert seal.certificate.issuer == chain.root.certificate.subject
    own = load_pkcs12((chain.personal_dir / "directeur.p12").read_bytes(), "demo-2026", label="eigen")
    assert own.subject_name == "Katrien Lambrechts (DEMO)"
    assert "DEMO" in chain.root.certificate.subject.rfc4514_string()

    before = chain.municipality_pkcs12.read_bytes(), (chain.directory / "root.crt").read_bytes()
    again = _chain(tmp_path)
    assert (again.municipality_pkcs12.read_bytes(), (again.directory / "root.crt").read_bytes()) == before


def test_a_broken_demo_certificate_is_made_again(tmp_path):
    chain = _chain(tmp_path)
    chain.municipality_pkcs12.write_bytes(b"kapot")
    again = _chain(tmp_path)
    assert load_pkcs12(again.municipality_pkcs12.read_bytes(), again.municipality_password, label="zegel")
    assert (again.directory / "root.crt").read_bytes() == (chain.directory / "root.crt").read_bytes()


@pytest.mark.parametrize("real", ["BALIE_SIGNING_PKCS12", "BALIE_SIGNING_PKCS12_BASE64"])
def test_a_real_certificate_in_the_environment_wins(tmp_path, real):
    chain = _chain(tmp_path)
    environment = demo_environment(chain, {real: "x", "BALIE_SIGNING_TRUST_ROOTS": "/etc/belgium-root.pem"})
    assert "BALIE_SIGNING_PKCS12" not in environment and "BALIE_SIGNING_PKCS12_PASSWORD" not in environment
    assert environment["BALIE_SIGNING_TRUST_ROOTS"] == f"/etc/belgium-root.pem,{chain.root_pem}"
    assert environment["BALIE_SIGNING_PERSONAL_DIR"] == str(chain.personal_dir)
    assert demo_environment(chain, {})["BALIE_SIGNING_PKCS12"] == str(chain.municipality_pkcs12)
