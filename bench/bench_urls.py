"""The real URLs plus a bare view: the baseline every figure is divided by."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [
    path("bench/bare", bare, name="bench_bare"),
    path("", include("balie.conf.urls")),
]
