"""Where the signing certificates come from: secret settings, never the database.

- The municipality's certificate (its seal, or the certificate an organisation signs with): a
  PKCS#12 file at BALIE_SIGNING_PKCS12, or the same bytes in base64 in BALIE_SIGNING_PKCS12_BASE64
  (for platforms that hand secrets over as environment variables), with its password in
  BALIE_SIGNING_PKCS12_PASSWORD.
- An employee's own certificate: `<username>.p12` in the directory BALIE_SIGNING_PERSONAL_DIR
  (readable by Balie only). Its password is not stored anywhere: the employee types it when they
  sign, so nobody who can read the server's files can sign in their name.
"""

from __future__ import annotations

import base64
import binascii
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..models import CertificateKind
from .pades import Credentials, load_pkcs12

PERSONAL_SUFFIX = ".p12"


def municipality_configured() -> bool:
    return bool(
        str(getattr(settings, "BALIE_SIGNING_PKCS12", "") or "").strip()
        or str(getattr(settings, "BALIE_SIGNING_PKCS12_BASE64", "") or "").strip()
    )


def _municipality_bytes() -> bytes:
    encoded = str(getattr(settings, "BALIE_SIGNING_PKCS12_BASE64", "") or "").strip()
    if encoded:
        try:
            return base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            raise ValidationError(
                _("Het certificaat van de gemeente (BALIE_SIGNING_PKCS12_BASE64) is geen geldige base64.")
            ) from None
    path = str(getattr(settings, "BALIE_SIGNING_PKCS12", "") or "").strip()
    if not path:
        raise ValidationError(
            _(
                "Er is geen certificaat van de gemeente ingesteld om mee te ondertekenen. Vraag de "
                "ICT-dienst BALIE_SIGNING_PKCS12 in te stellen."
            )
        )
    try:
        return Path(path).read_bytes()
    except OSError:
        raise ValidationError(
            _("Het certificaat van de gemeente kan niet gelezen worden (BALIE_SIGNING_PKCS12).")
        ) from None


def municipality_credentials() -> Credentials:
    return load_pkcs12(
        _municipality_bytes(),
        str(getattr(settings, "BALIE_SIGNING_PKCS12_PASSWORD", "") or ""),
        label=_("het certificaat van de gemeente"),
    )


def _personal_path(user: Any) -> Path | None:
    directory = str(getattr(settings, "BALIE_SIGNING_PERSONAL_DIR", "") or "").strip()
    username = str(getattr(user, "username", "") or "")
    if not directory or not username or "/" in username or "\\" in username or username.startswith("."):
        return None
    return Path(directory) / f"{username}{PERSONAL_SUFFIX}"


def personal_configured(user: Any) -> bool:
    path = _personal_path(user)
    return path is not None and path.is_file()


def personal_credentials(user: Any, password: str) -> Credentials:
    label = _("uw persoonlijk certificaat")
    path = _personal_path(user)
    if path is None or not path.is_file():
        raise ValidationError(
            _(
                "Er is geen persoonlijk certificaat voor u ingesteld. Vraag de ICT-dienst uw "
                "certificaat te plaatsen, of laat de procedure met het certificaat van de gemeente "
                "ondertekenen."
            )
        )
    if not password:
        raise ValidationError({"password": _("Geef het wachtwoord van uw certificaat.")})
    try:
        data = path.read_bytes()
    except OSError:
        raise ValidationError(_("Uw persoonlijk certificaat kan niet gelezen worden.")) from None
    try:
        return load_pkcs12(data, password, label=label)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None


def credentials_for(kind: str, *, user: Any, password: str = "") -> Credentials:
    """The credentials a step signs with: the municipality's, or the acting employee's own."""
    if kind == CertificateKind.PERSONAL:
        return personal_credentials(user, password)
    return municipality_credentials()
