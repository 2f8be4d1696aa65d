"""The payment provider's webhook: `POST /api/betalingen/webhook` (not part of the REST API).

Authenticated by its Standard Webhooks signature (payments.adapters.provider); a forged, stale or
unknown one answers 401 and changes nothing; a replay answers 200 and changes nothing. The
provider retries on anything but a 2xx, so a failure to record answers 503.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from balie.payments.adapters.provider import WebhookRefused
from balie.payments.online import handle_webhook

logger = logging.getLogger("balie.payments")

MAX_BODY_BYTES = 64 * 1024


@csrf_exempt
@require_POST
def payment_provider_webhook(request: HttpRequest) -> JsonResponse:
    if len(request.body) > MAX_BODY_BYTES:
        return JsonResponse({"error": "too large"}, status=413)
    headers = {name.lower(): value for name, value in request.headers.items()}
    try:
        outcome = handle_webhook(headers=headers, body=request.body)
    except WebhookRefused as refused:
        logger.warning("payment webhook refused", extra={"reason": str(refused)})
        return JsonResponse({"error": "refused"}, status=401)
    except DatabaseError:
        logger.exception("payment webhook not recorded")
        return JsonResponse({"error": "try again later"}, status=503)
    return JsonResponse({"outcome": outcome})
