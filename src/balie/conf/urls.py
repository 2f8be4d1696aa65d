"""Top-level URLs: the back-office, the API, health, the language switch."""

from django.urls import include, path

from .health import health

urlpatterns = [
    path("health", health, name="health"),
    path("api/", include("balie.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("e-loket/", include("balie.portal.urls")),  # set_language: i18n/setlang/
    path("", include("balie.backoffice.urls")),
]

handler404 = "balie.conf.errors.page_not_found"
handler403 = "balie.conf.errors.permission_denied"
handler500 = "balie.conf.errors.server_error"
