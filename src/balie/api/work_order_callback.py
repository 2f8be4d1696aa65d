"""The work-order system's status callback: `POST /api/meldingen/werkorders/terugmelding`.

Signed (HMAC-SHA256 over timestamp, nonce and body; `reports.signing`), at most
BALIE_REPORTS_CALLBACK_MAX_AGE old, each nonce once: anything else is 401 and changes nothing. The
work-order system tries again on anything but a 2xx, so a failure to record it answers 503.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from balie.reports.work_orders import CallbackRefused, receive_callback

logger = logging.getLogger("balie.reports")

MAX_BODY_BYTES = 64 * 1024


@csrf_exempt
@require_POST
def work_order_callback(request: HttpRequest) -> JsonResponse:
    if len(request.body) > MAX_BODY_BYTES:
        return JsonResponse({"error": "too large"}, status=413)
    try:
        result = receive_callback(request.headers, request.body)
    except CallbackRefused as refused:
        logger.warning("work order callback refused", extra={"reason": str(refused)})
        return JsonResponse({"error": "not authenticated"}, status=401)
    except ValueError as error:
        return JsonResponse({"error": str(error)[:200]}, status=400)
    except DatabaseError:
        logger.exception("work order callback not recorded")
        return JsonResponse({"error": "try again later"}, status=503)
    return JsonResponse(
        {"report": result.report.case.number, "status": result.report.status, "outcome": result.outcome}
    )
