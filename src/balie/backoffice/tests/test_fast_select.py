from django import forms
from django.test.html import parse_html

from balie.backoffice.forms.common import FastSelect

CHOICES = [("", "— geen —"), ("1", "Burgerzaken & <Co>"), ("2", 'Omgeving "Wegen"')]
GROUPED = [("Diensten", [("1", "Burgerzaken"), ("2", "Omgeving")]), ("3", "Losse keuze")]


def test_it_writes_the_same_markup_as_djangos_select():
    for choices in (CHOICES, GROUPED):
        for value in ("", "2", None):
            attrs = {"id": "id_department", "aria-describedby": "id_department_error", "required": True}
            django_html = forms.Select(choices=choices).render("department", value, attrs=attrs)
            fast_html = FastSelect(choices=choices).render("department", value, attrs=attrs)
            assert parse_html(fast_html) == parse_html(django_html)


def test_it_escapes_labels_and_values():
    html = FastSelect(choices=[('"><script>', "<b>x</b>")]).render("x", None)
    assert "<script>" not in html and "<b>" not in html
