"""DOCX to PDF (or PDF/A-2b) with LibreOffice, kept running between conversions.

Starting LibreOffice costs about a second; converting a letter through a running one a tenth of
that. So each process that converts (a web worker for a preview, the task worker for a mass
mailing) keeps one LibreOffice running, started when first needed:

    our Python ── JSON lines over a pipe ──> uno_bridge.py under /usr/bin/python3 ── UNO ──> soffice.bin

Our virtualenv's Python cannot `import uno` (Debian's python3-uno is built for the system Python),
so a small bridge process runs under the system Python and drives LibreOffice for us (see
uno_bridge.py). Conversions in one process are serialised by a lock (LibreOffice is not made for
concurrent loads through one connection); each process has its own LibreOffice with its own user
profile, a "slot" under BALIE_DATA_DIR/libreoffice held with a file lock, so processes never share
a profile and a profile is reused (a warm start) by the next process that takes its slot.

A conversion that takes longer than BALIE_LIBREOFFICE_TIMEOUT is abandoned: the bridge and its
LibreOffice are killed (their own process group) and the next conversion starts a new one; so is
a LibreOffice that died. After BALIE_LIBREOFFICE_RECYCLE_AFTER conversions, or
BALIE_LIBREOFFICE_IDLE_SECONDS without one, it is closed (and started again when needed). When
the process ends, `atexit` closes it; if the process is killed, the bridge sees its stdin close
and closes LibreOffice, and LibreOffice itself dies with the bridge (PR_SET_PDEATHSIG).
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import json
import logging
import os
import select
import signal
import subprocess
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _

logger = logging.getLogger("balie.documents.conversion")

BRIDGE = Path(__file__).with_name("uno_bridge.py")
MAX_SLOTS = 64
PDFA_2B = 2
DOCX_IMPORT_FILTER = "MS Word 2007 XML"  # read as DOCX or fail; never guessed (as plain text …)


class ConversionError(Exception):
    """A document could not be converted; the message is for the user (Dutch)."""

    def __init__(self, message: str, *, timed_out: bool = False, detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.timed_out = timed_out
        self.detail = detail


class _BridgeGone(Exception):
    """The bridge (or its LibreOffice) is not there any more."""


@dataclass
class _Slot:
    number: int
    lock_file: IO[bytes]
    profile: Path
    work: Path

    def release(self) -> None:
        try:
            fcntl.flock(self.lock_file, fcntl.LOCK_UN)
        finally:
            self.lock_file.close()


def _take_slot(root: Path) -> _Slot:
    """The first profile slot no other process (or converter) holds."""
    root.mkdir(parents=True, exist_ok=True)
    for number in range(MAX_SLOTS):
        handle = open(root / f"slot-{number}.lock", "ab")  # noqa: SIM115 - held while the slot is
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            continue
        work = root / f"work-{number}"
        work.mkdir(mode=0o700, exist_ok=True)
        for leftover in work.iterdir():  # from a process that was killed mid-conversion
            leftover.unlink(missing_ok=True)
        return _Slot(number=number, lock_file=handle, profile=root / f"profile-{number}", work=work)
    raise ConversionError(_("Er draaien te veel LibreOffice-processen tegelijk op deze server."))


class _Bridge:
    """One running bridge process and its LibreOffice."""

    def __init__(self, *, python: str, soffice: str, slot: _Slot, startup_timeout: float) -> None:
        self.slot = slot
        self.conversions = 0
        self._buffer = b""
        pipe = f"balie_{os.getpid()}_{slot.number}_{uuid.uuid4().hex[:8]}"
        self.process = subprocess.Popen(  # noqa: S603 - our own script under a configured Python
            [
                python,
                str(BRIDGE),
                *["--profile", str(slot.profile), "--pipe", pipe, "--soffice", soffice],
                *["--startup-timeout", str(startup_timeout)],
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            start_new_session=True,  # its own process group: killed together with LibreOffice
        )
        try:
            hello = self.read_answer(startup_timeout + 5)
        except (_BridgeGone, TimeoutError) as error:
            self.kill()
            raise ConversionError(
                _("LibreOffice kon niet gestart worden."), detail=f"{type(error).__name__}: {error}"
            ) from None
        if not hello.get("ready"):
            self.kill()
            raise ConversionError(_("LibreOffice kon niet gestart worden."), detail=str(hello.get("error")))
        self.soffice_pid = int(hello["pid"])
        logger.info(
            "libreoffice started",
            extra={"bridge_pid": self.process.pid, "soffice_pid": self.soffice_pid, "slot": slot.number},
        )

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def send(self, request: dict[str, Any]) -> None:
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(json.dumps(request).encode() + b"\n")
            self.process.stdin.flush()
        except (BrokenPipeError, OSError) as error:
            raise _BridgeGone(str(error)) from None

    def read_answer(self, timeout: float) -> dict[str, Any]:
        assert self.process.stdout is not None
        fd = self.process.stdout.fileno()
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            ready, _w, _x = select.select([fd], [], [], remaining)
            if not ready:
                raise TimeoutError
            chunk = os.read(fd, 65536)
            if not chunk:
                raise _BridgeGone("the bridge closed its output")
            self._buffer += chunk
        line, _sep, self._buffer = self._buffer.partition(b"\n")
        return dict(json.loads(line))

    def close(self, timeout: float = 15) -> None:
        """Ask LibreOffice to quit (the bridge does, when its input closes); kill what remains."""
        try:
            if self.process.stdin is not None:
                self.process.stdin.close()
            self.process.wait(timeout=timeout)
        except (OSError, subprocess.TimeoutExpired):
            pass
        self.kill()

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover - SIGKILL is not refused
            logger.error("libreoffice bridge %s did not die", self.process.pid)
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        self.slot.release()


class Converter:
    """Converts documents through one LibreOffice kept running; safe to share between threads."""

    def __init__(
        self,
        *,
        python: str | None = None,
        soffice: str | None = None,
        root: Path | None = None,
        timeout: float | None = None,
        startup_timeout: float | None = None,
        idle_seconds: float | None = None,
        recycle_after: int | None = None,
    ) -> None:
        self.python = python or settings.BALIE_LIBREOFFICE_PYTHON
        self.soffice = soffice or settings.BALIE_LIBREOFFICE_SOFFICE
        self.root = Path(root or Path(settings.DATA_DIR) / "libreoffice")
        self.timeout = float(timeout or settings.BALIE_LIBREOFFICE_TIMEOUT)
        self.startup_timeout = float(startup_timeout or settings.BALIE_LIBREOFFICE_STARTUP_TIMEOUT)
        self.idle_seconds = float(idle_seconds or settings.BALIE_LIBREOFFICE_IDLE_SECONDS)
        self.recycle_after = int(recycle_after or settings.BALIE_LIBREOFFICE_RECYCLE_AFTER)
        self.starts = 0  # how many times LibreOffice was started (for tests and the benchmark)
        self._lock = threading.Lock()
        self._bridge: _Bridge | None = None
        self._last_used = time.monotonic()
        self._reaper: threading.Thread | None = None
        self._closed = threading.Event()

    # -- what callers use ------------------------------------------------------------------------

    def convert(self, source: bytes, *, pdfa: bool = False, timeout: float | None = None) -> bytes:
        """The PDF (PDF/A-2b with `pdfa`) of a DOCX, as bytes. Raises ConversionError."""
        limit = float(timeout or self.timeout)
        with self._lock:
            self._closed.clear()
            try:
                bridge = self._ready_bridge()
                try:
                    answer, pdf = self._convert_once(bridge, source, pdfa=pdfa, limit=limit)
                except _BridgeGone:  # it had died while idle: a new one, and the request again
                    bridge = self._restart()
                    answer, pdf = self._convert_once(bridge, source, pdfa=pdfa, limit=limit)
                if answer.get("gone"):  # LibreOffice had died while idle: the same
                    bridge = self._restart()
                    answer, pdf = self._convert_once(bridge, source, pdfa=pdfa, limit=limit)
                if not answer.get("ok"):
                    if answer.get("fatal"):
                        self._drop()
                    raise ConversionError(
                        _("LibreOffice kon dit document niet omzetten naar PDF."),
                        detail=str(answer.get("error", "")),
                    )
                bridge.conversions += 1
                return pdf
            finally:
                self._last_used = time.monotonic()
                if self._bridge is not None and self._bridge.conversions >= self.recycle_after:
                    self._drop(graceful=True)

    def _convert_once(
        self, bridge: _Bridge, source: bytes, *, pdfa: bool, limit: float
    ) -> tuple[dict[str, Any], bytes]:
        name = uuid.uuid4().hex
        source_path = bridge.slot.work / f"{name}.docx"
        target_path = bridge.slot.work / f"{name}.pdf"
        try:
            source_path.write_bytes(source)
            bridge.send(
                {
                    "input": str(source_path),
                    "output": str(target_path),
                    "pdfa": PDFA_2B if pdfa else 0,
                    "import_filter": DOCX_IMPORT_FILTER,
                }
            )
            answer = self._answer(bridge, limit)
            pdf = target_path.read_bytes() if answer.get("ok") else b""
            return answer, pdf
        finally:
            source_path.unlink(missing_ok=True)
            target_path.unlink(missing_ok=True)

    def close(self) -> None:
        """Close LibreOffice (it starts again on the next conversion)."""
        with self._lock:
            self._drop(graceful=True)
            self._closed.set()

    @property
    def soffice_pid(self) -> int | None:
        bridge = self._bridge
        return bridge.soffice_pid if bridge is not None and bridge.alive else None

    @property
    def bridge_pid(self) -> int | None:
        bridge = self._bridge
        return bridge.process.pid if bridge is not None and bridge.alive else None

    # -- inside --------------------------------------------------------------------------------

    def _answer(self, bridge: _Bridge, limit: float) -> dict[str, Any]:
        try:
            return bridge.read_answer(limit)
        except TimeoutError:
            logger.warning("libreoffice conversion timed out", extra={"seconds": limit})
            self._drop()
            raise ConversionError(
                _("De omzetting naar PDF duurde langer dan %(seconds)s seconden en is afgebroken.")
                % {"seconds": f"{limit:g}"},
                timed_out=True,
            ) from None
        except _BridgeGone as error:
            logger.warning("libreoffice stopped during a conversion")
            self._drop()
            raise ConversionError(
                _("LibreOffice stopte tijdens de omzetting naar PDF."), detail=str(error)
            ) from None

    def _ready_bridge(self) -> _Bridge:
        if self._bridge is not None and not self._bridge.alive:
            logger.warning("libreoffice bridge had stopped; starting a new one")
            self._drop()
        if self._bridge is None:
            return self._restart()
        return self._bridge

    def _restart(self) -> _Bridge:
        self._drop()
        slot = _take_slot(self.root)
        try:
            self._bridge = _Bridge(
                python=self.python, soffice=self.soffice, slot=slot, startup_timeout=self.startup_timeout
            )
        except BaseException:
            if not slot.lock_file.closed:
                slot.release()
            raise
        self.starts += 1
        self._start_reaper()
        return self._bridge

    def _drop(self, *, graceful: bool = False) -> None:
        bridge, self._bridge = self._bridge, None
        if bridge is None:
            return
        if graceful and bridge.alive:
            bridge.close()
        else:
            bridge.kill()

    def _start_reaper(self) -> None:
        if self._reaper is not None and self._reaper.is_alive():
            return
        self._reaper = threading.Thread(target=self._reap_when_idle, name="libreoffice-idle", daemon=True)
        self._reaper.start()

    def _reap_when_idle(self) -> None:
        tick = max(1.0, min(30.0, self.idle_seconds / 4))
        while not self._closed.wait(tick):
            if self._bridge is None:
                return
            if time.monotonic() - self._last_used < self.idle_seconds:
                continue
            if self._lock.acquire(blocking=False):
                try:
                    if self._bridge is not None and time.monotonic() - self._last_used >= self.idle_seconds:
                        logger.info("libreoffice idle; closing it")
                        self._drop(graceful=True)
                        return
                finally:
                    self._lock.release()


# -- the process's converter ---------------------------------------------------------------------

_converter: Converter | None = None
_converter_lock = threading.Lock()


def get_converter() -> Converter:
    """This process's converter (LibreOffice starts on its first conversion)."""
    global _converter
    with _converter_lock:
        if _converter is None:
            _converter = Converter()
        return _converter


def convert_to_pdf(source: bytes, *, pdfa: bool = False, timeout: float | None = None) -> bytes:
    return get_converter().convert(source, pdfa=pdfa, timeout=timeout)


def shutdown_converter() -> None:
    """Close this process's LibreOffice, if it runs (at exit; tests at the end of the session)."""
    global _converter
    with _converter_lock:
        converter, _converter = _converter, None
    if converter is not None:
        converter.close()


def _forget_in_child() -> None:
    # A forked child (a gunicorn worker) must not use its parent's pipe: it starts its own.
    global _converter, _converter_lock
    _converter = None
    _converter_lock = threading.Lock()


atexit.register(shutdown_converter)
os.register_at_fork(after_in_child=_forget_in_child)
