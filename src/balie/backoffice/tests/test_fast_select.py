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


def test_the_contact_form_lists_the_same_choices_as_the_models_say(db, handler, front_desk):
    from balie.accounts.queries import active_employees, active_teams
    from balie.backoffice.forms.contacts import ContactMomentForm

    form = ContactMomentForm()
    assert list(form.fields["team"].choices)[1:] == [
        (team.pk, f"{team.department.name} – {team.name}") for team in active_teams()
    ]
    assert list(form.fields["assignee"].choices)[1:] == [(u.pk, str(u)) for u in active_employees()]
    assert next(iter(form.fields["assignee"].choices)) == ("", "— geen bepaalde medewerker —")


def test_a_chosen_option_is_selected_and_a_submitted_one_validated(db, handler, omgeving):
    from balie.backoffice.forms.contacts import ContactMomentForm

    form = ContactMomentForm(
        {"channel": "phone", "direction": "in", "summary": "x", "department": omgeving.pk, "description": "y"}
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["department"] == omgeving
    assert f'<option value="{omgeving.pk}" selected>Omgeving</option>' in str(form["department"])
    bad = ContactMomentForm({"channel": "phone", "direction": "in", "summary": "x", "department": 999999})
    assert not bad.is_valid() and "department" in bad.errors


def test_a_field_looked_up_by_public_id_offers_public_ids(db, handler, omgeving):
    """The case page's assign form names departments and employees by uuid: a browser must be
    offered those, and the one chosen before must show as chosen."""
    from balie.backoffice.forms.cases import AssignForm

    form = AssignForm(initial={"department": omgeving.uuid, "handler": handler.uuid})

    assert f'<option value="{omgeving.uuid}" selected>Omgeving</option>' in str(form["department"])
    assert f'<option value="{handler.uuid}" selected>Hans Handel</option>' in str(form["handler"])
    posted = AssignForm({"toewijzen-department": str(omgeving.uuid), "toewijzen-handler": str(handler.uuid)})
    assert posted.is_valid(), posted.errors
    assert (posted.cleaned_data["department"], posted.cleaned_data["handler"]) == (omgeving, handler)
