"""Top-level URLs: the back-office, the API, health."""

from django.urls import include, path

from .health import health

urlpatterns = [
    path("health", health, name="health"),
    path("api/", include("balie.api.urls")),
    path("", include("balie.backoffice.urls")),
]
