"""The municipality field of an address form, filled in from the postcode as it is typed (htmx)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from balie.authentic_sources.addresses.postcodes import lookup_postcode

from ..access import EmployeeRequest, employee_required
from ..forms.parties import AddressForm


def municipality_names(postcode: str, country: str = "BE") -> list[str]:
    """The names accepted with a Belgian postcode (municipality and places), for the field's list."""
    if country.strip().upper() != "BE":
        return []
    found = lookup_postcode(postcode)
    return found.names() if found is not None else []


@employee_required
def postcode_lookup(request: EmployeeRequest) -> HttpResponse:
    """The municipality field again: filled in when it is empty or does not go with the postcode,
    with the accepted names as suggestions. Public reference data only: nothing is logged."""
    postcode = request.GET.get("postcode", "").strip()[:12]
    municipality = request.GET.get("municipality", "").strip()[:100]
    country = request.GET.get("country", "BE").strip().upper()[:2] or "BE"
    names: list[str] = []
    note = ""
    if country == "BE" and len(postcode) == 4 and postcode.isdigit():
        found = lookup_postcode(postcode)
        if found is None:
            note = _("Postcode %(postcode)s bestaat niet in België.") % {"postcode": postcode}
        else:
            names = found.names()
            matched = found.match(municipality) if municipality else None
            if matched:
                municipality = matched
            elif found.municipality is not None:
                municipality = found.municipality.name
            else:
                note = _("Postcode %(postcode)s hoort bij meer gemeenten: kies er een.") % {
                    "postcode": postcode
                }
    form = AddressForm(initial={"municipality": municipality})
    return render(
        request,
        "backoffice/parties/_municipality_field.html",
        {"form": form, "municipality_names": names, "postcode_note": note},
    )
