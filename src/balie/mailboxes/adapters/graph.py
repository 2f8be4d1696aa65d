"""Sending a mail through Microsoft Graph, for a mailbox in Microsoft 365.

- An access token from the OAuth2 client-credentials grant (`POST {token URL}` with
  `grant_type=client_credentials`, `client_id`, `client_secret` and
  `scope=https://graph.microsoft.com/.default`, form-encoded), kept until a minute before it
  expires (`balie.core.oauth`) and asked again once when Graph answers 401.
- `POST {BALIE_GRAPH_URL}/v1.0/users/{mailbox}/sendMail` with `Content-Type: text/plain` and the
  whole MIME message, base64-encoded, as the body: Graph sends exactly the message Balie built
  (its Message-ID, Reply-To, In-Reply-To, References and attachments) as that mailbox. `202
  Accepted` is sent. `400`, `403` (no right to send as that mailbox), `404` (no such mailbox) and
  `413` are refusals that trying again cannot help; `429`, `5xx`, a time-out and no connection are
  tried again later by the outbox.
- Graph has no idempotency key for sendMail: a mail whose `202` was lost is sent again on the
  retry, with the same Message-ID, as over SMTP.

`demo_graph.DemoGraph` speaks the same protocol on loopback.
"""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.utils.translation import gettext as _

from balie.core.oauth import ClientCredentials, TokenCache, TokenError

USER_AGENT = "Balie-Graph/1.0"
SCOPE = "https://graph.microsoft.com/.default"
MAX_ANSWER = 100_000


class GraphError(Exception):
    """Graph did not take the mail; `message` is Dutch for the employee."""

    def __init__(self, message: str, *, permanent: bool, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent
        self.status = status


_tokens = TokenCache(user_agent=USER_AGENT)


def token_url() -> str:
    configured = str(settings.BALIE_GRAPH_TOKEN_URL).strip()
    if configured:
        return configured
    return f"https://login.microsoftonline.com/{settings.BALIE_GRAPH_TENANT}/oauth2/v2.0/token"


def _error_text(answer: bytes) -> str:
    try:
        data = json.loads(answer[:MAX_ANSWER] or b"{}")
    except ValueError:
        return answer[:200].decode(errors="replace")
    error = data.get("error") if isinstance(data, dict) else None
    if isinstance(error, dict):
        return f"{error.get('code', '')}: {error.get('message', '')}".strip(": ")
    if isinstance(error, str):
        return f"{error}: {data.get('error_description', '')}".strip(": ")
    return ""


class GraphClient:
    def __init__(
        self, *, base_url: str, token_url: str, client_id: str, client_secret: str, timeout: float = 30.0
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.token_url = token_url
        self.client_id = client_id
        self.client_secret = client_secret
        self.timeout = timeout
        self._credentials = ClientCredentials(
            token_url=token_url, client_id=client_id, client_secret=client_secret, scope=SCOPE
        )

    @classmethod
    def from_settings(cls) -> GraphClient:
        return cls(
            base_url=str(settings.BALIE_GRAPH_URL),
            token_url=token_url(),
            client_id=str(settings.BALIE_GRAPH_CLIENT_ID),
            client_secret=str(settings.BALIE_GRAPH_CLIENT_SECRET),
            timeout=float(settings.BALIE_GRAPH_TIMEOUT),
        )

    def send_mime(self, *, user: str, mime: bytes) -> None:
        """Send the MIME message as `user` (the mailbox's address or Graph user id)."""
        url = f"{self.base_url}/v1.0/users/{urllib.parse.quote(user, safe='@')}/sendMail"
        body = base64.b64encode(mime)
        for attempt in (1, 2):
            status, answer = self._request(
                url,
                body,
                {"Content-Type": "text/plain", "Authorization": f"Bearer {self._token()}"},
            )
            if status == 401 and attempt == 1:
                self._forget_token()
                continue
            break
        if status == 202:
            return
        reason = _error_text(answer) or str(status)
        if status in (400, 401, 403, 404, 413):
            raise GraphError(
                _("Microsoft Graph weigerde de e-mail (%(status)s): %(reason)s")
                % {"status": status, "reason": reason},
                permanent=True,
                status=status,
            )
        raise GraphError(
            _("Microsoft Graph is niet beschikbaar (%(status)s): %(reason)s")
            % {"status": status, "reason": reason},
            permanent=False,
            status=status,
        )

    def _request(self, url: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        request = urllib.request.Request(  # noqa: S310 - the configured https URL
            url, data=body, method="POST", headers={**headers, "User-Agent": USER_AGENT}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return int(response.status), response.read(MAX_ANSWER)
        except urllib.error.HTTPError as error:
            return int(error.code), error.read(MAX_ANSWER)
        except (urllib.error.URLError, OSError, TimeoutError) as error:
            reason = getattr(error, "reason", None) or error
            raise GraphError(
                _("Microsoft Graph is niet bereikbaar: %(reason)s") % {"reason": reason}, permanent=False
            ) from error

    def _forget_token(self) -> None:
        _tokens.forget(self._credentials)

    def _token(self) -> str:
        try:
            return _tokens.token(self._credentials, timeout=self.timeout)
        except TokenError as error:
            if error.status is None:
                raise GraphError(
                    _("Microsoft Graph is niet bereikbaar: %(reason)s") % {"reason": error.description},
                    permanent=False,
                ) from error
            raise GraphError(
                _("Geen toegang tot Microsoft Graph (%(status)s): %(reason)s")
                % {"status": error.status, "reason": error.reason or error.status},
                permanent=error.status in (400, 401),
                status=error.status,
            ) from error


def forget_tokens() -> None:
    _tokens.forget()
