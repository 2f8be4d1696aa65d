"""The `balie` command: `balie demo`, `balie serve`, `balie worker`, `balie watch_mail`,
`balie load_demo_data`, and
every Django management command (`balie migrate`, `balie createsuperuser`, …)."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from typing import Any

OWN_COMMANDS = {
    "demo": "start the demo: database, demo data, web server and worker (Ctrl-C stops all)",
    "serve": "the production web server (gunicorn; static files by whitenoise)",
    "worker": "the background worker: queued tasks and the schedule",
    "watch_mail": "read the mailboxes continuously, with IMAP IDLE where offered (BALIE_MAIL_WATCH)",
    "load_demo_data": "load Gemeente Zonnedaal's demo data into the database (once)",
}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    args = argv[1:]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "balie.conf.settings")
    command = args[0] if args else "help"
    handlers: dict[str, Callable[[list[str]], int]] = {
        "demo": demo,
        "serve": serve,
        "worker": worker,
        "watch_mail": watch_mail,
        "load_demo_data": load_demo_data,
    }
    if command in handlers:
        return handlers[command](args[1:])
    if command in ("help", "-h", "--help") and len(args) <= 1:
        print("Balie's own commands:\n")
        for name, text in OWN_COMMANDS.items():
            print(f"    balie {name:<16} {text}")
        print("\nand every Django management command:")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["balie", *args])
    return 0


def _setup() -> None:
    import django

    django.setup()


def _say(text: str) -> None:
    print(text, flush=True)


# -- balie serve -------------------------------------------------------------------------------


def serve(args: list[str]) -> int:
    """Replace this process by gunicorn, so that signals reach its master directly."""
    parser = argparse.ArgumentParser(prog="balie serve", description=OWN_COMMANDS["serve"])
    parser.add_argument("--bind", help="address:port (default BALIE_BIND or 0.0.0.0:8000)")
    parser.add_argument("--workers", type=int, help="web worker processes (default BALIE_WEB_WORKERS)")
    parser.add_argument("--skip-checks", action="store_true", help="start without Django's system checks")
    parser.add_argument(
        "--skip-collectstatic", action="store_true", help="static files were collected at deployment"
    )
    options, extra = parser.parse_known_args(args)
    if not (options.skip_checks and options.skip_collectstatic):
        _setup()
        from django.core.management import call_command

        if not options.skip_checks:
            # Refuse to start on errors; print the deployment checklist's warnings (an insecure key…).
            call_command("check", deploy=True, fail_level="ERROR")
        if not options.skip_collectstatic:
            # The pages' CSS and scripts, hashed for caching; quick when nothing changed.
            call_command("collectstatic", interactive=False, verbosity=0)
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--config",
        "python:balie.conf.gunicorn",
    ]
    if options.bind:
        command += ["--bind", options.bind]
    if options.workers:
        command += ["--workers", str(options.workers)]
    command += [*extra, "balie.conf.wsgi:application"]
    sys.stdout.flush()
    os.execv(sys.executable, command)  # noqa: S606 - our own interpreter, fixed arguments


# -- balie worker ------------------------------------------------------------------------------


def worker(args: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="balie worker", description=OWN_COMMANDS["worker"])
    parser.add_argument(
        "--queues",
        default=os.environ.get("BALIE_WORKER_QUEUES", "default"),
        help="comma-separated queue names, or * for all (default: default)",
    )
    parser.add_argument(
        "--interval", type=float, default=1.0, help="seconds to wait when no task is ready (default: 1)"
    )
    parser.add_argument("--schedule", action="store_true", help="list the periodic jobs and exit")
    options = parser.parse_args(args)
    _setup()
    from balie.core.schedule import schedule

    if options.schedule:
        for name, job in schedule:
            _say(f"{name:<40} {job.when.describe():<24} {job.task.module_path}")
        return 0
    from balie.core.worker import run_worker

    run_worker(queue_names=options.queues.split(","), interval=options.interval)
    return 0


# -- balie watch_mail --------------------------------------------------------------------------


def watch_mail(args: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="balie watch_mail", description=OWN_COMMANDS["watch_mail"])
    parser.add_argument(
        "--poll-seconds",
        type=float,
        help="on a server without IDLE: seconds between polls (default BALIE_MAIL_POLL_SECONDS)",
    )
    options = parser.parse_args(args)
    _setup()
    import threading

    from django.conf import settings
    from django.utils.translation import gettext as _

    from balie.mailboxes.polling import watch_all

    if not settings.BALIE_MAIL_WATCH:
        _say(_("Let op: zet BALIE_MAIL_WATCH=true, anders leest ook de worker de mailboxen."))
    stop = threading.Event()
    for name in ("SIGTERM", "SIGINT"):
        signal.signal(getattr(signal, name), lambda *_: stop.set())
    watch_all(stop, poll_every=options.poll_seconds)
    return 0


# -- balie load_demo_data ----------------------------------------------------------------------


def load_demo_data(args: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="balie load_demo_data", description=OWN_COMMANDS["load_demo_data"])
    parser.add_argument("--persons", type=int, default=300)
    parser.add_argument("--contacts", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=2645)
    options = parser.parse_args(args)
    os.environ.setdefault("BALIE_FICTIONAL_POSTCODES", "true")  # Zonnedaal's 2645 and 2646
    _setup()
    _load_demo(persons=options.persons, contacts=options.contacts, seed=options.seed)
    return 0


def _load_demo(*, persons: int = 300, contacts: int = 3000, seed: int = 2645) -> None:
    from django.utils.translation import activate
    from django.utils.translation import gettext as _

    from balie.demo.loader import load_demo_data as load

    activate("nl-be")
    summary = load(persons=persons, contact_moments=contacts, seed=seed, log=lambda step: _say(f"  … {step}"))
    if not summary.loaded:
        _say(_("De demogegevens zijn al geladen."))
        return
    _say(
        _(
            "Demogegevens geladen in %(seconds)s s: %(persons)s personen, %(organisations)s "
            "ondernemingen, %(associations)s verenigingen, %(moments)s contactmomenten, "
            "%(tasks)s taken, %(post)s poststukken."
        )
        % {
            "seconds": summary.seconds,
            "persons": summary.persons,
            "organisations": summary.organisations,
            "associations": summary.associations,
            "moments": summary.contact_moments,
            "tasks": summary.tasks,
            "post": summary.post_items,
        }
    )


# -- balie demo --------------------------------------------------------------------------------


def demo(args: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="balie demo", description=OWN_COMMANDS["demo"])
    parser.add_argument("--port", type=int, default=int(os.environ.get("BALIE_DEMO_PORT", "8000")))
    parser.add_argument("--host", default="127.0.0.1")
    options = parser.parse_args(args)
    # The demo runs as production does (DEBUG off, static files by whitenoise), but over plain
    # http on this machine: no https redirect, no secure-only cookies.
    os.environ["BALIE_DEBUG"] = "false"
    os.environ["BALIE_SECURE"] = "false"
    os.environ.setdefault("BALIE_FICTIONAL_POSTCODES", "true")  # Zonnedaal's 2645 and 2646
    _setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.utils.translation import activate
    from django.utils.translation import gettext as _

    from balie.demo.data import DEMO_LOGINS, DEMO_PASSWORD, SIGNER_LOGINS

    activate("nl-be")
    if not _port_free(options.host, options.port):
        _say(
            _("Poort %(port)s is al in gebruik. Kies een andere, bv. `balie demo --port 8001`.")
            % {"port": options.port}
        )
        return 1
    _say(_("Database bijwerken (%(name)s)…") % {"name": settings.DATABASES["default"]["NAME"]})
    call_command("migrate", interactive=False, verbosity=0)
    signing_root = _prepare_demo_signing()  # before the demo data: its letters are sent for signing
    _demo_pin_key()  # before the demo data: its door-access grants encrypt their PINs
    _say(_("Demogegevens laden…"))
    _load_demo()
    _say(_("Statische bestanden verzamelen…"))
    call_command("collectstatic", interactive=False, verbosity=0)

    address_register = _start_demo_address_register()
    magda = _start_demo_magda()
    url = f"http://{options.host}:{options.port}"
    os.environ.setdefault("BALIE_PORTAL_URL", f"{url}/e-loket/")
    signing_platform = _start_demo_signing_platform(signing_root, url)
    ebox = _start_demo_ebox()
    government_login = _start_demo_government_login()
    mail_server = _start_demo_mail_server()
    door_controller = _start_demo_door_controller()
    payment_provider = _start_demo_payment_provider(url)
    work_orders = _start_demo_work_orders(url)
    env = dict(os.environ)
    env.setdefault("BALIE_SECRET_KEY", _demo_secret_key(settings.DATA_DIR))
    children = {
        "web": _start(
            [
                *[sys.executable, "-m", "balie.cli", "serve", "--skip-checks"],  # migrate ran them
                *["--bind", f"{options.host}:{options.port}", "--workers", "2"],
            ],
            env,
        ),
        "worker": _start([sys.executable, "-m", "balie.cli", "worker"], env),
    }
    stopping = False

    def stop(signum: int, _frame: Any) -> None:
        nonlocal stopping
        stopping = True

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, stop)

    if _wait_until_up(f"{url}/health", children, lambda: stopping):
        width = max(len(u) for u, *_rest in [*DEMO_LOGINS, *SIGNER_LOGINS])
        lines = [
            "",
            "=" * 72,
            _("Balie draait op %(url)s") % {"url": url},
            "",
            _("Aanmelden met een van deze gebruikers (wachtwoord voor allen: %(password)s):")
            % {"password": DEMO_PASSWORD},
            *(f"    {username:<{width}}  {role.label}" for username, _f, _l, role, *_r in DEMO_LOGINS),
            *(f"    {username:<{width}}  {title}" for username, _f, _l, _r, _d, _t, title in SIGNER_LOGINS),
            "",
            *(
                [_("De demo-eBox toont wat Balie er verstuurde: %(url)s") % {"url": ebox.url}, ""]
                if ebox
                else []
            ),
            _("Het e-loket voor burgers: %(url)s/e-loket/") % {"url": url},
            *(
                [_("(aanmelden met eID of itsme gaat in de demo met een fictieve persoon)"), ""]
                if government_login
                else [""]
            ),
            *(
                [_("De demo-mailserver toont de verstuurde e-mails: %(url)s") % {"url": mail_server.url}, ""]
                if mail_server
                else []
            ),
            *(
                [
                    _("De demo-toegangscontroller toont zijn toegangsrechten: %(url)s")
                    % {"url": door_controller.url},
                    "",
                ]
                if door_controller
                else []
            ),
            _("Ctrl-C stopt de webserver en de worker."),
            "=" * 72,
            "",
        ]
        _say("\n".join(str(line) for line in lines))
    exit_code = 0
    while not stopping:
        for name, child in children.items():
            if child.poll() is not None:
                _say(
                    _("Het proces '%(name)s' is gestopt (code %(code)s); de demo stopt.")
                    % {"name": name, "code": child.returncode}
                )
                stopping, exit_code = True, 1
        time.sleep(0.2)
    _stop_children(children)
    if address_register is not None:
        address_register.stop()
    if magda is not None:
        magda.stop()
    if signing_platform is not None:
        signing_platform.stop()
    if ebox is not None:
        ebox.stop()
    if government_login is not None:
        government_login.stop()
    if mail_server is not None:
        mail_server.stop()
    if door_controller is not None:
        door_controller.stop()
    if payment_provider is not None:
        payment_provider.stop()
    if work_orders is not None:
        work_orders.stop()
    _say(_("De demo is gestopt."))
    return exit_code


def _start_demo_address_register() -> Any:
    """The demo of the Flemish address register on loopback, for the web server and the worker,
    unless BALIE_ADDRESS_REGISTER_URL names a real one (or "off")."""
    from django.conf import settings

    if settings.BALIE_ADDRESS_REGISTER_URL.strip():
        return None
    from balie.authentic_sources.addresses.demo import DemoAddressRegister

    port = settings.BALIE_ADDRESS_REGISTER_DEMO_PORT
    register = DemoAddressRegister(port=port if _port_free("127.0.0.1", port) else 0).start()
    os.environ["BALIE_ADDRESS_REGISTER_URL"] = register.url
    return register


def _start_demo_magda() -> Any:
    """The demo MAGDA service (Rijksregister, KBO) on loopback, for the web server and the worker,
    unless BALIE_MAGDA_URL names a real one. It answers for the demo persons and enterprises with
    what Balie holds of them (now and then a second given name or a newer address, as the register
    would), and the demo municipality gets its legal purposes to consult it for."""
    from django.conf import settings

    from balie.authentic_sources.purposes import create_demo_purposes

    create_demo_purposes()
    os.environ.setdefault("BALIE_MAGDA_REFRESH_CAPACITY", "1300")
    if settings.BALIE_MAGDA_URL.strip():  # a real MAGDA, or "off"
        return None
    from balie.authentic_sources.magda.demo import start_balie_demo_service

    # It checks Balie's WS-Security signatures and signs its answers, with demo key pairs.
    service, environment = start_balie_demo_service(settings.DATA_DIR)
    os.environ.update(environment)  # its URL, and the keys and certificate for the children
    return service


def _prepare_demo_signing() -> Any:
    """The demo's certificates (a DEMO root, the municipality's certificate, the directeur's own),
    made in the data directory on first start; Balie signs with them unless real ones are set.
    Returns the demo root, for the demo signing platform."""
    from django.conf import settings

    from balie.demo.data import DEMO_PASSWORD, SIGNER_LOGINS
    from balie.documents.signing.demo import demo_chain, demo_environment

    chain = demo_chain(
        settings.DATA_DIR,
        municipality=settings.BALIE_MUNICIPALITY_NAME,
        personal=[(username, f"{first} {last}") for username, first, last, *_rest in SIGNER_LOGINS],
        personal_password=DEMO_PASSWORD,
    )
    environment = demo_environment(chain, os.environ)
    os.environ.update(environment)  # for the web server and the worker
    for name, value in environment.items():  # and for this process, which loads the demo data
        setattr(settings, name, value.split(",") if name == "BALIE_SIGNING_TRUST_ROOTS" else value)
    return chain.root


def _start_demo_signing_platform(root: Any, url: str) -> Any:
    """The demo signing platform on loopback (it signs each package a few seconds after it arrives
    and calls Balie back at `url`), unless BALIE_SIGNING_PLATFORM_URL names a real one (or off)."""
    from django.conf import settings

    os.environ.setdefault("BALIE_SIGNING_CALLBACK_URL", url)
    if settings.BALIE_SIGNING_PLATFORM_URL.strip():
        return None
    from balie.documents.adapters.signing_platform_demo import start_balie_demo_platform

    platform, environment = start_balie_demo_platform(root)
    os.environ.update(environment)
    return platform


def _start_demo_work_orders(url: str) -> Any:
    """The demo work-order system on loopback (it takes the reports' work orders and reports them
    in progress and resolved a little later, signed, at `url`), unless
    BALIE_REPORTS_WORK_ORDER_URL names a real one (or "off")."""
    import secrets

    from django.conf import settings

    if settings.BALIE_REPORTS_WORK_ORDER_URL.strip():
        return None
    from balie.reports.adapters.demo_work_orders import start_balie_demo_work_orders

    os.environ.setdefault("BALIE_REPORTS_CALLBACK_URL", url)
    secret = os.environ.get("BALIE_REPORTS_CALLBACK_SECRET") or secrets.token_hex(32)
    system, environment = start_balie_demo_work_orders(secret)
    os.environ.update(environment)
    return system


def _start_demo_ebox() -> Any:
    """The demo eBox on loopback, for the web server and the worker, unless BALIE_EBOX_URL names a
    real one (or "off"). It keeps what Balie publishes, for people to look at in their browser."""
    from django.conf import settings

    if settings.BALIE_EBOX_URL.strip():
        return None
    from balie.correspondence.adapters.demo_ebox import DemoEbox

    port = settings.BALIE_EBOX_DEMO_PORT
    ebox = DemoEbox(
        port=port if _port_free("127.0.0.1", port) else 0,
        client_id=settings.BALIE_EBOX_CLIENT_ID,
        client_secret=settings.BALIE_EBOX_CLIENT_SECRET,
    ).start()
    os.environ["BALIE_EBOX_URL"] = ebox.url
    return ebox


def _start_demo_government_login() -> Any:
    """The demo of the Flemish government login (OpenID Connect) on loopback, for the e-loket,
    unless BALIE_PORTAL_OIDC_ISSUER names a real one (or "off"). It lets the demo's persons sign in
    without an eID."""
    from django.conf import settings

    if settings.BALIE_PORTAL_OIDC_ISSUER.strip():
        return None
    from django.db.models import Count

    from balie.parties.models import Party, PartyKind, Representation
    from balie.portal.adapters.demo_oidc import (
        DEMO_CLIENT_ID,
        DEMO_CLIENT_SECRET,
        DemoOidcProvider,
        DemoPerson,
    )

    people = []
    # Those with cases and letters first: they have the most to see in their e-loket.
    persons = (
        Party.objects.filter(kind=PartyKind.PERSON, national_number__isnull=False, merged_into__isnull=True)
        .annotate(cases=Count("case_roles", distinct=True), letters=Count("post_items", distinct=True))
        .order_by("-cases", "-letters", "id")[:8]
    )
    for person in persons:
        represents = (
            Representation.objects.filter(representative=person, represented__enterprise_number__isnull=False)
            .values_list("represented__enterprise_number", flat=True)
            .first()
        )
        people.append(
            DemoPerson(person.national_number or "", person.given_name, person.family_name, represents or "")
        )
    port = settings.BALIE_PORTAL_OIDC_DEMO_PORT
    provider = DemoOidcProvider(people=people, port=port if _port_free("127.0.0.1", port) else 0).start()
    os.environ["BALIE_PORTAL_OIDC_ISSUER"] = provider.issuer
    os.environ["BALIE_PORTAL_OIDC_CLIENT_ID"] = DEMO_CLIENT_ID
    os.environ["BALIE_PORTAL_OIDC_CLIENT_SECRET"] = DEMO_CLIENT_SECRET
    return provider


def _start_demo_mail_server() -> Any:
    """The demo's mail server (mailboxes/adapters/demo_smtp.py: SMTP on loopback and a page that
    shows what it got), for the web server and the worker, unless BALIE_EMAIL_URL names one."""
    if os.environ.get("BALIE_EMAIL_URL", "").strip():
        return None
    try:
        from balie.mailboxes.adapters.demo_smtp import DemoSmtp

        server = DemoSmtp().start()
    except (ImportError, OSError):  # aiosmtpd is a development dependency
        return None
    os.environ["BALIE_EMAIL_URL"] = f"smtp://127.0.0.1:{server.smtp_port}"
    return server


def _demo_pin_key() -> None:
    """The key door access encrypts PINs with, the same for this process (which loads the demo
    data) and the web server and worker (which get the demo's own secret key), unless one is set."""
    from django.conf import settings

    if not settings.BALIE_ACCESS_PIN_KEY:
        key = f"pin-key:{_demo_secret_key(settings.DATA_DIR)}"
        os.environ["BALIE_ACCESS_PIN_KEY"] = settings.BALIE_ACCESS_PIN_KEY = key


def _start_demo_door_controller() -> Any:
    """The demo door controller on loopback (door access), keeping its grants in the data
    directory; the demo's controller has no address of its own, so Balie reaches it through
    BALIE_DOOR_DEMO_URL and BALIE_DOOR_DEMO_API_KEY, set here for the web server and the worker."""
    from django.conf import settings

    from balie.room_access.adapters.demo_controller import start_balie_demo_controller

    port = settings.BALIE_DOOR_DEMO_PORT
    controller, environment = start_balie_demo_controller(
        settings.DATA_DIR, port=port if _port_free("127.0.0.1", port) else 0
    )
    os.environ.update(environment)
    return controller


def _start_demo_payment_provider(balie_url: str) -> Any:
    """The demo payment provider on loopback (Bancontact and Wero on its payment page), unless
    BALIE_PAYMENT_PROVIDER_URL names a real one; its webhooks go to this demo's Balie."""
    from django.conf import settings

    if settings.BALIE_PAYMENT_PROVIDER_URL.strip():
        return None
    from balie.payments.adapters.demo_provider import DemoProvider

    port = settings.BALIE_PAYMENT_DEMO_PORT
    provider = DemoProvider(
        port=port if _port_free("127.0.0.1", port) else 0,
        api_key=settings.BALIE_PAYMENT_PROVIDER_API_KEY,
        webhook_secret=settings.BALIE_PAYMENT_WEBHOOK_SECRET,
    ).start()
    os.environ["BALIE_PAYMENT_PROVIDER_URL"] = provider.url
    os.environ["BALIE_PAYMENT_WEBHOOK_BASE_URL"] = balie_url
    return provider


def _port_free(host: str, port: int) -> bool:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def _demo_secret_key(data_dir: Any) -> str:
    """A random secret for this demo installation, kept beside its database."""
    from pathlib import Path

    from django.utils.crypto import get_random_string

    path = Path(data_dir) / "demo-secret-key"
    if not path.exists():
        path.write_text(get_random_string(64))
        path.chmod(0o600)
    return path.read_text().strip()


def _die_with_parent() -> None:
    """In a child: receive SIGTERM when the demo process dies, however it dies (Linux)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def _start(command: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    # A session of their own: Ctrl-C reaches only this process, which stops each child once.
    return subprocess.Popen(  # noqa: S603 - our own interpreter and module
        command, env=env, start_new_session=True, preexec_fn=_die_with_parent
    )


def _wait_until_up(
    url: str, children: dict[str, subprocess.Popen[bytes]], stopping: Callable[[], bool]
) -> bool:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not stopping():
        if any(child.poll() is not None for child in children.values()):
            return False
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own http URL
                if response.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


def _stop_children(children: dict[str, subprocess.Popen[bytes]]) -> None:
    for child in children.values():
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 20
    for child in children.values():
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


if __name__ == "__main__":
    sys.exit(main())
