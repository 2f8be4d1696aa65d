"""OCR throughput: scanned Dutch letters read by Balie's own background task, in pages per minute,
against bare Tesseract on the same pages in the same run.

    uv run python bench/ocr.py                     # 8 letters of 2 pages, 2 rounds, 1 worker
    uv run python bench/ocr.py --workers 2         # two `balie worker` processes, two bare pipelines
    uv run python bench/ocr.py --letters 2 --rounds 1 --no-output   # a quick check

1. Letters: a municipality's incoming post as a scanner makes it. Dutch letter text (sender, address
   block, date, subject, paragraphs drawn from a list, closing) rendered at 300 dpi on A4 in a
   serif of 11 pt, then "scanned": a grey paper tone, speckles, a rotation of up to ±0.8°,
   grey-scale and JPEG-compressed in an image-only PDF (no text layer), as Pillow writes it.
   Deterministic from --seed.
2. Its own database (default `balie_ocr_bench`, made anew and migrated each run), PostgreSQL.
3. Alternating so that the machine's noise falls on both (B I B I …, --rounds each):
   - baseline: for every page `pdftoppm -r 300 -gray` then `tesseract page stdout -l nld+fra+eng`
     (OMP_THREAD_LIMIT as Balie sets it), --workers pages at a time; also timed: Tesseract alone on
     the pages already rendered;
   - Balie: `store_document` for each letter (the version's task is enqueued in its transaction),
     then --workers real `balie worker` processes (started before, idle) read them; the time runs
     from the commit to the moment every version has its text, as seen in the database.
   Pages per minute for each; the ratio is Balie's time over the baseline's (1.0 = no overhead).
4. Accuracy: the share of the letter's words (3 letters or more) found in the text Balie read.

Results go to bench/results/<date>-ocr.md unless --no-output.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime as dt
import io
import os
import random
import re
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
    "BENCH_OCR_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/balie_ocr_bench"
)
DPI = 300
A4 = (2480, 3508)
FONTS = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
]

SENDERS = [
    ("An Peeters", "Kerkstraat 12", "2645 Zonnedaal"),
    ("Jan Janssens", "Molenweg 4 bus 2", "2646 Zonnedaal"),
    ("Bakkerij De Gouden Korst bv", "Markt 7", "2645 Zonnedaal"),
    ("Marleen Coppens", "Stationsstraat 88", "2640 Mortsel"),
    ("Vzw Buurtwerking Zonnebloem", "Schoolstraat 3", "2645 Zonnedaal"),
]
SUBJECTS = [
    "Aanvraag omgevingsvergunning voor een terras",
    "Bezwaar tegen de belastingaanslag 2026",
    "Melding van een beschadigd voetpad",
    "Vraag om een parkeerkaart voor bewoners",
    "Klacht over geluidsoverlast na 23 uur",
    "Aanvraag zaalreservatie voor een buurtfeest",
]
PARAGRAPHS = [
    "Hierbij richt ik mij tot uw diensten met de vraag om mijn dossier opnieuw te bekijken. In de "
    "brief van 14 februari werd vermeld dat de nodige documenten ontbraken, maar ik heb die op 2 "
    "januari al aan het loket afgegeven.",
    "Sinds enkele maanden stel ik vast dat het voetpad voor mijn woning ernstig beschadigd is. "
    "Verschillende tegels liggen los en oudere buren zijn er al over gestruikeld. Ik vraag u "
    "vriendelijk om dit zo snel mogelijk te herstellen.",
    "Graag had ik een vergunning aangevraagd voor het plaatsen van een terras van vier meter op "
    "twee meter op het openbaar domein, tussen 1 april en 30 september. In bijlage vindt u het "
    "plan en een foto van de huidige toestand.",
    "Ik betwist het bedrag van de aanslag omdat de oppervlakte van het pand verkeerd werd "
    "berekend. Volgens het kadaster bedraagt die 112 vierkante meter en niet 145 vierkante meter "
    "zoals in uw berekening staat.",
    "De buurtbewoners ondervinden al weken hinder van luide muziek tot diep in de nacht. We hebben "
    "de uitbater hier meermaals op aangesproken, zonder resultaat. Wij verzoeken het college om "
    "de nodige maatregelen te nemen.",
    "Onze vereniging organiseert op zaterdag 20 juni een buurtfeest voor ongeveer honderdvijftig "
    "bewoners. Wij willen daarvoor de polyvalente zaal van het gemeentehuis huren, met keuken en "
    "geluidsinstallatie, van tien tot drieëntwintig uur.",
    "Als bewoner van de Kerkstraat heb ik recht op een parkeerkaart. Mijn vorige kaart verviel op "
    "31 december. Ik voeg een kopie van mijn inschrijvingsbewijs van de wagen en van mijn "
    "identiteitskaart toe.",
    "Mag ik u vragen om de ontvangst van deze brief te bevestigen en mij te laten weten binnen "
    "welke termijn ik een antwoord mag verwachten? U kunt mij steeds bereiken op het nummer 0470 "
    "12 34 56 of per e-mail.",
    "Ik dank u bij voorbaat voor de aandacht die u aan deze zaak wilt besteden en hoop op een "
    "spoedige en gunstige oplossing. Indien nodig ben ik bereid om een en ander toe te lichten "
    "tijdens een gesprek.",
]


def log(message: str) -> None:
    print(message, flush=True)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    f = int(k)
    c = min(f + 1, len(ordered) - 1)
    return ordered[f] + (ordered[c] - ordered[f]) * (k - f)


# --- letters --------------------------------------------------------------------------------------


def letter_text(rng: random.Random, number: int) -> list[list[str]]:
    """The paragraphs of a two-page letter, page by page (a page is a list of paragraphs)."""
    name, street, town = rng.choice(SENDERS)
    date = dt.date(2026, 1, 5) + dt.timedelta(days=rng.randrange(300))
    first = [
        f"{name}\n{street}\n{town}",
        "Gemeente Zonnedaal\nDienst Omgeving\nMarkt 1\n2645 Zonnedaal",
        f"Zonnedaal, {date:%d/%m/%Y}",
        f"Betreft: {rng.choice(SUBJECTS)} (ons kenmerk {2026}-{number:04d})",
        "Geachte heer, mevrouw,",
        *rng.sample(PARAGRAPHS, 3),
    ]
    second = [*rng.sample(PARAGRAPHS, 3), "Met vriendelijke groeten,", name]
    return [first, second]


def render_page(paragraphs: list[str], rng: random.Random) -> Any:
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    size = round(11 / 72 * DPI)
    font_path = next((path for path in FONTS if Path(path).exists()), None)
    font = ImageFont.truetype(font_path, size) if font_path else ImageFont.load_default(size=size)
    page = Image.new("L", A4, 255)
    draw = ImageDraw.Draw(page)
    margin, y, width = 240, 260, A4[0] - 480
    leading = round(size * 1.35)
    for paragraph in paragraphs:
        for raw in paragraph.split("\n"):
            line = ""
            for word in raw.split():
                candidate = f"{line} {word}".strip()
                if font.getlength(candidate) > width and line:
                    draw.text((margin, y), line, fill=20, font=font)
                    y += leading
                    line = word
                else:
                    line = candidate
            draw.text((margin, y), line, fill=20, font=font)
            y += leading
        y += leading // 2
    # the scanner: paper tone, speckles, a slight blur and a slight skew
    page = page.point(lambda value: min(value, 238))
    pixels = page.load()
    for _speck in range(4000):
        x, y = rng.randrange(A4[0]), rng.randrange(A4[1])
        pixels[x, y] = rng.choice((0, 90, 160))
    page = page.filter(ImageFilter.GaussianBlur(0.6))
    return page.rotate(rng.uniform(-0.8, 0.8), resample=Image.Resampling.BICUBIC, expand=False, fillcolor=238)


def make_letters(count: int, seed: int) -> list[tuple[bytes, str]]:
    """(PDF, the text that was printed) per letter."""
    rng = random.Random(seed)
    letters = []
    for number in range(1, count + 1):
        pages = letter_text(rng, number)
        images = [render_page(page, rng) for page in pages]
        buffer = io.BytesIO()
        images[0].save(
            buffer, format="PDF", resolution=DPI, save_all=True, append_images=images[1:], quality=80
        )
        letters.append((buffer.getvalue(), "\n".join("\n".join(page) for page in pages)))
    return letters


def word_recall(source: str, read: str) -> float:
    words = [w.lower() for w in re.findall(r"\w{3,}", source)]
    found = {w.lower() for w in re.findall(r"\w{3,}", read)}
    return sum(1 for w in words if w in found) / len(words)


# --- the baseline: bare pdftoppm + tesseract ------------------------------------------------------


def tesseract_env(threads: int) -> dict[str, str]:
    return {**os.environ, "OMP_THREAD_LIMIT": str(threads)}


def bare_page(pdf: Path, page: int, workdir: Path, languages: str, threads: int) -> tuple[float, float]:
    """Render and OCR one page the plain way; returns (seconds rendering, seconds OCR)."""
    prefix = workdir / f"{pdf.stem}-{page}"
    start = time.perf_counter()
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            str(DPI),
            "-gray",
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(pdf),
            str(prefix),
        ],
        check=True,
        capture_output=True,
    )
    rendered = time.perf_counter()
    subprocess.run(
        ["tesseract", str(prefix.with_suffix(".pgm")), "stdout", "-l", languages, "--dpi", str(DPI)],
        check=True,
        capture_output=True,
        env=tesseract_env(threads),
    )
    return rendered - start, time.perf_counter() - rendered


def run_baseline(
    pdfs: list[Path], pages: int, workers: int, languages: str, threads: int
) -> dict[str, float]:
    jobs = [(pdf, page) for pdf in pdfs for page in range(1, pages + 1)]
    with tempfile.TemporaryDirectory(prefix="balie-ocr-bench-") as tmp:
        start = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(workers) as pool:
            timings = list(
                pool.map(lambda job: bare_page(job[0], job[1], Path(tmp), languages, threads), jobs)
            )
        elapsed = time.perf_counter() - start
    return {
        "seconds": elapsed,
        "render": sum(t[0] for t in timings),
        "ocr": sum(t[1] for t in timings),
        "pages": len(jobs),
    }


# --- Balie: the real task, run by real workers ----------------------------------------------------


def django_setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "balie.conf.settings"
    import django

    django.setup()


def start_workers(url: str, count: int) -> list[subprocess.Popen[bytes]]:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "balie.conf.settings"}
    balie = [str(Path(sys.executable).parent / "balie"), "worker"]
    return [
        subprocess.Popen(
            balie, env=env, cwd=PROJECT_DIR, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        for _ in range(count)
    ]


def stop_workers(workers: list[subprocess.Popen[bytes]]) -> None:
    for worker in workers:
        worker.terminate()
    for worker in workers:
        try:
            worker.wait(timeout=60)
        except subprocess.TimeoutExpired:
            worker.kill()


def run_balie(letters: list[tuple[bytes, str]], by: Any, round_number: int, timeout: float) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db.models import Sum

    from balie.documents.actions import store_document
    from balie.documents.models import DocumentVersion, TextState

    stored_at = time.perf_counter()
    versions = []
    for index, (pdf, _text) in enumerate(letters):
        document = store_document(
            file=SimpleUploadedFile(f"brief-{round_number}-{index}.pdf", pdf, "application/pdf"),
            title=f"Ingescande brief {round_number}-{index}",
            by=by,
        )
        versions.append(document.current_version_id)
    committed = time.perf_counter()
    rows = DocumentVersion.objects.filter(pk__in=versions)
    while rows.filter(text_state=TextState.WAITING).exists():
        if time.perf_counter() - committed > timeout:
            raise SystemExit("the workers did not finish in time")
        time.sleep(0.1)
    done = time.perf_counter()
    states = sorted(set(rows.values_list("text_state", flat=True)))
    if states != [TextState.DONE]:
        raise SystemExit(f"not every letter was read: {states}")
    texts = dict(rows.values_list("pk", "text"))
    return {
        "seconds": done - committed,
        "storing": committed - stored_at,
        "pages": rows.aggregate(pages=Sum("text_pages"))["pages"],
        "recall": statistics.mean(
            word_recall(text, texts[pk]) for pk, (_pdf, text) in zip(versions, letters, strict=True)
        ),
        "methods": sorted(set(rows.values_list("text_method", flat=True))),
    }


# --- the run -------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db-url", default=DEFAULT_DB_URL)
    parser.add_argument("--letters", type=int, default=8, help="letters of two pages [%(default)s]")
    parser.add_argument("--rounds", type=int, default=2, help="runs of each, alternating [%(default)s]")
    parser.add_argument(
        "--workers", type=int, default=1, help="worker processes / bare pipelines [%(default)s]"
    )
    parser.add_argument("--seed", type=int, default=2645)
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds a Balie round may take")
    parser.add_argument("--output", help="results file [bench/results/<date>-ocr.md]")
    parser.add_argument("--no-output", action="store_true")
    args = parser.parse_args(argv)

    log(f"→ {args.letters} letters of 2 pages, rendered and scanned at {DPI} dpi")
    started = time.perf_counter()
    letters = make_letters(args.letters, args.seed)
    log(f"  {time.perf_counter() - started:.1f} s, {sum(len(pdf) for pdf, _ in letters) / 1e6:.1f} MB of PDF")

    log(f"→ database {args.db_url}: made anew, migrated")
    create_database(args.db_url)
    migrate(args.db_url)
    django_setup(args.db_url)
    from django.conf import settings

    from balie.accounts.actions import create_department, create_employee
    from balie.accounts.models import Role

    department = create_department(name="Postkamer", code="postkamer", by=None)
    clerk = create_employee(
        username="postkamer1", first_name="Bart", last_name="Wouters", email="bart@zonnedaal.be",
        password="Balie-bench-2026", department=department, roles=[Role.POST_ROOM], by=None,
    )  # fmt: skip
    languages, threads = settings.BALIE_OCR_LANGUAGES, settings.BALIE_OCR_THREADS

    baselines: list[dict[str, float]] = []
    balies: list[dict[str, Any]] = []
    workers = start_workers(args.db_url, args.workers)
    try:
        time.sleep(5)  # the workers start (Django, the schedule's first tick) before the clock runs
        with tempfile.TemporaryDirectory(prefix="balie-ocr-letters-") as tmp:
            pdfs = []
            for index, (pdf, _text) in enumerate(letters):
                path = Path(tmp) / f"brief-{index}.pdf"
                path.write_bytes(pdf)
                pdfs.append(path)
            for round_number in range(1, args.rounds + 1):
                baseline = run_baseline(pdfs, 2, args.workers, languages, threads)
                baselines.append(baseline)
                log(
                    f"  baseline {round_number}: {baseline['pages']} pages in {baseline['seconds']:.1f} s = "
                    f"{baseline['pages'] / baseline['seconds'] * 60:.1f} pages/min "
                    f"(pdftoppm {baseline['render']:.1f} s, tesseract {baseline['ocr']:.1f} s of work)"
                )
                balie = run_balie(letters, clerk, round_number, args.timeout)
                balies.append(balie)
                rate = balie["pages"] / balie["seconds"] * 60
                log(
                    f"  Balie    {round_number}: {balie['pages']} pages in {balie['seconds']:.1f} s = "
                    f"{rate:.1f} pages/min, words found {balie['recall']:.1%}"
                )
            final = run_baseline(pdfs, 2, args.workers, languages, threads)
            baselines.append(final)
            log(f"  baseline {args.rounds + 1}: {final['seconds']:.1f} s")
    finally:
        stop_workers(workers)

    ratios = [
        balie["seconds"] / statistics.mean([baselines[i]["seconds"], baselines[i + 1]["seconds"]])
        for i, balie in enumerate(balies)
    ]
    pages = balies[0]["pages"]
    balie_rate = [pages / b["seconds"] * 60 for b in balies]
    bare_rate = [b["pages"] / b["seconds"] * 60 for b in baselines]
    ocr_only = [b["pages"] / b["ocr"] * 60 * args.workers for b in baselines]

    def row(label: str, values: list[float], digits: int = 1, unit: str = "") -> str:
        each = " / ".join(f"{value:.{digits}f}" for value in values)
        return f"| {label} | {each} | {statistics.median(values):.{digits}f}{unit} |"

    command = (
        f"uv run python bench/ocr.py --letters {args.letters} --rounds {args.rounds} --workers {args.workers}"
    )
    storing = statistics.mean(b["storing"] for b in balies)
    recall = statistics.mean(b["recall"] for b in balies)
    lines = [
        f"# OCR throughput — {dt.date.today():%Y-%m-%d}",
        "",
        f"`{command}`: {os.cpu_count()} CPUs shared with other work, PostgreSQL, Tesseract `{languages}`"
        f" with {threads} thread(s) per process, {DPI} dpi.",
        "",
        f"{args.letters} scanned Dutch letters of 2 pages ({pages} pages, image-only PDF, grey, JPEG,"
        " speckled, skewed up to ±0.8°), stored with `store_document`; read by"
        f" {args.workers} `balie worker` process(es) through `extract_version_text`; baseline"
        f" `pdftoppm -r {DPI} -gray` + `tesseract` per page, {args.workers} at a time, in the same run"
        " (alternating).",
        "",
        "| | per round | median |",
        "| --- | --- | --- |",
        row("bare pdftoppm + tesseract, pages/min", bare_rate),
        row("tesseract alone (its own seconds), pages/min", ocr_only),
        row("**Balie (stored → text in the database), pages/min**", balie_rate),
        row("**ratio Balie ÷ bare (time)**", ratios, 2, "×"),
        "",
        f"Storing the letters (pikepdf check, hash, write, enqueue): {storing:.2f} s per round. Words of"
        f" 3+ letters of the printed text found in what Balie read: {recall:.1%}. Methods recorded:"
        f" {', '.join(balies[0]['methods'])}.",
    ]
    report = "\n".join(lines) + "\n"
    log("")
    log(report)
    if not args.no_output:
        output = (
            Path(args.output) if args.output else BENCH_DIR / "results" / f"{dt.date.today():%Y-%m-%d}-ocr.md"
        )
        output.write_text(report, encoding="utf-8")
        log(f"→ {output}")


if __name__ == "__main__":
    main()
