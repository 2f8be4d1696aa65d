"""WSGI entry point for `balie serve`."""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "balie.conf.settings")
application = get_wsgi_application()
# Import every URL and view now, not on a worker's first request (that took ~3 s): with
# gunicorn's preload_app the workers are forked warm.
get_resolver().url_patterns  # noqa: B018
