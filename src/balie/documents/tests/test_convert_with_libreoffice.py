"""DOCX to PDF through one LibreOffice kept running: started once, reused, started again when it
died or hung, and gone when it is closed. Real LibreOffice throughout."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from balie.documents.conversion import ConversionError, Converter, get_converter

from .letter_samples import pdf_text, pdfa_part, word

pytestmark = pytest.mark.slow


def alive(pid: int | None) -> bool:
    """The process exists and is not a zombie."""
    if pid is None:
        return False
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return state != "Z"


def processes_using(profile: Path) -> list[int]:
    """Every process whose command line names this LibreOffice profile."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if str(profile) in command and alive(int(entry.name)):
                found.append(int(entry.name))
    return found


def test_many_documents_go_through_one_running_libreoffice():
    converter = get_converter()
    converter.convert(word(["Eerste"]))
    starts, pid = converter.starts, converter.soffice_pid

    pdfs = [converter.convert(word([f"Brief {n}"])) for n in range(3)]

    assert [pdf_text(pdf).strip() for pdf in pdfs] == ["Brief 0", "Brief 1", "Brief 2"]
    assert converter.starts == starts
    assert converter.soffice_pid == pid
    assert alive(pid)


def test_pdfa_is_asked_for_and_claimed():
    converter = get_converter()

    assert pdfa_part(converter.convert(word(["Archief"]), pdfa=True)) == "2B"
    assert pdfa_part(converter.convert(word(["Gewoon"]), pdfa=False)) == ""


def test_a_libreoffice_that_died_is_started_again():
    converter = get_converter()
    converter.convert(word(["Voor"]))
    dead = converter.soffice_pid
    os.kill(dead, 9)
    time.sleep(0.3)

    pdf = converter.convert(word(["Na"]))

    assert pdf_text(pdf).strip() == "Na"
    assert converter.soffice_pid != dead
    assert not alive(dead)


def test_a_conversion_that_takes_too_long_is_stopped_and_the_next_one_works():
    converter = get_converter()
    converter.convert(word(["Voor"]))
    hung_bridge, hung_office = converter.bridge_pid, converter.soffice_pid

    with pytest.raises(ConversionError) as caught:
        converter.convert(word(["Traag"] * 50), timeout=0.001)

    assert caught.value.message == "De omzetting naar PDF duurde langer dan 0.001 seconden en is afgebroken."
    assert caught.value.timed_out is True
    time.sleep(0.3)
    assert not alive(hung_bridge)
    assert not alive(hung_office)
    assert pdf_text(converter.convert(word(["Daarna"]))).strip() == "Daarna"


def test_a_file_libreoffice_cannot_read_is_refused_and_libreoffice_stays():
    converter = get_converter()
    converter.convert(word(["Voor"]))
    pid = converter.soffice_pid

    with pytest.raises(ConversionError) as caught:
        converter.convert(b"PK\x03\x04 dit is geen Word-document")

    assert caught.value.message == "LibreOffice kon dit document niet omzetten naar PDF."
    assert converter.soffice_pid == pid
    assert pdf_text(converter.convert(word(["Daarna"]))).strip() == "Daarna"


def test_conversions_from_several_threads_take_turns():
    converter = get_converter()
    results: dict[int, str] = {}

    def convert(number: int) -> None:
        results[number] = pdf_text(converter.convert(word([f"Draad {number}"]))).strip()

    threads = [threading.Thread(target=convert, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert results == {n: f"Draad {n}" for n in range(4)}


def test_an_idle_libreoffice_is_closed_and_leaves_no_process(settings, tmp_path):
    converter = Converter(root=tmp_path / "libreoffice", idle_seconds=1)
    converter.convert(word(["Even"]))
    bridge, office = converter.bridge_pid, converter.soffice_pid
    profile = tmp_path / "libreoffice" / "profile-0"
    assert alive(bridge) and alive(office)
    assert set(processes_using(profile)) == {bridge, office}

    deadline = time.monotonic() + 15
    while converter.soffice_pid is not None and time.monotonic() < deadline:
        time.sleep(0.2)

    assert converter.soffice_pid is None
    time.sleep(0.5)
    assert processes_using(profile) == []
    assert pdf_text(converter.convert(word(["Weer"]))).strip() == "Weer"  # and it starts again
    converter.close()
    time.sleep(0.5)
    assert processes_using(profile) == []


def test_a_balie_process_that_is_killed_leaves_no_libreoffice_behind(tmp_path):
    root = tmp_path / "libreoffice"
    script = (
        "import sys, time\n"
        "from balie.documents.conversion import Converter\n"
        f"converter = Converter(root={str(root)!r})\n"
        "converter.convert(open(sys.argv[1], 'rb').read())\n"
        "print('converted', flush=True)\n"
        "time.sleep(600)\n"
    )
    source = tmp_path / "brief.docx"
    source.write_bytes(word(["Tot straks"]))
    balie = subprocess.Popen(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", script, str(source)],
        stdout=subprocess.PIPE,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "balie.conf.settings"},
    )
    try:
        assert balie.stdout is not None
        assert balie.stdout.readline() == b"converted\n"
        profile = root / "profile-0"
        assert len(processes_using(profile)) == 2  # the bridge and soffice.bin
    finally:
        balie.kill()  # however the test went: the point is what happens next
        balie.wait()

    deadline = time.monotonic() + 15
    while processes_using(profile) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert processes_using(profile) == []
