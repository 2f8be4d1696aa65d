from django.urls import path
from django.views.generic import TemplateView

app_name = "backoffice"

urlpatterns = [
    path("", TemplateView.as_view(template_name="base.html"), name="home"),
    path("login", TemplateView.as_view(template_name="base.html"), name="login"),
    path("contact/<uuid:uuid>", TemplateView.as_view(template_name="base.html"), name="contact_moment"),
    path("taken/<uuid:uuid>", TemplateView.as_view(template_name="base.html"), name="task"),
]
