"""Custom attributes of a case: each value checked against its definition, in one place.

Values are stored as JSON: text and choice as strings, numbers as numbers, dates as ISO dates,
a party as its public id, an address as a small dict. The errors are keyed by attribute code.
"""

from __future__ import annotations

import datetime as dt
import decimal
import re
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from balie.core.validators import validate_plain_text
from balie.parties.models import Party

from .models import AttributeDefinition, AttributeKind

ADDRESS_KEYS = ("street", "house_number", "box", "postcode", "municipality")
_POSTCODE = re.compile(r"^[1-9]\d{3}$")


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == {} or value == []


def clean_attribute(definition: AttributeDefinition, value: Any) -> Any:
    """The stored form of `value`, or ValidationError with a message for the employee."""
    kind = definition.kind
    if kind == AttributeKind.TEXT:
        if not isinstance(value, str):
            raise ValidationError(_("Vul tekst in."))
        text = value.strip()
        if len(text) > definition.max_length:
            raise ValidationError(
                _("Maximaal %(max)d tekens (nu %(now)d).") % {"max": definition.max_length, "now": len(text)}
            )
        validate_plain_text(text)
        return text
    if kind == AttributeKind.NUMBER:
        if isinstance(value, bool):
            raise ValidationError(_("Vul een getal in."))
        try:
            number = decimal.Decimal(str(value).strip().replace(",", "."))
        except decimal.InvalidOperation:
            raise ValidationError(_("Vul een getal in.")) from None
        if not number.is_finite():
            raise ValidationError(_("Vul een getal in."))
        if definition.min_value is not None and number < definition.min_value:
            raise ValidationError(_("Minstens %(min)s.") % {"min": definition.min_value})
        if definition.max_value is not None and number > definition.max_value:
            raise ValidationError(_("Hoogstens %(max)s.") % {"max": definition.max_value})
        return int(number) if number == number.to_integral_value() else float(number)
    if kind == AttributeKind.DATE:
        if isinstance(value, dt.datetime):
            raise ValidationError(_("Vul een datum in (dd/mm/jjjj)."))
        if isinstance(value, dt.date):
            return value.isoformat()
        text = str(value).strip()
        for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
            try:
                return dt.datetime.strptime(text, fmt).date().isoformat()
            except ValueError:
                continue
        raise ValidationError(_("Vul een datum in (dd/mm/jjjj)."))
    if kind == AttributeKind.CHOICE:
        if not isinstance(value, str) or value not in definition.choices:
            raise ValidationError(_("Kies een van de mogelijkheden."))
        return value
    if kind == AttributeKind.PARTY:
        try:
            party_uuid = uuid.UUID(str(value))
        except ValueError:
            raise ValidationError(_("Kies een klant.")) from None
        if not Party.objects.filter(uuid=party_uuid, merged_into__isnull=True).exists():
            raise ValidationError(_("Deze klant bestaat niet (meer)."))
        return str(party_uuid)
    if kind == AttributeKind.ADDRESS:
        if not isinstance(value, Mapping):
            raise ValidationError(_("Vul een adres in."))
        unknown = set(value) - set(ADDRESS_KEYS)
        if unknown:
            raise ValidationError(
                _("Onbekende adresvelden: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
            )
        address = {key: str(value.get(key) or "").strip() for key in ADDRESS_KEYS}
        for key in ADDRESS_KEYS:
            if len(address[key]) > 100:
                raise ValidationError(_("Een adresveld is te lang."))
            validate_plain_text(address[key])
        if not address["street"] or not address["municipality"]:
            raise ValidationError(_("Vul minstens de straat en de gemeente in."))
        if not _POSTCODE.match(address["postcode"]):
            raise ValidationError(_("Een Belgische postcode heeft vier cijfers."))
        return address
    raise ValidationError(_("Onbekende soort kenmerk."))  # pragma: no cover - guarded by choices


def clean_attributes(
    definitions: Iterable[AttributeDefinition],
    values: Mapping[str, Any],
    *,
    current: Mapping[str, Any] | None = None,
    partial: bool = False,
) -> dict[str, Any]:
    """Check every value; returns the complete new dict. With `partial`, only the given codes
    change and the rest of `current` stays; required attributes must end up filled either way."""
    by_code = {definition.code: definition for definition in definitions}
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(values) - set(by_code))
    for code in unknown:
        errors[code] = [_("Dit zaaktype kent geen kenmerk '%(code)s'.") % {"code": code}]
    result: dict[str, Any] = dict(current or {}) if partial else {}
    for code, definition in by_code.items():
        if code not in values:
            continue
        value = values[code]
        if _empty(value):
            result.pop(code, None)
            continue
        try:
            result[code] = clean_attribute(definition, value)
        except ValidationError as error:
            errors[code] = error.messages
    for code, definition in by_code.items():
        if definition.required and _empty(result.get(code)) and code not in errors:
            errors[code] = [_("%(label)s is verplicht.") % {"label": definition.label}]
    if errors:
        raise ValidationError(errors)
    return result
