"""A document sender for the eBox, the Belgian digital mailbox of citizens and enterprises.

The federal REST API for document senders (dev.eboxenterprise.be, "Becoming a Document Sender"):

- `POST {BALIE_EBOX_URL}/ebox/messages`, `multipart/form-data`: a part `messageToPublish`
  (`application/json`): `recipient` (`{"eboxType": "citizen", "ssin": "<INSZ>"}` or
  `{"eboxType": "enterprise", "enterpriseNumber": "<10 digits>"}`), `sender` (the municipality's
  enterprise eBox), `subject` (`{"nl"|"fr"|"de": …}`), `senderApplicationId`, `messageTypeId`,
  `attachments` (`[{"httpPartName", "isMainContent", "isAttachmentSigned"}]`) and
  `isReplyAuthorized`; then one file part per document, named by its `httpPartName`, with a file
  name (percent-encoded when it is not Latin-1) and its content type. Citizens' eBox shows PDF only.
- `Authorization: Bearer <token>`: an OAuth2 access token from the client-credentials grant at
  `BALIE_EBOX_TOKEN_URL` (client id and secret in HTTP Basic), kept until shortly before it
  expires and asked again once when the API answers 401.
- `Idempotency-Key: "<uuid>"` (an RFC 8941 string): the same for every attempt of one dispatch. A
  repeat with a key the eBox has seen for this sender and application answers `409 Conflict`: the
  message was published before (perhaps by an attempt whose answer was lost), so it is sent.
- `201 Created` with the new message's id (`id`, or `messageId`) in a JSON body: published.
  `400`/`404`/`422` with an `application/problem+json` body: refused, trying again cannot help.
  `5xx`, `429`, a time-out or no connection: try again later.

`demo_ebox.DemoEbox` speaks the same protocol on loopback; production and demo share every line
here but the addresses and credentials.
"""

from __future__ import annotations

import http.client
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, register
from django.core.checks import Warning as CheckWarning
from django.utils.translation import gettext as _

from balie.core.oauth import ClientCredentials, TokenCache, TokenError

logger = logging.getLogger("balie.ebox")

USER_AGENT = "Balie-eBox/1.0"
TOKEN_MARGIN = 60.0  # seconds before its expiry a token is no longer used
MAX_ANSWER = 1_000_000


class EboxError(Exception):
    """The eBox did not publish. `message` is the Dutch text for the employee; `permanent`: asking
    again cannot help (the message or the recipient is wrong, Balie is not allowed)."""

    def __init__(self, message: str, *, permanent: bool, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent
        self.status = status


@dataclass(frozen=True)
class EboxFile:
    filename: str
    content_type: str
    data: bytes
    main: bool = False
    signed: bool = False


@dataclass(frozen=True)
class EboxMessage:
    recipient_type: str  # "citizen" | "enterprise"
    recipient_id: str  # INSZ or enterprise number, compact
    subject: dict[str, str]  # per language: nl, fr, de
    files: list[EboxFile] = field(default_factory=list)
    reply_authorized: bool = False


@dataclass(frozen=True)
class Publication:
    message_id: str  # the eBox's id of the message; may be empty for a repeat (409)
    duplicate: bool  # 409: a message with this idempotency key was published before


def ebox_enabled() -> bool:
    """False when BALIE_EBOX_URL is "off": the eBox channel is not offered."""
    return str(settings.BALIE_EBOX_URL).strip().lower() != "off"


def ebox_url() -> str:
    """BALIE_EBOX_URL, or the demo eBox on this machine (`balie demo` starts it) when empty."""
    url = str(settings.BALIE_EBOX_URL).strip()
    return (url or f"http://127.0.0.1:{settings.BALIE_EBOX_DEMO_PORT}").rstrip("/")


def token_url() -> str:
    return str(settings.BALIE_EBOX_TOKEN_URL).strip() or f"{ebox_url()}/oauth2/token"


@register(Tags.security, deploy=True)
def check_ebox(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """`balie check --deploy`: the eBox set up for production, not the demo."""
    url = str(settings.BALIE_EBOX_URL).strip()
    if url.lower() == "off":
        return []
    if not url:
        return [
            CheckWarning(
                "BALIE_EBOX_URL is empty: eBox dispatches go to the demo eBox on this machine "
                "(set the eBox's address, or 'off').",
                id="balie.W131",
            )
        ]
    found: list[CheckMessage] = []
    if not url.startswith("https://"):
        found.append(CheckWarning("BALIE_EBOX_URL is not https.", id="balie.W132"))
    if settings.BALIE_EBOX_CLIENT_SECRET == "demo-ebox-geheim":  # noqa: S105
        found.append(
            CheckWarning("BALIE_EBOX_CLIENT_SECRET is the demo's: set the real one.", id="balie.W133")
        )
    return found


# Tokens are kept per process, per token endpoint, client and scope.
_tokens = TokenCache(margin=TOKEN_MARGIN, user_agent=USER_AGENT)


def _problem_detail(body: bytes) -> str:
    try:
        data = json.loads(body)
    except ValueError:
        return ""
    if not isinstance(data, dict):
        return ""
    return str(data.get("detail") or data.get("title") or data.get("error_description") or "")[:300]


def _filename(name: str) -> str:
    """A file part's name as the eBox wants it: percent-encoded when it is not Latin-1."""
    name = name.replace('"', "").replace("\r", "").replace("\n", "") or "document.pdf"
    try:
        name.encode("latin-1")
    except UnicodeEncodeError:
        return urllib.parse.quote(name, safe="()!*'-_.~ ")
    return name


def multipart_body(
    message_to_publish: dict[str, Any], files: list[tuple[str, EboxFile]]
) -> tuple[bytes, str]:
    """The multipart/form-data body and its content type."""
    boundary = f"balie-{uuid.uuid4().hex}"
    out = bytearray()

    def part(headers: list[str], data: bytes) -> None:
        out.extend(f"--{boundary}\r\n".encode())
        for header in headers:
            out.extend(f"{header}\r\n".encode("latin-1"))
        out.extend(b"\r\n")
        out.extend(data)
        out.extend(b"\r\n")

    part(
        ['Content-Disposition: form-data; name="messageToPublish"', "Content-Type: application/json"],
        json.dumps(message_to_publish, ensure_ascii=False).encode(),
    )
    for name, file in files:
        part(
            [
                f'Content-Disposition: form-data; name="{name}"; filename="{_filename(file.filename)}"',
                f"Content-Type: {file.content_type}",
            ],
            file.data,
        )
    out.extend(f"--{boundary}--\r\n".encode())
    return bytes(out), f"multipart/form-data; boundary={boundary}"


class EboxClient:
    """Publishes messages in eBoxes for one sender (the municipality's enterprise eBox)."""

    def __init__(
        self,
        *,
        url: str,
        token_url: str,
        client_id: str,
        client_secret: str,
        scope: str,
        sender_enterprise_number: str,
        sender_application_id: str,
        message_type_id: str,
        timeout: float = 30.0,
    ) -> None:
        for address in (url, token_url):
            parsed = urllib.parse.urlsplit(address)
            if parsed.scheme not in ("http", "https") or not parsed.netloc:
                raise EboxError(
                    _("Het adres van de eBox is geen http(s)-adres: %(url)s") % {"url": address},
                    permanent=True,
                )
        self.url = url.rstrip("/")
        self.token_url = token_url
        self.client_id = client_id
        self.client_secret = client_secret
        self.scope = scope
        self.sender_enterprise_number = sender_enterprise_number
        self.sender_application_id = sender_application_id
        self.message_type_id = message_type_id
        self.timeout = timeout

    @classmethod
    def from_settings(cls) -> EboxClient:
        if not ebox_enabled():
            raise EboxError(_("Balie is niet aangesloten op de eBox (BALIE_EBOX_URL=off)."), permanent=True)
        return cls(
            url=ebox_url(),
            token_url=token_url(),
            client_id=settings.BALIE_EBOX_CLIENT_ID,
            client_secret=settings.BALIE_EBOX_CLIENT_SECRET,
            scope=settings.BALIE_EBOX_SCOPE,
            sender_enterprise_number=settings.BALIE_EBOX_SENDER_ENTERPRISE_NUMBER,
            sender_application_id=settings.BALIE_EBOX_SENDER_APPLICATION_ID,
            message_type_id=settings.BALIE_EBOX_MESSAGE_TYPE_ID,
            timeout=float(settings.BALIE_EBOX_TIMEOUT),
        )

    # --- the request ------------------------------------------------------------------------------

    def message_to_publish(self, message: EboxMessage) -> tuple[dict[str, Any], list[tuple[str, EboxFile]]]:
        """The `messageToPublish` part and the file parts it names."""
        if message.recipient_type == "citizen":
            recipient = {"eboxType": "citizen", "ssin": message.recipient_id}
        else:
            recipient = {"eboxType": "enterprise", "enterpriseNumber": message.recipient_id}
        parts = [(f"upfile{number}", file) for number, file in enumerate(message.files, start=1)]
        return (
            {
                "recipient": recipient,
                "sender": {"eboxType": "enterprise", "enterpriseNumber": self.sender_enterprise_number},
                "subject": {lang: text for lang, text in message.subject.items() if text},
                "senderApplicationId": self.sender_application_id,
                "messageTypeId": self.message_type_id,
                "attachments": [
                    {"httpPartName": name, "isMainContent": file.main, "isAttachmentSigned": file.signed}
                    for name, file in parts
                ],
                "isReplyAuthorized": message.reply_authorized,
            },
            parts,
        )

    def publish(self, message: EboxMessage, *, idempotency_key: uuid.UUID) -> Publication:
        """Publish `message` in the recipient's eBox. Raises EboxError when it was not published."""
        meta, parts = self.message_to_publish(message)
        body, content_type = multipart_body(meta, parts)
        headers = {
            "Content-Type": content_type,
            "Accept": "application/json, application/problem+json",
            # An RFC 8941 string item, as the API documents it.
            "Idempotency-Key": f'"{idempotency_key}"',
        }
        status, answer = self._post(f"{self.url}/ebox/messages", body, headers)
        if status == 401:  # the token may have been revoked or expired early: ask once more
            status, answer = self._post(f"{self.url}/ebox/messages", body, headers, fresh_token=True)
        if status == 201:
            return Publication(message_id=self._message_id(answer), duplicate=False)
        if status == 409:
            logger.info("ebox: idempotency key seen before, the message was published already")
            return Publication(message_id=self._message_id(answer), duplicate=True)
        raise self._refusal(status, answer)

    @staticmethod
    def _message_id(answer: bytes) -> str:
        try:
            data = json.loads(answer) if answer else {}
        except ValueError:
            return ""
        if not isinstance(data, dict):
            return ""
        return str(data.get("id") or data.get("messageId") or "")[:200]

    @staticmethod
    def _refusal(status: int, answer: bytes) -> EboxError:
        detail = _problem_detail(answer)
        if status in (400, 404, 413, 415, 422):
            text = _("De eBox weigerde het bericht (HTTP %(status)s)") % {"status": status}
            return EboxError(f"{text}: {detail}" if detail else f"{text}.", permanent=True, status=status)
        if status in (401, 403):
            return EboxError(
                _("De eBox laat Balie niet toe dit bericht te versturen (HTTP %(status)s).")
                % {"status": status},
                permanent=True,
                status=status,
            )
        return EboxError(
            _("De eBox gaf een fout (HTTP %(status)s); Balie probeert het later opnieuw.")
            % {"status": status},
            permanent=False,
            status=status,
        )

    # --- transport --------------------------------------------------------------------------------

    def _post(
        self, url: str, body: bytes, headers: dict[str, str], *, fresh_token: bool = False
    ) -> tuple[int, bytes]:
        headers = {
            "User-Agent": USER_AGENT,
            **headers,
            "Authorization": f"Bearer {self._token(fresh=fresh_token)}",
        }
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return int(response.status), response.read(MAX_ANSWER)
        except urllib.error.HTTPError as error:
            with error:
                return int(error.code), error.read(MAX_ANSWER)
        except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
            raise self._unreachable(error) from None

    def _unreachable(self, error: BaseException) -> EboxError:
        reason = getattr(error, "reason", error)
        if isinstance(reason, TimeoutError) or isinstance(error, TimeoutError):
            message = _("De eBox antwoordde niet binnen %(seconds)s s; Balie probeert het later opnieuw.") % {
                "seconds": f"{self.timeout:g}"
            }
        else:
            message = _("De eBox is niet bereikbaar (%(reason)s); Balie probeert het later opnieuw.") % {
                "reason": reason
            }
        return EboxError(message, permanent=False)

    def _token(self, *, fresh: bool = False) -> str:
        credentials = ClientCredentials(
            token_url=self.token_url,
            client_id=self.client_id,
            client_secret=self.client_secret,
            scope=self.scope,
            basic_auth=True,
        )
        try:
            return _tokens.token(credentials, timeout=self.timeout, fresh=fresh)
        except TokenError as error:
            if error.status is None:  # not reached
                raise self._unreachable(error.__cause__ or error) from None
            if error.status == 200:
                raise EboxError(_("De eBox gaf een onleesbaar toegangstoken."), permanent=False) from None
            detail = error.description[:300]
            text = _("De eBox gaf Balie geen toegangstoken (HTTP %(status)s)") % {"status": error.status}
            raise EboxError(
                f"{text}: {detail}" if detail else f"{text}.",
                permanent=error.status in (400, 401, 403),
                status=error.status,
            ) from None
