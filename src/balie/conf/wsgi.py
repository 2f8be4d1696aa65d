"""WSGI entry point for `balie serve`."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "balie.conf.settings")
application = get_wsgi_application()
# Import every URL and view now, not on a worker's first request (that took ~3 s): with
# gunicorn's preload_app the workers are forked warm.
get_resolver().url_patterns  # noqa: B018
# What is loaded now lives as long as the process: out of the garbage collector's sight, so that a
# full collection in a request (one that builds many objects, such as a month's availability of
# 200 rooms) walks only the request's own objects (a pause of ~100 ms became ~3 ms), and forked
# workers keep sharing these pages instead of copying them when the collector touches them.
gc.freeze()
