"""A mass mailing of 1,000 letters (DOCX merge + PDF/A) on PostgreSQL, with LibreOffice kept
running, against starting LibreOffice once per letter in the same run.

    uv run python bench/letters.py                          # 1,000 letters, 40 of them also per letter
    uv run python bench/letters.py --letters 100 --sample 10 --no-output   # a quick look

1. Its own database (default `balie_letters_bench`, made anew and migrated each run) and data
   directory (default /tmp/balie-letters-bench: documents, LibreOffice profiles).
2. Gemeente Zonnedaal's demo blocks and acknowledgement template (balie/demo/letters.py: a
   letterhead with a logo in a table, the address for a window envelope, conditions, the QR code,
   signature and closing blocks), and --letters persons with an address each (through the actions).
3. The mass mailing: `start_mailing` of the template to every person, each letter numbered
   OUT-YYYY-NNNNNN by a registrar (as post registration does) and printed with its QR code, made by
   the task (`run_ready_tasks`, the worker's own claim and bookkeeping) through the LibreOffice kept
   running (documents/conversion.py). Time per letter from the items' finish times.
4. The same run, on --sample persons in chunks of 10, alternating: a mailing through the kept-running
   LibreOffice, then one whose converter starts LibreOffice for every letter (`soffice --headless
   --convert-to pdf` with the same import filter and PDF/A-2b, a warm profile), so a busy minute falls
   on both. Then, on the DOCX of --sample letters of the big mailing, conversion alone, alternating.
5. Checks: every letter stored (DOCX + PDF), numbers gap-free, PDFs claiming PDF/A-2b, QR codes that
   read back as their register number; no LibreOffice process left after closing.

Results of a full run go to bench/results/<date>-letters.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
sys.path[:0] = [str(PROJECT_DIR / "src"), str(BENCH_DIR)]

from load import create_database, migrate  # noqa: E402

DEFAULT_DB_URL = os.environ.get(
    "BENCH_LETTERS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/balie_letters_bench"
)
DEFAULT_DATA_DIR = "/tmp/balie-letters-bench"  # noqa: S108 - the benchmark's own scratch space
CHUNK = 10
SOFFICE = shutil.which("soffice") or "/usr/bin/soffice"
PDFA_FILTER = 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'


def log(message: str) -> None:
    print(message, flush=True)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * p / 100
    f = int(k)
    c = min(f + 1, len(ordered) - 1)
    return ordered[f] + (ordered[c] - ordered[f]) * (k - f)


class SofficePerLetter:
    """The baseline converter: `soffice --convert-to` started for every document, as a script
    that converts letter by letter would (same interface as documents.conversion.Converter)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.profile = root / "profile"
        self.starts = 0

    def convert(self, source: bytes, *, pdfa: bool = False, timeout: float | None = None) -> bytes:
        with tempfile.TemporaryDirectory(dir=self.root) as folder:
            path = Path(folder) / "brief.docx"
            path.write_bytes(source)
            subprocess.run(
                [
                    SOFFICE,
                    f"-env:UserInstallation=file://{self.profile}",
                    "--headless",
                    "--norestore",
                    "--infilter=MS Word 2007 XML",
                    "--convert-to",
                    PDFA_FILTER if pdfa else "pdf",
                    "--outdir",
                    folder,
                    str(path),
                ],
                check=True,
                capture_output=True,
                timeout=timeout or 120,
            )
            self.starts += 1
            return (Path(folder) / "brief.pdf").read_bytes()


class BenchRegister:
    """Numbers each letter OUT-YYYY-NNNNNN in the letter's own transaction (post registration's
    part, here without its post item)."""

    def reserve(self, *, mailing: Any, item: Any, by: Any) -> dict[str, str]:
        from balie.core.numbering import next_register_number

        return {"register_number": next_register_number(prefix="OUT"), "subject": "Ontvangstmelding"}

    def attach(self, *, mailing: Any, item: Any, letter: Any, by: Any) -> None:
        return None


def setup_django(url: str, data_dir: Path) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["BALIE_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "balie.conf.settings"
    os.environ.setdefault("BALIE_LOG_LEVEL", "WARNING")
    os.environ["BALIE_FICTIONAL_POSTCODES"] = "true"
    import django

    django.setup()


def make_people(count: int) -> tuple[Any, Any, list[Any]]:
    from balie.accounts.actions import create_department, create_employee
    from balie.accounts.models import Role
    from balie.parties.actions import add_address, register_party

    department = create_department(name="Burgerzaken", code="burgerzaken", by=None)
    admin = create_employee(
        username="beheer",
        first_name="Joris",
        last_name="Jacobs",
        email="joris@zonnedaal.be",
        password=None,
        department=department,
        roles=[Role.FUNCTIONAL_ADMIN],
        by=None,
    )
    employee = create_employee(
        username="post",
        first_name="Bart",
        last_name="Wouters",
        email="bart@zonnedaal.be",
        password=None,
        department=department,
        roles=[Role.POST_ROOM],
        job_title="Medewerker postkamer",
        by=None,
    )
    given = ["An", "Jan", "Els", "Luc", "Sofie", "Pieter", "Lies", "Koen", "Marie", "Wout"]
    family = ["Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens", "Wouters"]
    people = []
    for n in range(count):
        person, _created = register_party(
            kind="person",
            given_name=given[n % 10],
            family_name=family[n % 9],
            gender="F" if n % 2 else "M",
            by=None,
        )
        add_address(
            party=person,
            kind="residence",
            street="Kerkstraat",
            house_number=str(1 + n % 180),
            box=str(n % 7) if n % 5 == 0 else "",
            postcode="2645",
            municipality="Zonnedaal",
            by=None,
        )
        people.append(person)
    return admin, employee, people


def make_template(admin: Any) -> Any:
    from balie.demo.letters import acknowledgement, closing, letterhead, signature
    from balie.documents.letters.admin import create_block, create_template

    create_block(code="briefhoofd", name="Briefhoofd", file=letterhead(), by=admin)
    create_block(code="handtekening", name="Handtekening", file=signature(), by=admin)
    create_block(code="slot", name="Slot", file=closing(), by=admin)
    return create_template(name="Ontvangstmelding", file=acknowledgement(), by=admin)


def item_times(mailing: Any) -> list[float]:
    """Seconds between consecutive letters' finish times (the first from the mailing's start)."""
    from balie.documents.models import MailingItem

    finished = list(
        MailingItem.objects.filter(mailing=mailing)
        .order_by("finished_at")
        .values_list("finished_at", flat=True)
    )
    mailing.refresh_from_db()
    times, previous = [], mailing.started_at
    for at in finished:
        times.append((at - previous).total_seconds())
        previous = at
    return times


def run_mailing(
    template: Any, people: list[Any], employee: Any, *, converter: Any = None
) -> tuple[Any, float]:
    """A mailing to `people`, made now: by the worker's task with the process's converter, or by
    the same function with another converter."""
    from balie.core.worker import run_ready_tasks
    from balie.documents.letters.mailing import run_mailing_now, start_mailing
    from balie.documents.models import Mailing

    mailing = start_mailing(template=template, parties=people, by=employee, registrar="bench.post")
    started = time.perf_counter()
    if converter is None:
        run_ready_tasks()
    else:
        run_mailing_now(mailing.pk, converter=converter)
    seconds = time.perf_counter() - started
    mailing = Mailing.objects.get(pk=mailing.pk)
    if mailing.state != "done" or mailing.done_count != len(people):
        raise SystemExit(f"mailing {mailing.pk}: {mailing.state}, {mailing.done_count}/{len(people)} made")
    return mailing, seconds


def checks(mailing: Any, sample: int) -> dict[str, Any]:
    import pikepdf

    from balie.documents.files import document_storage
    from balie.documents.letters.qr import find_letter_codes
    from balie.documents.models import Document, Letter, MailingItem

    letters = list(
        Letter.objects.filter(pk__in=MailingItem.objects.filter(mailing=mailing).values("letter"))
        .select_related("pdf_document__current_version")
        .order_by("register_number")
    )
    numbers = [int(letter.register_number.rsplit("-", 1)[1]) for letter in letters]
    step = max(1, len(letters) // sample)
    pdfa = qr = 0
    for letter in letters[::step][:sample]:
        with document_storage().open(letter.pdf_document.current_version.file.name, "rb") as handle:
            pdf = handle.read()
        with pikepdf.open(io.BytesIO(pdf)) as document:
            pdfa += document.open_metadata().pdfa_status == "2B"
        qr += [code.register_number for code in find_letter_codes(pdf)] == [letter.register_number]
    return {
        "letters": len(letters),
        "documents": Document.objects.filter(
            pk__in=[x.docx_document_id for x in letters] + [x.pdf_document_id for x in letters]
        ).count(),
        "gap_free": numbers == list(range(numbers[0], numbers[0] + len(numbers))) if numbers else False,
        "checked": min(sample, len(letters[::step])),
        "pdfa": pdfa,
        "qr": qr,
    }


def docx_of(mailing: Any, count: int) -> list[bytes]:
    from balie.documents.files import document_storage
    from balie.documents.models import MailingItem

    items = list(
        MailingItem.objects.filter(mailing=mailing)
        .select_related("letter__docx_document__current_version")
        .order_by("position")
    )
    step = max(1, len(items) // count)
    files = []
    for item in items[::step][:count]:
        with document_storage().open(item.letter.docx_document.current_version.file.name, "rb") as handle:
            files.append(handle.read())
    return files


def libreoffice_processes(root: Path) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            except OSError:
                continue
            office = "soffice" in command or "uno_bridge" in command
            if office and str(root) in command and state != "Z":
                found.append(int(entry.name))
    return found


def environment(url: str) -> dict[str, str]:
    import psycopg

    with psycopg.connect(url) as conn:
        version = conn.execute("SELECT version()").fetchone()[0].split(" on ")[0]  # type: ignore[index]
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_DIR, capture_output=True, text=True, check=False
    ).stdout.strip()
    office = subprocess.run(
        [SOFFICE, "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return {
        "postgres": version,
        "commit": commit,
        "python": platform.python_version(),
        "cpus": str(os.cpu_count()),
        "libreoffice": office.split(" (")[0].strip() or office,
    }


def stats(values: list[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "mean": statistics.mean(values) * 1000,
        "p50": percentile(values, 50) * 1000,
        "p95": percentile(values, 95) * 1000,
        "max": max(values) * 1000,
    }


def row(label: str, s: dict[str, float]) -> str:
    return f"| {label} | {s['n']:.0f} | {s['mean']:.0f} | {s['p50']:.0f} | {s['p95']:.0f} | {s['max']:.0f} |"


def report(run: dict[str, Any]) -> str:
    big, kept, cold = run["big"], run["kept"], run["cold"]
    ratio_mailing = cold["mean"] / kept["mean"]
    ratio_convert = run["convert_cold"]["mean"] / run["convert_kept"]["mean"]
    check = run["checks"]
    lines = [
        f"# Balie letters benchmark, {run['date']}",
        "",
        f"- machine: {run['env']['cpus']} CPUs shared with other work, {run['env']['postgres']}, Python "
        f"{run['env']['python']}, {run['env']['libreoffice']}, commit {run['env']['commit']}",
        f"- load average (1 min) before {run['load_before']:.1f}, after {run['load_after']:.1f}",
        f"- command: `{run['command']}`",
        "- letter: Gemeente Zonnedaal's acknowledgement (`balie/demo/letters.py`): letterhead block",
        "  with a logo in a table, window-envelope address from a loop, conditions on the case, the QR",
        "  code in the DOCX, closing and signature blocks; A4, one page; PDF/A-2b; each letter numbered",
        "  OUT-YYYY-NNNNNN in its own transaction",
        "",
        f"## The mass mailing: {big['n']:,} letters, LibreOffice kept running",
        "",
        f"`start_mailing` of {big['n']:,} persons, made by the task through `run_ready_tasks` (the",
        "worker's claim and bookkeeping): per letter merge (docxtpl, blocks), PDF/A through the running",
        "LibreOffice, DOCX and PDF stored as documents, item done, in the letter's transaction.",
        "",
        f"- **{run['big_seconds']:.1f} s for {big['n']:,} letters: "
        f"{big['n'] / run['big_seconds']:.1f} letters/s, "
        f"{1000 * run['big_seconds'] / big['n']:.0f} ms per letter** "
        f"(LibreOffice started {run['starts']} time(s), the first start included)",
        f"- stored: {check['letters']:,} letters, {check['documents']:,} documents; "
        f"register numbers gap-free: {'yes ✅' if check['gap_free'] else 'NO ❌'}; "
        f"of {check['checked']} PDFs checked, {check['pdfa']} claim PDF/A-2b and {check['qr']} "
        "have a QR code that reads back as their number",
        f"- LibreOffice processes left after closing: {run['left']}",
        "",
        "| per letter (ms), from the items' finish times | n | mean | p50 | p95 | max |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
        row("mass mailing, kept running", big),
        "",
        f"## The same letters, LibreOffice started per letter (sample of {kept['n']})",
        "",
        f"{kept['n']} persons in chunks of {CHUNK}, alternating (K C K C …): a mailing through the",
        "kept-running LibreOffice, then one whose converter runs `soffice --headless",
        '--infilter="MS Word 2007 XML" --convert-to pdf:writer_pdf_Export:{SelectPdfVersion=2}` for',
        "every letter (a warm profile: its first start is not counted). Everything else is the same",
        "code: merge, numbering, storing.",
        "",
        "| per letter (ms), whole letter | n | mean | p50 | p95 | max |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
        row("kept running", kept),
        row("soffice per letter", cold),
        "",
        f"**Per letter: {kept['mean']:.0f} ms kept running against {cold['mean']:.0f} ms "
        f"starting LibreOffice per letter: {ratio_mailing:.1f}× faster.** "
        f"For {big['n']:,} letters that is {run['big_seconds'] / 60:.1f} min "
        f"against about {big['n'] * cold['mean'] / 60000:.0f} min.",
        "",
        f"Conversion alone, on the DOCX of {run['convert_kept']['n']} letters of the big mailing, "
        "alternating per letter:",
        "",
        "| DOCX → PDF/A-2b (ms) | n | mean | p50 | p95 | max |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
        row("kept running (through the bridge)", run["convert_kept"]),
        row("soffice --convert-to per letter", run["convert_cold"]),
        "",
        f"Ratio per letter ÷ kept running: **{ratio_convert:.1f}×** for the conversion alone.",
        "",
        "Where a letter's time goes (kept running, the sample's letters, ms):",
        "",
        "| phase | mean | p50 | p95 |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name, values in run["phases"].items():
        s = stats(values)
        lines.append(f"| {name} | {s['mean']:.0f} | {s['p50']:.0f} | {s['p95']:.0f} |")
    lines.append("")
    return "\n".join(lines)


def measure_phases(template: Any, people: list[Any], employee: Any) -> dict[str, list[float]]:
    """Merge, convert and store timed apart, for the same kind of letter (registered, numbered)."""
    from django.db import transaction

    from balie.core.numbering import next_register_number
    from balie.documents.actions import discard_new_files_on_failure
    from balie.documents.letters.actions import prepare_letter, store_letter
    from balie.documents.letters.context import build_context
    from balie.documents.letters.qr import payload_for
    from balie.documents.letters.render import Merger, letter_pdf

    version = template.current_version
    merger = Merger(version)
    phases: dict[str, list[float]] = {
        "merge (docxtpl + blocks)": [],
        "PDF/A (LibreOffice kept running)": [],
        "store (2 documents + letter, one transaction)": [],
    }
    for person in people:
        with transaction.atomic():
            number = next_register_number(prefix="OUT")
        payload = payload_for(register_number=number)
        started = time.perf_counter()
        context = build_context(
            language="nl",
            qr_payload=payload,
            party=person,
            employee=employee,
            item={"register_number": number},
        )
        merged = merger.merge(context)
        phases["merge (docxtpl + blocks)"].append(time.perf_counter() - started)
        started = time.perf_counter()
        letter_pdf(merged.docx, pdfa=True, qr_payload=payload, qr_in_docx=merged.qr_in_docx)
        phases["PDF/A (LibreOffice kept running)"].append(time.perf_counter() - started)
        prepared = prepare_letter(
            template=version,
            by=employee,
            party=person,
            employee=employee,
            item={"register_number": number},
            merger=merger,
        )
        started = time.perf_counter()
        with discard_new_files_on_failure(), transaction.atomic():
            store_letter(prepared=prepared, by=employee)
        phases["store (2 documents + letter, one transaction)"].append(time.perf_counter() - started)
    return phases


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db-url", default=DEFAULT_DB_URL, help="the benchmark's own database [%(default)s]")
    parser.add_argument("--data-dir", default=DEFAULT_DATA_DIR, help="documents and profiles [%(default)s]")
    parser.add_argument("--letters", type=int, default=1000, help="the mass mailing's size [%(default)s]")
    parser.add_argument("--sample", type=int, default=40, help="letters also made per-letter [%(default)s]")
    parser.add_argument(
        "--output", help="results file (default: bench/results/<date>-letters.md at full size)"
    )
    parser.add_argument("--no-output", action="store_true")
    args = parser.parse_args(argv)
    load_before = os.getloadavg()[0]
    data_dir = Path(args.data_dir)
    shutil.rmtree(data_dir, ignore_errors=True)
    (data_dir / "static").mkdir(parents=True)
    log(f"… database {args.db_url}, data in {data_dir}")
    create_database(args.db_url)
    os.environ["BALIE_DATA_DIR"] = str(data_dir)
    migrate(args.db_url)
    setup_django(args.db_url, data_dir)

    from balie.documents.conversion import get_converter, shutdown_converter
    from balie.documents.letters.mailing import mailing_registrars

    mailing_registrars.add("bench.post", BenchRegister())
    started = time.perf_counter()
    admin, employee, people = make_people(args.letters + args.sample * 3)
    template = make_template(admin)
    log(f"✓ {len(people):,} persons, blocks and the template in {time.perf_counter() - started:.1f} s")

    log(f"… mass mailing of {args.letters:,} letters (LibreOffice kept running)")
    big, big_seconds = run_mailing(template, people[: args.letters], employee)
    big_times = item_times(big)
    starts = get_converter().starts
    log(
        f"✓ {args.letters:,} letters in {big_seconds:.1f} s ({1000 * big_seconds / args.letters:.0f} ms each)"
    )

    cold = SofficePerLetter(data_dir / "soffice-per-letter")
    cold.root.mkdir(parents=True)
    cold.convert(docx_of(big, 1)[0], pdfa=True)  # makes its profile: not counted
    sample = people[args.letters : args.letters + args.sample]
    kept_times: list[float] = []
    cold_times: list[float] = []
    for start in range(0, len(sample), CHUNK):
        chunk = sample[start : start + CHUNK]
        kept_mailing, _seconds = run_mailing(template, chunk, employee)
        kept_times += item_times(kept_mailing)
        cold_mailing, _seconds = run_mailing(template, chunk, employee, converter=cold)
        cold_times += item_times(cold_mailing)
        log(
            f"  chunk {start // CHUNK + 1}: kept {statistics.mean(kept_times[-len(chunk) :]) * 1000:.0f} ms, "
            f"per letter {statistics.mean(cold_times[-len(chunk) :]) * 1000:.0f} ms"
        )

    log("… conversion alone, alternating")
    convert_kept, convert_cold = [], []
    for source in docx_of(big, args.sample):
        t = time.perf_counter()
        get_converter().convert(source, pdfa=True)
        convert_kept.append(time.perf_counter() - t)
        t = time.perf_counter()
        cold.convert(source, pdfa=True)
        convert_cold.append(time.perf_counter() - t)

    log("… phases")
    phases = measure_phases(template, people[args.letters + args.sample :][: args.sample], employee)
    log("… checks")
    result_checks = checks(big, 50)
    shutdown_converter()
    time.sleep(1)
    left = libreoffice_processes(data_dir)
    run = {
        "date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "command": "uv run python bench/letters.py" + (" " + " ".join(argv or sys.argv[1:])).rstrip(),
        "env": environment(args.db_url),
        "load_before": load_before,
        "load_after": os.getloadavg()[0],
        "big": stats(big_times),
        "big_seconds": big_seconds,
        "starts": starts,
        "kept": stats(kept_times),
        "cold": stats(cold_times),
        "convert_kept": stats(convert_kept),
        "convert_cold": stats(convert_cold),
        "phases": phases,
        "checks": result_checks,
        "left": len(left),
    }
    text = report(run)
    print()
    print(text)
    if args.no_output:
        return
    output = args.output
    if output is None and args.letters >= 1000:
        output = str(BENCH_DIR / "results" / f"{dt.date.today():%Y-%m-%d}-letters.md")
    if output:
        Path(output).write_text(text)
        log(f"✓ written to {output}")


if __name__ == "__main__":
    main()
