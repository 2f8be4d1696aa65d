"""Mail in, end to end on PostgreSQL: messages per second read from a real Dovecot and ingested
(parsed, routed, recorded with what they became, documents stored, flagged on the server), against
a raw imapclient fetch of the same messages in the same run.

    uv run python bench/mail.py                      # 2,000 messages
    uv run python bench/mail.py --messages 200 --no-output   # a quick look

1. Its own database (default `balie_mail_bench`, made anew and migrated each run) and data
   directory (default /tmp/balie-mail-bench), a private Dovecot on loopback (the tests' fixture).
2. One department, a mailbox with one rule (everything becomes an inbound e-mail contact moment),
   an open case, and --messages messages APPENDed: 70% plain text, 20% with a small PNG
   attachment (a document each), 10% replies carrying the case's token (a note and a contact on
   the case). Senders are 200 known parties (their e-mail address) and unknown addresses.
3. Raw fetch: login, select, `UID FETCH BODY.PEEK[]` in batches of 50 (what the poll does), every
   message read into memory. Then the ingest (`poll_mailbox`: the same fetch, plus everything
   Balie does with each message, one transaction per message, flags after commit). Then the raw
   fetch again; the baseline is the mean of the two.
4. Checks: exactly --messages ingested, each once, every one flagged on the server.

Results of a full run go to bench/results/<date>-mail.md.
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import datetime as dt
import os
import platform
import re
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
sys.path[:0] = [str(PROJECT_DIR / "src"), str(BENCH_DIR)]

from load import create_database, migrate  # noqa: E402

DEFAULT_DB_URL = os.environ.get(
    "BENCH_MAIL_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/balie_mail_bench"
)
DEFAULT_DATA_DIR = "/tmp/balie-mail-bench"  # noqa: S108 - the benchmark's own scratch space
BATCH = 50


def log(message: str) -> None:
    print(message, flush=True)


def raw_fetch(server: object) -> tuple[float, int, int]:
    """(seconds, messages, bytes) of reading every message as the poll does, nothing more."""
    start = time.perf_counter()
    client = server.client()  # type: ignore[attr-defined]
    try:
        client.select_folder("INBOX")
        uids = sorted(client.search(["ALL"]))
        count = size = 0
        for first in range(0, len(uids), BATCH):
            fetched = client.fetch(uids[first : first + BATCH], [b"BODY.PEEK[]"])
            for data in fetched.values():
                body = bytes(data[b"BODY[]"])
                count += 1
                size += len(body)
    finally:
        client.logout()
    return time.perf_counter() - start, count, size


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--db-url", default=DEFAULT_DB_URL)
    parser.add_argument("--data-dir", default=DEFAULT_DATA_DIR)
    parser.add_argument("--no-output", action="store_true", help="print only, write no results file")
    parser.add_argument("--queries", action="store_true", help="print the ingest's statements, grouped")
    parser.add_argument("--profile", metavar="FILE", help="write a cProfile of the ingest to FILE")
    args = parser.parse_args()

    data_dir = Path(args.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "static").mkdir(exist_ok=True)
    log(f"database {args.db_url}: create and migrate")
    create_database(args.db_url)
    os.environ.update(
        DATABASE_URL=args.db_url,
        BALIE_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="balie.conf.settings",
        BALIE_FICTIONAL_POSTCODES="true",
        BALIE_ADDRESS_REGISTER_URL="off",
    )
    migrate(args.db_url)

    import django

    django.setup()

    from django.db import connection

    from balie.accounts.actions import create_department, create_employee
    from balie.accounts.models import Role
    from balie.cases import catalogue
    from balie.cases.actions import register_case
    from balie.cases.models import RoleKind
    from balie.mailboxes.addressing import subject_with_token
    from balie.mailboxes.models import ImapSecurity, IncomingMail, Mailbox, MailRule, RuleTarget
    from balie.mailboxes.polling import poll_mailbox
    from balie.mailboxes.tests.incoming import corpus
    from balie.mailboxes.tests.incoming.dovecot import Dovecot
    from balie.parties.actions import add_contact_point, register_party

    server = Dovecot()
    server.start()
    try:
        department = create_department(name="Onthaal", code="onthaal", by=None)
        admin = create_employee(
            username="beheer",
            first_name="Bea",
            last_name="Beheer",
            email="bea@zonnedaal.be",
            password="Balie-bench-2026",
            department=department,
            roles=[Role.FUNCTIONAL_ADMIN, Role.CASE_HANDLER],
            by=None,
        )
        draft = catalogue.create_case_type(code="vraag", name="Vraag", department=department, by=admin)
        received = catalogue.add_status_type(version=draft, by=admin, name="Ontvangen")
        done = catalogue.add_status_type(version=draft, by=admin, name="Beantwoord")
        catalogue.set_transitions(status=received, by=admin, next_statuses=[done])
        catalogue.add_role_type(version=draft, by=admin, kind=RoleKind.INITIATOR, name="Aanvrager")
        catalogue.add_result_type(
            version=draft, by=admin, name="Beantwoord", archival_nomination="destroy", retention_years=2
        )
        case_type = catalogue.publish_version(version=draft, by=admin).case_type
        case = register_case(case_type=case_type, by=admin, subject="Vraag over het terras")
        for n in range(200):
            party, _ = register_party(kind="person", by=None, given_name=f"Klant{n}", family_name="Bench")
            add_contact_point(party=party, kind="email", value=f"klant{n}@example.org", by=None)
        os.environ["BALIE_BENCH_MAILBOX_PASSWORD"] = server.password
        mailbox = Mailbox.objects.create(
            name="Info",
            address="info@zonnedaal.be",
            department=department,
            imap_host=server.host,
            imap_port=server.port,
            imap_security=ImapSecurity.NONE,
            imap_username=server.user,
            secret_setting="BALIE_BENCH_MAILBOX_PASSWORD",
        )
        MailRule.objects.create(mailbox=mailbox, position=1, name="Alles", target=RuleTarget.CONTACT_MOMENT)

        log(f"appending {args.messages} messages to Dovecot")
        messages = []
        for n in range(args.messages):
            sender = f"klant{n % 200}@example.org" if n % 2 else f"onbekend{n}@elders.be"
            if n % 10 == 9:
                subject = "Re: " + subject_with_token("Vraag over het terras", case.number)
                raw = corpus.simple(n, subject=subject, sender=sender)
            elif n % 10 in (7, 8):
                mail = corpus.message(number=n, subject=f"Foto {n}", sender=sender)
                mail.add_attachment(corpus.PNG_1PX, maintype="image", subtype="png", filename=f"foto-{n}.png")
                raw = bytes(mail)
            else:
                text = f"Goedendag,\n\nvraag nummer {n}.\n" * 20
                raw = corpus.simple(n, subject=f"Vraag {n}", text=text, sender=sender)
            messages.append(raw)
        client = server.client()
        try:
            for raw in messages:
                client.append("INBOX", raw)
        finally:
            client.logout()

        log("raw fetch (before)")
        raw_before, count_before, size = raw_fetch(server)
        log(f"  {count_before} messages, {size / 1e6:.1f} MB in {raw_before:.2f} s")
        log("ingest (poll_mailbox)")
        statements: list[str] = []

        def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
            statements.append(sql)
            return execute(sql, params, many, context)

        profiler = cProfile.Profile() if args.profile else None
        load_before = os.getloadavg()
        with connection.execute_wrapper(count):
            start = time.perf_counter()
            if profiler is not None:
                profiler.enable()
            result = poll_mailbox(mailbox)
            if profiler is not None:
                profiler.disable()
            ingest = time.perf_counter() - start
        load_after = os.getloadavg()
        if profiler is not None:
            profiler.dump_stats(args.profile)
        per_message = len(statements) / args.messages
        log(f"  {len(statements)} SQL statements, {per_message:.1f} per message")
        if args.queries:
            groups = collections.Counter(re.sub(r"\s+", " ", sql)[:110] for sql in statements)
            for sql, n in groups.most_common(40):
                log(f"  {n / args.messages:6.2f}/msg  {sql}")
        log(f"  {result} in {ingest:.2f} s")
        log("raw fetch (after)")
        raw_after, count_after, _ = raw_fetch(server)
        log(f"  {count_after} messages in {raw_after:.2f} s")

        assert result.ingested == args.messages and result.failed == 0, result
        assert IncomingMail.objects.count() == args.messages
        assert IncomingMail.objects.values("uid").distinct().count() == args.messages
        assert server.flagged_count() == args.messages
        assert count_before == count_after == args.messages
    finally:
        server.cleanup()

    raw = (raw_before + raw_after) / 2
    rate_ingest = args.messages / ingest
    rate_raw = args.messages / raw
    ratio = ingest / raw
    report = f"""# Mail in: ingest vs raw IMAP fetch — {dt.date.today():%Y-%m-%d}

Command: `uv run python bench/mail.py --messages {args.messages}`
(PostgreSQL {args.db_url.rsplit("/", 1)[-1]}, a private Dovecot 2.3 on loopback,
{platform.node()}, {os.cpu_count()} cores shared with other work).

| | seconds | messages/s |
| --- | ---: | ---: |
| raw imapclient fetch, before | {raw_before:.2f} | {args.messages / raw_before:.0f} |
| raw imapclient fetch, after | {raw_after:.2f} | {args.messages / raw_after:.0f} |
| **ingest end to end** (`poll_mailbox`) | {ingest:.2f} | **{rate_ingest:.1f}** |

Ratio ingest / raw fetch: **{ratio:.1f}×** (raw: mean of before and after, {rate_raw:.0f} messages/s,
{size / 1e6:.1f} MB). SQL statements during the ingest: {len(statements)}, **{per_message:.1f} per
message**. Load average (1, 5, 15 min) at the start of the ingest
{" / ".join(f"{x:.2f}" for x in load_before)}, at its end {" / ".join(f"{x:.2f}" for x in load_after)}.

Messages: {args.messages} (70% text, 20% with a PNG attachment, 10% replies with the case token);
each becomes an IncomingMail, the raw .eml a document, an inbound e-mail contact moment (and a
note on the case for replies), attachments documents; one transaction per message, then the flag.
Checked: exactly {args.messages} ingested, none twice, all flagged.
"""
    log(report)
    if not args.no_output:
        out = BENCH_DIR / "results" / f"{dt.date.today():%Y-%m-%d}-mail.md"
        if out.exists():  # a later run the same day: a section of its own below the earlier ones
            stamp = dt.datetime.now(dt.UTC)
            section = report.replace("# Mail in:", f"## Run at {stamp:%H:%M} UTC — mail in:", 1)
            out.write_text(out.read_text().rstrip("\n") + "\n\n" + section)
        else:
            out.write_text(report)
        log(f"written to {out}")


if __name__ == "__main__":
    main()
