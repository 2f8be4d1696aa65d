"""Rate limits for what anyone on the internet can do (the e-loket's forms), counted in the
database so that every web worker shares them. A key is hashed before it is stored: no address
in the clear. Old windows are removed by a daily job."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from .models import RateWindow


def _hashed(key: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), key.encode(), hashlib.sha256).hexdigest()


def client_address(request: HttpRequest) -> str:
    """The client's address as gunicorn gives it (it rewrites REMOTE_ADDR from a trusted proxy)."""
    return str(request.META.get("REMOTE_ADDR", ""))


def allow(*, scope: str, key: str, limit: int, per: dt.timedelta, now: dt.datetime | None = None) -> bool:
    """Count one more try of `scope` by `key`; False when that is more than `limit` in the window."""
    now = now or timezone.now()
    seconds = int(per.total_seconds())
    start = dt.datetime.fromtimestamp(int(now.timestamp()) // seconds * seconds, tz=dt.UTC)
    hashed = _hashed(f"{scope}:{key}")
    for _attempt in range(3):
        with transaction.atomic():
            updated = RateWindow.objects.filter(key=hashed, window_start=start).update(hits=F("hits") + 1)
            if updated:
                hits = RateWindow.objects.values_list("hits", flat=True).get(key=hashed, window_start=start)
                return hits <= limit
            try:
                with transaction.atomic():
                    RateWindow.objects.create(key=hashed, window_start=start, hits=1)
            except IntegrityError:
                continue  # another request made the row first: count again on it
            return limit >= 1
    return False


def purge_rate_windows(*, older_than: dt.timedelta = dt.timedelta(days=1)) -> int:
    deleted, _rows = RateWindow.objects.filter(window_start__lt=timezone.now() - older_than).delete()
    return deleted
