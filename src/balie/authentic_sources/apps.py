from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuthenticSourcesConfig(AppConfig):
    name = "balie.authentic_sources"
    label = "authentic_sources"
    verbose_name = _("Authentieke bronnen")

    def ready(self) -> None:
        self._register_address_checks()
        self._register_magda()

    def _register_magda(self) -> None:
        # Locked fields, party merges, the consultation-log purge and the weekly refresh.
        from .magda_setup import register

        register()

    def _register_address_checks(self) -> None:
        # Belgian addresses: the postcode must exist and the municipality go with it (parties asks).
        from balie.parties.registries import address_checkers

        from .addresses import checks  # noqa: F401 - registers the deployment checks
        from .addresses.postcodes import check_address

        address_checkers.add("postcodes", check_address)
