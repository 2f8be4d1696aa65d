"""The Belgian structured communication (OGM / VCS): `+++123/4567/89002+++`.

Ten digits and a two-digit check: the ten digits modulo 97, and 97 where that is 0. The check is
python-stdnum's (`stdnum.be.ogm_vcs`); this module only says it in Dutch and makes new ones.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.be import ogm_vcs
from stdnum.exceptions import InvalidChecksum
from stdnum.exceptions import ValidationError as StdnumError

OGM_IN_TEXT = re.compile(r"(?:\+{3}|\*{3})?\s*(\d{3})\s*/?\s*(\d{4})\s*/?\s*(\d{5})\s*(?:\+{3}|\*{3})?")


def check_digits(base: str) -> str:
    """The two check digits of ten digits: mod 97, and 97 for a remainder of 0."""
    remainder = int(base) % 97
    return f"{remainder or 97:02d}"


def make_ogm(base: int) -> str:
    """The compact 12 digits for a sequence number (at most ten digits)."""
    digits = f"{base:010d}"
    if len(digits) != 10:
        raise ValueError("an OGM holds ten digits before its check")
    return digits + check_digits(digits)


def format_ogm(compact: str) -> str:
    return f"+++{compact[0:3]}/{compact[3:7]}/{compact[7:12]}+++"


def validate_ogm(value: str) -> str:
    """The compact form of a typed OGM; a wrong length or check digit is refused in Dutch."""
    try:
        return str(ogm_vcs.validate((value or "").replace("*", "").replace("+", "")))
    except InvalidChecksum as error:
        raise ValidationError(
            _("De gestructureerde mededeling %(value)s klopt niet: het controlegetal is fout.")
            % {"value": value[:30]},
            code="ogm_checksum",
        ) from error
    except StdnumError as error:
        raise ValidationError(
            _("„%(value)s” is geen gestructureerde mededeling (12 cijfers, zoals +++123/4567/89002+++).")
            % {"value": value[:30]},
            code="ogm_format",
        ) from error


def find_ogm(text: str) -> str | None:
    """A valid OGM in free text (a bank line's communication), compact, or None."""
    for match in OGM_IN_TEXT.finditer(text or ""):
        compact = "".join(match.groups())
        if ogm_vcs.is_valid(compact):
            return compact
    return None
