"""The e-loket, under /e-loket/."""

from django.urls import path

from . import reporting, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("aanmelden", views.login_page, name="login"),
    path("aanmelden/vlaanderen", views.oidc_start, name="oidc_start"),
    path("aanmelden/terug", views.oidc_callback, name="oidc_callback"),
    path("afmelden", views.logout_view, name="logout"),
    path("registreren", views.register, name="register"),
    path("bevestigen/<str:token>", views.verify_email, name="verify"),
    path("mijn", views.mine, name="mine"),
    path("mijn/handelen-voor", views.act_for, name="act_for"),
    path("mijn/zaken/<uuid:case_id>", views.case_page, name="case"),
    path("mijn/brieven/<uuid:item_id>", views.letter_download, name="letter"),
    path("mijn/gegevens", views.my_data, name="my_data"),
    path("mijn/contactgegevens", views.contact_details, name="contact_details"),
    path("vraag", views.ask_question, name="question"),
    path("aanvragen/<slug:code>", views.e_service, name="e_service"),
]

# Complaints and reports (reporting.py): file a complaint, report a problem, follow one's reports.
urlpatterns += [
    path("klacht", reporting.complaint, name="complaint"),
    path("melding", reporting.report_new, name="report_new"),
    path("mijn/meldingen/<uuid:report_id>", reporting.report_page, name="report"),
    path(
        "mijn/meldingen/<uuid:report_id>/fotos/<uuid:photo_id>",
        reporting.report_photo,
        name="report_photo",
    ),
    path(
        "mijn/meldingen/<uuid:report_id>/fotos/<uuid:photo_id>/klein",
        reporting.report_photo,
        {"small": True},
        name="report_photo_small",
    ),
]
