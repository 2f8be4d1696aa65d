"""Gunicorn settings for `balie serve` (loaded as `-c python:balie.conf.gunicorn`).

Every value can be overridden on the command line; the environment variables are in .env.example.
Request lines are logged by Balie's own middleware (paths without query strings, no personal
data), so gunicorn's access log stays off and its error log is JSON like the rest.
"""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import environ

# The same .env as the Django settings (read before them: gunicorn's master never loads Django).
_DOTENV = Path(__file__).resolve().parents[3] / ".env"
if _DOTENV.exists():
    environ.Env.read_env(str(_DOTENV))

bind = os.environ.get("BALIE_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("BALIE_WEB_WORKERS", str(min(2 * multiprocessing.cpu_count() + 1, 9))))
threads = int(os.environ.get("BALIE_WEB_THREADS", "1"))
timeout = int(os.environ.get("BALIE_WEB_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then: a slow leak in any library never grows without bound.
max_requests = 2000
max_requests_jitter = 200
# Load Balie once in the master and fork warm workers (see balie/conf/wsgi.py); no database
# connection is opened before the fork.
preload_app = True
# Trust X-Forwarded-* only from the reverse proxy (comma-separated addresses, or * behind a LB).
forwarded_allow_ips = os.environ.get("BALIE_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = None
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "balie.core.logging.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
    },
}
# No runtime control socket: several instances on one machine would fight over its one path.
control_socket_disable = True
