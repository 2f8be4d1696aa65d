"""A small long-lived bridge to LibreOffice, run under the system Python (`/usr/bin/python3`), which
is the only one that can `import uno` (Debian's python3-uno). Balie's own Python talks to it over
its stdin and stdout, one JSON object per line (see documents/conversion.py).

It starts `soffice.bin` headless with its own user profile, listening on a named pipe, connects to
it through UNO and converts documents on request:

    -> {"input": "/…/in.docx", "output": "/…/out.pdf", "pdfa": 2, "import_filter": "MS Word 2007 XML"}
    <- {"ok": true, "ms": 183}           or {"ok": false, "error": "…", "fatal": false}

It answers {"ready": true, "pid": <soffice pid>} once LibreOffice accepts connections. When its
stdin closes (the Balie process ended, however it ended) it closes LibreOffice and exits; a thread
also watches for the parent's death, for when a conversion hangs and stdin is not read. soffice
itself is started with PR_SET_PDEATHSIG, so it dies with the bridge even when the bridge is killed.

This file imports nothing from Balie and runs on any Python 3 with uno.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import json
import os
import signal
import subprocess
import sys
import threading
import time
from typing import Any

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException

SOFFICE = "/usr/lib/libreoffice/program/soffice.bin"
RESTART_REQUESTED = 81


def _die_with_parent() -> None:
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _props(**values: object) -> tuple[PropertyValue, ...]:
    result = []
    for name, value in values.items():
        prop = PropertyValue()
        prop.Name = name
        prop.Value = value
        result.append(prop)
    return tuple(result)


def _answer(message: dict[str, object]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


class Office:
    def __init__(self, *, soffice: str, profile: str, pipe: str, startup_timeout: float) -> None:
        self.pipe = pipe
        self.command = [
            soffice,
            "--headless",
            "--invisible",
            "--nologo",
            "--norestore",
            "--nodefault",
            "--nolockcheck",
            "--nofirststartwizard",
            f"-env:UserInstallation={uno.systemPathToFileUrl(profile)}",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        ]
        self.process = self._start()
        self.desktop = self._connect(startup_timeout)

    def _start(self) -> subprocess.Popen[bytes]:
        return subprocess.Popen(  # noqa: S603 - a fixed program and arguments
            self.command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=_die_with_parent,  # this process has one thread
        )

    def _connect(self, timeout: float) -> Any:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() == RESTART_REQUESTED:
                # A new profile was just made: soffice asks to be started again (what oosplash,
                # the `soffice` script's launcher, does for it).
                self.process = self._start()
            elif self.process.poll() is not None:
                raise RuntimeError(f"soffice stopped while starting (exit code {self.process.returncode})")
            try:
                context = resolver.resolve(f"uno:pipe,name={self.pipe};urp;StarOffice.ComponentContext")
                break
            except NoConnectException:
                if time.monotonic() > deadline:
                    raise RuntimeError("soffice did not accept connections in time") from None
                time.sleep(0.1)
        return context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)

    def convert(self, source: str, target: str, pdfa: int, import_filter: str) -> None:
        options: dict[str, Any] = {
            "Hidden": True,
            "ReadOnly": True,
            "MacroExecutionMode": 0,
            "UpdateDocMode": 0,
        }
        if import_filter:
            options["FilterName"] = import_filter
        document = self.desktop.loadComponentFromURL(
            uno.systemPathToFileUrl(source), "_blank", 0, _props(**options)
        )
        if document is None:
            raise ValueError("LibreOffice could not open the document")
        try:
            filter_data = uno.Any(
                "[]com.sun.star.beans.PropertyValue",
                _props(SelectPdfVersion=int(pdfa), UseTaggedPDF=bool(pdfa), ExportFormFields=False),
            )
            uno.invoke(
                document,
                "storeToURL",
                (
                    uno.systemPathToFileUrl(target),
                    _props(FilterName="writer_pdf_Export", FilterData=filter_data),
                ),
            )
        finally:
            # A document that cannot close is disposed of with the office.
            with contextlib.suppress(Exception):
                document.close(True)

    def close(self) -> None:
        with contextlib.suppress(Exception):  # it may be gone already; it is killed below
            self.desktop.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _watch_parent(office: Office) -> None:
    """Exit when the Balie process that started this bridge is gone, even while a conversion
    hangs in LibreOffice (the main thread is then stuck in a UNO call and never reads stdin)."""
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(1)
            if os.getppid() != parent:
                with contextlib.suppress(OSError):
                    office.process.kill()
                os._exit(3)

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()


def _is_fatal(error: BaseException) -> bool:
    """The connection to LibreOffice is gone (it crashed or was killed): this bridge is done."""
    name = type(error).__name__
    return name in ("DisposedException", "RuntimeException") or "Binary URP bridge" in str(error)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profile", required=True)
    parser.add_argument("--pipe", required=True)
    parser.add_argument("--soffice", default=SOFFICE)
    parser.add_argument("--startup-timeout", type=float, default=60.0)
    options = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(0))
    try:
        office = Office(
            soffice=options.soffice,
            profile=options.profile,
            pipe=options.pipe,
            startup_timeout=options.startup_timeout,
        )
    except Exception as error:  # noqa: BLE001 - told to the caller, who reports it
        _answer({"ready": False, "error": f"{type(error).__name__}: {error}"})
        return 1
    _watch_parent(office)
    _answer({"ready": True, "pid": office.process.pid})
    try:
        for line in sys.stdin:
            if not line.strip():
                continue
            request = json.loads(line)
            if office.process.poll() is not None:
                # LibreOffice died while idle: nothing was tried; the caller starts a new bridge.
                _answer({"ok": False, "error": "LibreOffice is not running", "fatal": True, "gone": True})
                return 2
            started = time.monotonic()
            try:
                office.convert(
                    request["input"],
                    request["output"],
                    int(request.get("pdfa") or 0),
                    str(request.get("import_filter") or ""),
                )
            except Exception as error:  # noqa: BLE001 - any UNO error goes back to the caller
                fatal = _is_fatal(error) or office.process.poll() is not None
                _answer({"ok": False, "error": f"{type(error).__name__}: {error}", "fatal": fatal})
                if fatal:
                    return 2
                continue
            if not os.path.exists(request["output"]):
                _answer({"ok": False, "error": "LibreOffice wrote no output", "fatal": False})
                continue
            _answer({"ok": True, "ms": round((time.monotonic() - started) * 1000)})
    finally:
        office.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
