"""Balie's settings, unchanged but for the URLconf that adds the bare baseline view."""

from balie.conf.settings import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
