"""The employee workspace. Paths are Dutch (what people see in the address bar)."""

from django.urls import path

from .views import contacts, home, parties, party_details, privacy, search, tasks
from .views.auth import LoginView, LogoutView

app_name = "backoffice"

urlpatterns = [
    path("", home.home, name="home"),
    path("aanmelden", LoginView.as_view(), name="login"),
    path("afmelden", LogoutView.as_view(), name="logout"),
    path("zoeken", search.search, name="search"),
    # Customers (parties)
    path("klanten/nieuw", parties.party_create, name="party_create"),
    path("klanten/gelijkaardig", parties.party_similar, name="party_similar"),
    path("klanten/<uuid:uuid>", parties.party_detail, name="party"),
    path("klanten/<uuid:uuid>/wijzigen", parties.party_edit, name="party_edit"),
    path("klanten/<uuid:uuid>/geschiedenis", parties.party_history, name="party_history"),
    path("klanten/<uuid:uuid>/contactgegeven", party_details.contact_point_add, name="contact_point_add"),
    path("klanten/<uuid:uuid>/adres", party_details.address_add, name="address_add"),
    path("klanten/<uuid:uuid>/samenvoegen", party_details.merge_pick, name="merge_pick"),
    path("klanten/<uuid:uuid>/samenvoegen/<uuid:other>", party_details.merge_confirm, name="merge_confirm"),
    path("klanten/<uuid:uuid>/contact", contacts.register_for_party, name="register_for_party"),
    # Contact moments and tasks
    path("contact/nieuw", contacts.register_anonymous, name="register_contact"),
    path("contact/doorgeven", contacts.handoff_fields, name="handoff_fields"),
    path("contact/<uuid:uuid>", contacts.contact_moment_detail, name="contact_moment"),
    path("taken/<uuid:uuid>", tasks.task_detail, name="task"),
    path("taken/<uuid:uuid>/afwerken", tasks.task_complete, name="task_complete"),
    path("taken/<uuid:uuid>/heropenen", tasks.task_reopen, name="task_reopen"),
    path("taken/<slug:scope>", tasks.task_list, name="tasks"),
    # Privacy officer
    path("privacy/inzages", privacy.access_log, name="access_log"),
    path("privacy/inzages.csv", privacy.access_log_csv, name="access_log_csv"),
    path("privacy/wijzigingen", privacy.change_log, name="change_log"),
    path("privacy/wijzigingen.csv", privacy.change_log_csv, name="change_log_csv"),
]
