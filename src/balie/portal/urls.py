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

# -- room booking and payments (portal/rooms.py) -------------------------------------------------
from . import rooms  # noqa: E402

urlpatterns += [
    path("zalen", rooms.room_list, name="rooms"),
    path("zalen/<slug:code>", rooms.room_page, name="room"),
    path("mijn/reservaties/<uuid:booking_id>", rooms.booking_page, name="booking"),
    path("mijn/reservaties/<uuid:booking_id>/betalen", rooms.booking_pay, name="booking_pay"),
    path("mijn/reservaties/<uuid:booking_id>/annuleren", rooms.booking_cancel, name="booking_cancel"),
    path("mijn/reservaties/<uuid:booking_id>/agenda.ics", rooms.booking_calendar, name="booking_calendar"),
    path("mijn/betalingen", rooms.payment_list, name="payments"),
    path("mijn/betalingen/<uuid:order_id>", rooms.payment_page, name="payment"),
    path("mijn/betalingen/<uuid:order_id>/betalen", rooms.payment_pay, name="payment_pay"),
    path("mijn/betalingen/<uuid:order_id>/factuur.pdf", rooms.payment_invoice, name="payment_invoice"),
    path("mijn/kastickets/<uuid:receipt_id>.pdf", rooms.payment_receipt, name="payment_receipt"),
]
