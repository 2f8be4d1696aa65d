"""The external signing platform's callback: `POST /api/ondertekening/platform/<request>?token=…`.

Authenticated by the token in the address (documents.signing.platform), which only the platform
was given; a wrong token and an unknown request are the same "not found". Idempotent: the same
callback twice changes nothing the second time. The platform tries again on anything but a 2xx,
so a failure to record it answers 503.
"""

from __future__ import annotations

import json
import logging
import uuid

from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from balie.documents.signing.platform import handle_callback, request_for_callback

logger = logging.getLogger("balie.signing.platform")

MAX_BODY_BYTES = 64 * 1024


@csrf_exempt
@require_POST
def signing_platform_callback(request: HttpRequest, uuid: uuid.UUID) -> JsonResponse:
    signing_request = request_for_callback(uuid, request.GET.get("token", ""))
    if signing_request is None:
        return JsonResponse({"error": "not found"}, status=404)
    if len(request.body) > MAX_BODY_BYTES:
        return JsonResponse({"error": "too large"}, status=413)
    try:
        body = json.loads(request.body)
        if not isinstance(body, dict):
            raise ValueError("not an object")
        result = handle_callback(request=signing_request, body=body)
    except ValueError as error:
        return JsonResponse({"error": str(error)[:200]}, status=400)
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)[:200]}, status=409)
    except DatabaseError:
        logger.exception("signing platform callback not recorded", extra={"request": str(uuid)})
        return JsonResponse({"error": "try again later"}, status=503)
    return JsonResponse({"state": result.state})
