"""The demo's certificates: a demo root CA, the municipality's certificate and the demo signers'
own certificates, made by `balie demo` in `<data dir>/signing-demo/` the first time it starts
(and again when they are unreadable or about to expire). DEMO ONLY: the keys are made on this
machine, never committed, trusted by nobody else; the root is named "DEMO" so that no one
mistakes a demo signature for a real one.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from .certificates import Issued, issue, make_root

DIRECTORY = "signing-demo"
ROOT_NAME = "Balie DEMO root CA (niet vertrouwen)"
RENEW_BEFORE = dt.timedelta(days=30)


@dataclass(frozen=True)
class DemoChain:
    root: Issued
    directory: Path
    municipality_pkcs12: Path
    municipality_password: str
    personal_dir: Path
    root_pem: Path


def _write_secret(path: Path, data: bytes) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    os.chmod(path, 0o600)


def _load_root(directory: Path) -> Issued | None:
    try:
        certificate = x509.load_pem_x509_certificate((directory / "root.crt").read_bytes())
        key = serialization.load_pem_private_key((directory / "root.key").read_bytes(), password=None)
    except (OSError, ValueError):
        return None
    if certificate.not_valid_after_utc - RENEW_BEFORE < dt.datetime.now(dt.UTC):
        return None
    return Issued(key=key, certificate=certificate)  # type: ignore[arg-type]


def _fresh(path: Path, root: Issued, password: str) -> bool:
    """Whether the PKCS#12 at `path` opens, is issued by this root and is valid for a while yet."""
    from cryptography.hazmat.primitives.serialization import pkcs12

    try:
        _key, certificate, _others = pkcs12.load_key_and_certificates(path.read_bytes(), password.encode())
    except (OSError, ValueError):
        return False
    return bool(
        certificate is not None
        and certificate.issuer == root.certificate.subject
        and certificate.not_valid_after_utc - RENEW_BEFORE > dt.datetime.now(dt.UTC)
    )


def demo_chain(
    data_dir: Path | str, *, municipality: str, personal: list[tuple[str, str]], personal_password: str
) -> DemoChain:
    """The demo chain in `<data_dir>/signing-demo/`, made or renewed as needed. `personal`:
    (username, full name) of the demo signers who get a certificate of their own, protected by
    `personal_password` (the demo's printed password)."""
    directory = Path(data_dir) / DIRECTORY
    directory.mkdir(parents=True, exist_ok=True)
    os.chmod(directory, 0o700)
    personal_dir = directory / "persoonlijk"
    personal_dir.mkdir(exist_ok=True)
    root = _load_root(directory)
    renewed = root is None
    if root is None:
        root = make_root(ROOT_NAME, organisation="Balie demo", days=3 * 365)
        _write_secret(
            directory / "root.key",
            root.key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            ),
        )
        (directory / "root.crt").write_bytes(root.certificate_pem())
    password_file = directory / "gemeente.password"
    try:
        password = password_file.read_text().strip()
    except OSError:
        password = ""
    if not password:
        password = secrets.token_urlsafe(18)
        _write_secret(password_file, password.encode())
    municipality_file = directory / "gemeente.p12"
    if renewed or not _fresh(municipality_file, root, password):
        seal = issue(root, f"{municipality} (DEMO)", organisation=municipality, not_after=None)
        _write_secret(municipality_file, seal.pkcs12(password, name="gemeente"))
    for username, full_name in personal:
        path = personal_dir / f"{username}.p12"
        if renewed or not _fresh(path, root, personal_password):
            own = issue(root, f"{full_name} (DEMO)", organisation=municipality)
            _write_secret(path, own.pkcs12(personal_password, name=username))
    return DemoChain(
        root=root,
        directory=directory,
        municipality_pkcs12=municipality_file,
        municipality_password=password,
        personal_dir=personal_dir,
        root_pem=directory / "root.crt",
    )


def demo_environment(chain: DemoChain, environ: dict[str, str] | os._Environ[str]) -> dict[str, str]:
    """The settings that make Balie sign with the demo chain, for what `environ` does not set
    itself (a real certificate configured for the demo wins)."""
    environment: dict[str, str] = {}
    if not environ.get("BALIE_SIGNING_PKCS12") and not environ.get("BALIE_SIGNING_PKCS12_BASE64"):
        environment["BALIE_SIGNING_PKCS12"] = str(chain.municipality_pkcs12)
        environment["BALIE_SIGNING_PKCS12_PASSWORD"] = chain.municipality_password
    if not environ.get("BALIE_SIGNING_PERSONAL_DIR"):
        environment["BALIE_SIGNING_PERSONAL_DIR"] = str(chain.personal_dir)
    roots = [part for part in str(environ.get("BALIE_SIGNING_TRUST_ROOTS", "")).split(",") if part.strip()]
    if str(chain.root_pem) not in roots:
        environment["BALIE_SIGNING_TRUST_ROOTS"] = ",".join([*roots, str(chain.root_pem)])
    return environment
