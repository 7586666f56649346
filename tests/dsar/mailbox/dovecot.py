"""A real IMAP-over-TLS server for the mailbox tests: Debian's dovecot-imapd, started on a
free local port with a self-signed certificate made here and one test mailbox (Maildir).

Messages are dropped straight into the Maildir, as a mail server delivering them would.
"""

from __future__ import annotations

import datetime as dt
import os
import pwd
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
USER, PASSWORD = "privacy", "mailbox-test-password"


class CannotStart(Exception):
    pass


@dataclass
class Dovecot:
    root: Path
    port: int
    cert: Path
    process_pid: int | None = None

    @property
    def maildir(self) -> Path:
        return self.root / "home" / USER / "Maildir"

    def deliver(self, raw: bytes, name: str | None = None) -> None:
        name = name or f"{time.time_ns()}.test"
        tmp = self.maildir / "tmp" / name
        tmp.write_bytes(raw)
        os.chown(tmp, self._uid, self._uid)
        tmp.rename(self.maildir / "new" / name)

    @property
    def _uid(self) -> int:
        return self.root.stat().st_uid if os.geteuid() != 0 else pwd.getpwnam("nobody").pw_uid

    def stop(self) -> None:
        pid_file = self.root / "run" / "master.pid"
        if pid_file.exists():
            pid = int(pid_file.read_text().strip())
            try:
                os.kill(pid, 15)
            except ProcessLookupError:
                return
            for _ in range(50):
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    return
                time.sleep(0.1)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def self_signed(root: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(__import__("ipaddress").ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = root / "cert.pem", root / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_path.chmod(0o600)
    return cert_path, key_path


CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = required
ssl_cert = <{cert}
ssl_key = <{key}
auth_mechanisms = plain
first_valid_uid = 1
{users}
service imap-login {{
  chroot =
  inet_listener imap {{
    port = 0
  }}
  inet_listener imaps {{
    port = {port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
mail_location = maildir:~/Maildir
"""


def start(root: Path) -> Dovecot:
    """Start dovecot in ``root``; CannotStart (with the reason) when it cannot."""
    if not os.path.exists(DOVECOT):
        raise CannotStart("dovecot is not installed (apt-get install dovecot-imapd)")
    root.mkdir(parents=True, exist_ok=True)
    root.chmod(0o755)
    cert, key = self_signed(root)
    port = free_port()
    if os.geteuid() == 0:
        # Dovecot will not run mail processes as root: the mailbox belongs to nobody.
        user = pwd.getpwnam("nobody")
        uid, gid = user.pw_uid, user.pw_gid
        users = "default_internal_user = dovecot\ndefault_login_user = dovenull"
    else:
        uid, gid = os.getuid(), os.getgid()
        me = pwd.getpwuid(uid).pw_name
        users = f"default_internal_user = {me}\ndefault_login_user = {me}"
    for sub in ("new", "cur", "tmp"):
        (root / "home" / USER / "Maildir" / sub).mkdir(parents=True, exist_ok=True)
    for path in [root / "home", *(root / "home").rglob("*")]:
        os.chown(path, uid, gid)
    (root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
    (root / "dovecot.conf").write_text(
        CONFIG.format(root=root, cert=cert, key=key, port=port, uid=uid, gid=gid, users=users)
    )
    # The daemon keeps its output open: to a file, so waiting for the launcher ends.
    with open(root / "start.log", "wb") as output:
        result = subprocess.run(
            [DOVECOT, "-c", str(root / "dovecot.conf")],
            stdin=subprocess.DEVNULL, stdout=output, stderr=output, timeout=30,
        )  # fmt: skip
    if result.returncode != 0:
        raise CannotStart(f"dovecot did not start: {(root / 'start.log').read_text().strip()}")
    server = Dovecot(root=root, port=port, cert=cert)
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server
        except OSError:
            time.sleep(0.1)
    server.stop()
    log = (root / "dovecot.log").read_text() if (root / "dovecot.log").exists() else ""
    raise CannotStart(f"dovecot did not listen on port {port}: {log[-500:]}")
