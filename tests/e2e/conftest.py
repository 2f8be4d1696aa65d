"""Browser tests against the real demo: `balie demo` in a child process, Chromium through Playwright.

Uses Debian's Chromium (/usr/bin/chromium, installed by ./run) or BALIE_CHROMIUM; never a browser
that Playwright would download.
"""

from __future__ import annotations

import email
import logging
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Demo:
    url: str
    database: Path
    mailbox: Mailbox

    def query(self, sql: str) -> list[tuple]:
        with sqlite3.connect(self.database) as connection:
            return connection.execute(sql).fetchall()


class Mailbox:
    """A real SMTP server on this machine (aiosmtpd) that keeps every message the demo sends."""

    def __init__(self, address: str) -> None:
        self.address = address  # host:port
        self.messages: list[EmailMessage] = []
        self._lock = threading.Lock()

    async def handle_DATA(
        self, server: object, session: object, envelope: Any
    ) -> str:  # aiosmtpd's hook name
        message = email.message_from_bytes(
            envelope.original_content or envelope.content, policy=policy.default
        )
        with self._lock:
            self.messages.append(message)  # type: ignore[arg-type]
        return "250 Message accepted for delivery"

    def wait_for(self, predicate: Callable[[EmailMessage], bool], *, timeout: float = 20) -> EmailMessage:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                found = [message for message in self.messages if predicate(message)]
            if found:
                return found[0]
            time.sleep(0.2)
        with self._lock:
            seen = [str(message["Subject"]) for message in self.messages]
        raise AssertionError(f"no such mail within {timeout} s; received: {seen}")


@pytest.fixture(scope="session")
def mailbox() -> Iterator[Mailbox]:
    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # a line per SMTP command otherwise
    port = _free_port()
    box = Mailbox(f"127.0.0.1:{port}")
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory, mailbox: Mailbox) -> Iterator[Demo]:
    """The README's first command, minus the install: `balie demo` on a fresh embedded database,
    sending its mail to the test's SMTP server."""
    data_dir = tmp_path_factory.mktemp("demo")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["BALIE_DATA_DIR"] = str(data_dir)
    env["BALIE_EMAIL_URL"] = f"smtp://{mailbox.address}"
    log = (data_dir / "demo.log").open("w")
    process = subprocess.Popen(  # noqa: S603 - our own command
        [sys.executable, "-m", "balie.cli", "demo", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 600
        while True:
            if process.poll() is not None:
                raise RuntimeError((data_dir / "demo.log").read_text())
            # Up means: the site answers and the demo has printed its URL and logins.
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=2) as response:  # noqa: S310
                    if response.status == 200 and "onthaal" in (data_dir / "demo.log").read_text():
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("balie demo did not come up:\n" + (data_dir / "demo.log").read_text())
            time.sleep(0.5)
        output = (data_dir / "demo.log").read_text()
        assert url in output and "onthaal" in output  # it prints the URL and the logins
        yield Demo(url=url, database=data_dir / "balie.sqlite3", mailbox=mailbox)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()


def chromium_path() -> str | None:
    return os.environ.get("BALIE_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import expect, sync_playwright

    # `expect(…)` waits for what a click set in motion (a form posted, a page loading) as long as
    # the pages' own actions do; a bare `is_visible()` looks once, before the answer may be there
    expect.set_options(timeout=15_000)

    executable = chromium_path()
    if executable is None:
        pytest.fail("Chromium is not installed: ./run test installs Debian's chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-background-networking",
                "--disable-gpu",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="nl-BE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()
