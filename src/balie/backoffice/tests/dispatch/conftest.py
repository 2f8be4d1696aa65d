"""The dispatch tests' own fixtures: addressees, an outgoing letter, real SMTP and the demo eBox."""

from balie.correspondence.tests.conftest import media_root  # noqa: F401
from balie.correspondence.tests.dispatch.conftest import (  # noqa: F401
    _demo_ebox_server,
    citizen_party,
    company,
    demo_ebox,
    letter,
    smtp_inbox,
)
