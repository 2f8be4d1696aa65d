"""Reading a mailbox over IMAP (imapclient): fetch what is new, ingest each message in its own
transaction, and only after that committed flag it (`$BalieIngested`) or move it to the done
folder. A crash between the commit and the flag leaves the message unflagged: the next poll reads
it again, finds it recorded (mailbox, UIDVALIDITY, UID or Message-ID) and only flags it.
Messages are fetched 50 at a time (one UID FETCH); what is the same for the whole poll (the
mailbox's account and rules) is looked up once, what a batch needs (recorded Message-IDs, the
senders' parties) once per batch.

`watch_mailbox` is a worker's loop for one mailbox: it reads what is there, then waits with IMAP
IDLE (where the server offers it) and reads again as soon as the server announces a message; on a
server without IDLE it polls.

A server that cannot be reached: the failure and its time are kept on the mailbox (the mailbox page
shows them), the next attempt waits 30 s, 1 min, 2 min … at most 30 min; the first poll that works
clears it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.utils import timezone
from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError

from . import oauth
from .actions import IngestRun, ingest_message
from .models import ImapSecurity, IncomingMail, Mailbox, MailboxAuth
from .parsing import ParsedMail, parse_mail

logger = logging.getLogger(__name__)

DONE_FLAG = b"$BalieIngested"
BATCH = 50
MAX_BACKOFF = dt.timedelta(minutes=30)


class MailboxUnavailable(Exception):
    pass


@dataclass
class PollResult:
    fetched: int = 0
    ingested: int = 0
    duplicates: int = 0
    failed: int = 0
    error: str = ""
    highest_uid: int = 0  # the highest UID the poll saw waiting (what came later is new)


def _secret(mailbox: Mailbox) -> str:
    value = os.environ.get(mailbox.secret_setting, "")
    if not value:
        value = str(getattr(settings, mailbox.secret_setting, "") or "")
    return value


@contextmanager
def connect(mailbox: Mailbox, *, timeout: float | None = None) -> Iterator[IMAPClient]:
    timeout = timeout or float(settings.BALIE_MAIL_IMAP_TIMEOUT)
    use_ssl = mailbox.imap_security == ImapSecurity.SSL
    client = IMAPClient(
        mailbox.imap_host,
        port=mailbox.imap_port,
        ssl=use_ssl,
        ssl_context=ssl.create_default_context() if use_ssl else None,
        timeout=timeout,
    )
    try:
        if mailbox.imap_security == ImapSecurity.STARTTLS:
            client.starttls(ssl.create_default_context())
        if mailbox.auth == MailboxAuth.OAUTH2:
            oauth.login(client, mailbox.imap_username, _secret(mailbox))
        else:
            client.login(mailbox.imap_username, _secret(mailbox))
        yield client
    finally:
        try:
            client.logout()
        except Exception:  # noqa: BLE001 - the connection may already be gone
            with contextlib.suppress(Exception):
                client.shutdown()


def _mark_done(client: IMAPClient, mailbox: Mailbox, uids: list[int]) -> None:
    if not uids:
        return
    if mailbox.done_folder:
        try:
            client.move(uids, mailbox.done_folder)
            return
        except IMAPClientError:
            client.copy(uids, mailbox.done_folder)
            client.add_flags(uids, [b"\\Deleted"])
            client.uid_expunge(uids) if client.has_capability("UIDPLUS") else client.expunge()
            return
    client.add_flags(uids, [DONE_FLAG, b"\\Seen"])


def poll_mailbox(mailbox: Mailbox, *, limit: int | None = None) -> PollResult:
    """Read one mailbox once. Records success or failure on the mailbox; never raises for a
    server that is down (the result says what went wrong)."""
    now = timezone.now()
    Mailbox.objects.filter(pk=mailbox.pk).update(last_poll_at=now)
    result = PollResult()
    try:
        _poll(mailbox, result, limit=limit)
    except (OSError, IMAPClientError, ssl.SSLError, EOFError, oauth.TokenError) as error:
        result.error = f"{type(error).__name__}: {error}"[:1000]
        _record_failure(mailbox, result.error)
        logger.warning(
            "mailbox unreachable", extra={"mailbox": str(mailbox.uuid), "error": type(error).__name__}
        )
        return result
    _record_success(mailbox)
    return result


def _waiting(mailbox: Mailbox) -> list[str]:
    """The SEARCH for messages not read yet."""
    return ["NOT", "DELETED"] if mailbox.done_folder else ["NOT", "DELETED", "UNKEYWORD", DONE_FLAG.decode()]


def _poll(mailbox: Mailbox, result: PollResult, *, limit: int | None) -> None:
    with connect(mailbox) as client:
        selected = client.select_folder(mailbox.folder)
        uidvalidity = int(selected[b"UIDVALIDITY"])
        if mailbox.uidvalidity != uidvalidity:
            Mailbox.objects.filter(pk=mailbox.pk).update(uidvalidity=uidvalidity)
            mailbox.uidvalidity = uidvalidity
        uids = sorted(client.search(_waiting(mailbox)))
        result.highest_uid = max(uids, default=0)
        if limit is not None:
            uids = uids[:limit]
        known = set(
            IncomingMail.objects.filter(mailbox=mailbox, uidvalidity=uidvalidity, uid__in=uids).values_list(
                "uid", flat=True
            )
        )
        # Recorded before a crash but not yet flagged: only flag them.
        _mark_done(client, mailbox, sorted(uid for uid in known if uid is not None))
        result.duplicates += len(known)
        todo = [uid for uid in uids if uid not in known]
        if not todo:
            return
        run = IngestRun.start(mailbox)
        for start in range(0, len(todo), BATCH):
            chunk = todo[start : start + BATCH]
            fetched = client.fetch(chunk, [b"BODY.PEEK[]"])
            # The batch's lookups at once: which Message-IDs are recorded, who the senders are.
            messages: dict[int, tuple[bytes, ParsedMail | None]] = {}
            for uid in chunk:
                data = fetched.get(uid, {}).get(b"BODY[]")
                if data is not None:  # else expunged meanwhile
                    raw = bytes(data)
                    try:
                        messages[uid] = (raw, parse_mail(raw))
                    except Exception:  # noqa: BLE001 - parsed again (and recorded as failed) below
                        messages[uid] = (raw, None)
            parsed_ones = [parsed for _raw, parsed in messages.values() if parsed is not None]
            run.know_senders([parsed.from_address for parsed in parsed_ones])
            recorded = set(
                IncomingMail.objects.filter(
                    mailbox=mailbox,
                    message_id__in=[p.message_id[:998] for p in parsed_ones if p.message_id],
                ).values_list("message_id", flat=True)
            )
            done: list[int] = []
            for uid, (raw, parsed) in messages.items():
                result.fetched += 1
                try:
                    _mail, created = ingest_message(
                        mailbox=mailbox,
                        raw=raw,
                        uidvalidity=uidvalidity,
                        uid=uid,
                        parsed=parsed,
                        run=run,
                        checked=parsed is not None and parsed.message_id[:998] not in recorded,
                    )
                except Exception:
                    logger.exception("message not ingested", extra={"mailbox": str(mailbox.uuid), "uid": uid})
                    result.failed += 1
                    continue
                if created:
                    result.ingested += 1
                else:
                    result.duplicates += 1
                done.append(uid)
            _mark_done(client, mailbox, done)  # after each message's commit


def backoff(failures: int) -> dt.timedelta:
    return min(dt.timedelta(seconds=30) * (2 ** max(failures - 1, 0)), MAX_BACKOFF)


def _record_failure(mailbox: Mailbox, error: str) -> None:
    now = timezone.now()
    fresh = Mailbox.objects.get(pk=mailbox.pk)
    failures = fresh.failures + 1
    Mailbox.objects.filter(pk=mailbox.pk).update(
        last_error=error,
        last_error_at=now,
        down_since=fresh.down_since or now,
        failures=failures,
        next_poll_at=now + backoff(failures),
    )
    mailbox.refresh_from_db()


def _record_success(mailbox: Mailbox) -> None:
    now = timezone.now()
    Mailbox.objects.filter(pk=mailbox.pk).update(
        last_success_at=now, down_since=None, failures=0, next_poll_at=None
    )
    mailbox.refresh_from_db()


def due_mailboxes(now: dt.datetime | None = None) -> list[Mailbox]:
    """The mailboxes the schedule's poll reads now: none when `balie watch_mail` reads them all
    (BALIE_MAIL_WATCH), so that two readers never race for the same message."""
    if settings.BALIE_MAIL_WATCH:
        return []
    now = now or timezone.now()
    return [
        mailbox
        for mailbox in Mailbox.objects.filter(active=True).select_related("department", "account")
        if mailbox.next_poll_at is None or mailbox.next_poll_at <= now
    ]


def poll_all(now: dt.datetime | None = None) -> dict[str, PollResult]:
    return {mailbox.address: poll_mailbox(mailbox) for mailbox in due_mailboxes(now)}


# -- waiting for new mail: IMAP IDLE where the server offers it, else polling --------------------

IDLE_RENEW = dt.timedelta(minutes=25)  # RFC 2177: end and start IDLE again within 29 minutes


def _wait_for_new_mail(mailbox: Mailbox, stop: threading.Event, *, poll_every: float, seen: int) -> str:
    """Wait until the server says a message arrived ("idle"), the IDLE should be renewed
    ("renew"), the poll interval passed on a server without IDLE ("poll") or `stop` is set. A
    message that came after the poll looked (a UID above `seen`) but before IDLE began: at once
    ("pending"); one the poll could not ingest does not count again."""
    with connect(mailbox) as client:
        if not client.has_capability("IDLE"):
            stop.wait(poll_every)
            return "poll"
        client.select_folder(mailbox.folder, readonly=True)
        if any(uid > seen for uid in client.search(_waiting(mailbox))):
            return "pending"
        client.idle()
        try:
            until = time.monotonic() + IDLE_RENEW.total_seconds()
            while not stop.is_set() and time.monotonic() < until:
                for response in client.idle_check(timeout=1):
                    if len(response) >= 2 and response[1] in (b"EXISTS", b"RECENT"):
                        return "idle"
            return "renew"
        finally:
            with contextlib.suppress(Exception):
                client.idle_done()


def watch_mailbox(mailbox: Mailbox, stop: threading.Event, *, poll_every: float = 60.0) -> None:
    """A worker's loop for one mailbox until `stop` is set: read what is there, then wait for new
    mail with IMAP IDLE (a message that arrives is read within a second or so) or, on a server
    without IDLE, poll every `poll_every` seconds. A server that is down: the back-off of
    `poll_mailbox` (30 s, 1 min, … 30 min) before the next try."""
    while not stop.is_set():
        result = poll_mailbox(mailbox)
        if result.error:
            stop.wait(backoff(mailbox.failures or 1).total_seconds())
            continue
        try:
            _wait_for_new_mail(mailbox, stop, poll_every=poll_every, seen=result.highest_uid)
        except (OSError, IMAPClientError, ssl.SSLError, EOFError) as error:
            logger.warning(
                "waiting for mail failed", extra={"mailbox": str(mailbox.uuid), "error": type(error).__name__}
            )
            stop.wait(min(poll_every, 30.0))


def watch_all(stop: threading.Event, *, poll_every: float | None = None) -> None:
    """`balie watch_mail`: a thread per active mailbox, each in `watch_mailbox`, until `stop` is
    set. Mailboxes made or switched on later are picked up within a minute."""
    every = float(poll_every if poll_every is not None else settings.BALIE_MAIL_POLL_SECONDS)
    threads: dict[int, threading.Thread] = {}

    def run(mailbox: Mailbox) -> None:
        try:
            watch_mailbox(mailbox, stop, poll_every=every)
        except Exception:
            logger.exception("mailbox watcher stopped", extra={"mailbox": str(mailbox.uuid)})
        finally:
            connection.close()  # this thread's own database connection

    while not stop.is_set():
        for mailbox in Mailbox.objects.filter(active=True).select_related("department", "account"):
            thread = threads.get(mailbox.pk)
            if thread is None or not thread.is_alive():
                thread = threading.Thread(
                    target=run, args=(mailbox,), name=f"mail-{mailbox.address}", daemon=True
                )
                threads[mailbox.pk] = thread
                thread.start()
        stop.wait(60.0)
    for thread in threads.values():
        thread.join(timeout=30)
