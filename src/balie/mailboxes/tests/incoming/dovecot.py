"""A private Dovecot IMAP server for the tests (and the benchmark): its own config in a temp
dir, maildir, a passwd-file with one user, no system auth, plain IMAP on a free loopback port.

Run as root (CI), Dovecot refuses root for its login and mail processes: they run as `nobody`,
which then owns the mail directory."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
USER = "info@zonnedaal.be"
PASSWORD = "geheim-voor-de-test"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Dovecot:
    def __init__(self, *, oauth_introspection_url: str = "") -> None:
        """With `oauth_introspection_url`, it also takes SASL XOAUTH2 and OAUTHBEARER logins, whose
        tokens it checks with that OAuth2 introspection endpoint (RFC 7662)."""
        self.oauth_introspection_url = oauth_introspection_url
        self.dir = Path(tempfile.mkdtemp(prefix="balie-dovecot-"))
        os.chmod(self.dir, 0o755)  # noqa: S103 - the unprivileged mail processes walk into it
        self.port = free_port()
        self.host = "127.0.0.1"
        self.user, self.password = USER, PASSWORD
        if os.geteuid() == 0:
            import pwd

            nobody = pwd.getpwnam("nobody")
            self.uid, self.gid, self.login_user = nobody.pw_uid, nobody.pw_gid, "nobody"
        else:
            import pwd

            me = pwd.getpwuid(os.geteuid())
            self.uid, self.gid, self.login_user = os.geteuid(), os.getegid(), me.pw_name
        for sub in ("mail", "home", "run", "state"):
            (self.dir / sub).mkdir()
            os.chown(self.dir / sub, self.uid, self.gid) if os.geteuid() == 0 and sub in (
                "mail",
                "home",
            ) else None
        (self.dir / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
        (self.dir / "dovecot.conf").write_text(self._config())
        if oauth_introspection_url:
            (self.dir / "oauth2.conf").write_text(
                f"introspection_mode = post\nintrospection_url = {oauth_introspection_url}\n"
                "force_introspection = yes\nusername_attribute = username\n"
                "active_attribute = active\nactive_value = true\n"
            )

    def _config(self) -> str:
        d = self.dir
        return f"""
base_dir = {d}/run
state_dir = {d}/state
instance_name = balie-test-{self.port}
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login{" xoauth2 oauthbearer" if self.oauth_introspection_url else ""}
default_internal_user = {self.login_user}
default_login_user = {self.login_user}
log_path = {d}/dovecot.log
mail_location = maildir:{d}/mail/%u
first_valid_uid = {self.uid}
passdb {{
  driver = passwd-file
  mechanisms = plain login
  args = scheme=PLAIN username_format=%u {d}/passwd
}}
{self._oauth_passdb()}userdb {{
  driver = static
  args = uid={self.uid} gid={self.gid} home={d}/home/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
protocol imap {{
  mail_max_userip_connections = 100
}}
"""

    def _oauth_passdb(self) -> str:
        if not self.oauth_introspection_url:
            return ""
        return (
            f"passdb {{\n  driver = oauth2\n  mechanisms = xoauth2 oauthbearer\n"
            f"  args = {self.dir}/oauth2.conf\n}}\n"
        )

    def start(self) -> None:
        # Dovecot forks into the background: its output must not be a pipe we wait on.
        with open(self.dir / "start.log", "ab") as log:
            subprocess.run(  # noqa: S603 - the Debian binary with our own config
                [DOVECOT, "-c", str(self.dir / "dovecot.conf")],
                check=True,
                stdout=log,
                stderr=log,
                stdin=subprocess.DEVNULL,
            )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                with socket.create_connection((self.host, self.port), timeout=1) as sock:
                    if sock.recv(100).startswith(b"* OK"):
                        return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"dovecot did not start: {(self.dir / 'dovecot.log').read_text()[-2000:]}")

    def stop(self) -> None:
        pid_file = self.dir / "run" / "master.pid"
        if not pid_file.exists():
            return
        pid = int(pid_file.read_text().strip())
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)
        # the listener is gone once the master is
        while time.monotonic() < deadline:
            try:
                socket.create_connection((self.host, self.port), timeout=0.5).close()
                time.sleep(0.05)
            except OSError:
                return

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def client(self):  # type: ignore[no-untyped-def]
        from imapclient import IMAPClient

        client = IMAPClient(self.host, port=self.port, ssl=False, timeout=30)
        client.login(self.user, self.password)
        return client

    def append(self, *messages: bytes, folder: str = "INBOX") -> None:
        client = self.client()
        try:
            for message in messages:
                client.append(folder, message)
        finally:
            client.logout()

    def flagged_count(self, flag: bytes = b"$BalieIngested") -> int:
        client = self.client()
        try:
            client.select_folder("INBOX")
            return len(client.search(["KEYWORD", flag.decode()]))
        finally:
            client.logout()
