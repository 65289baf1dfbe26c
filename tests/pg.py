"""A real PostgreSQL server for the tests: ``initdb`` into a temporary folder, started on a free loopback port.

No system service: the tests start and stop it as an ordinary process. As root (CI), the server runs
as the ``postgres`` user that Debian's package creates, since PostgreSQL refuses to run as root.
The app connects as ``dashboard``, an ordinary role that owns its schema (never a superuser, so the
privileges the migrations take away from it hold). Each test gets a schema of its own.
"""

from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

APP_ROLE = "dashboard"
DATABASE = "clusterpolicy"


def bindir() -> Path | None:
    """Where initdb and postgres are: on PATH, or Debian's /usr/lib/postgresql/<n>/bin (newest first)."""
    found = shutil.which("initdb")
    if found:
        return Path(os.path.realpath(found)).parent
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]), reverse=True):
        if Path(folder, "initdb").is_file():
            return Path(folder)
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One PostgreSQL cluster in a temporary folder; ``url(schema)`` for the app's role in a schema of its own."""

    def __init__(self, binaries: Path):
        self.bin = binaries
        self.folder = Path(tempfile.mkdtemp(prefix="clusterpolicy-pg-"))  # not under pytest's 0700 root-only folder
        self.data = self.folder / "data"
        self.user = None
        if os.geteuid() == 0:
            self.user = "postgres"
            entry = pwd.getpwnam(self.user)
            os.chown(self.folder, entry.pw_uid, entry.pw_gid)
        self.port = 0
        self.proc: subprocess.Popen | None = None

    def _run(self, *args: str) -> None:
        done = subprocess.run(args, user=self.user, capture_output=True, text=True, cwd=self.folder, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{args[0]} failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()}")

    def start(self) -> Server:
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync")
        for _ in range(5):  # a port found free may be taken before the server binds it: try another
            self.port = free_port()
            log = open(self.folder / "server.log", "w")  # noqa: SIM115 - the server writes to it while it runs
            self.proc = subprocess.Popen(
                [
                    str(self.bin / "postgres"),
                    "-D", str(self.data),
                    "-h", "127.0.0.1",
                    "-p", str(self.port),
                    "-k", str(self.folder),
                    "-c", "fsync=off",
                    "-c", "synchronous_commit=off",
                    "-c", "full_page_writes=off",
                    "-c", "max_connections=200",
                ],
                user=self.user,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.folder,
            )  # fmt: skip
            if self._ready():
                break
            self.proc.kill()
            self.proc.wait()
        else:
            raise RuntimeError(f"PostgreSQL did not start: {(self.folder / 'server.log').read_text()[-2000:]}")
        self.admin(f"create role {APP_ROLE} login")
        self.admin(f"create database {DATABASE} owner {APP_ROLE}")
        return self

    def _ready(self) -> bool:
        import psycopg

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False  # it stopped: most likely the port was taken
            try:
                with psycopg.connect(self.admin_url("postgres"), connect_timeout=2):
                    return True
            except psycopg.OperationalError:
                time.sleep(0.05)  # polling for the server to accept connections, not a fixed wait
        return False

    def admin_url(self, database: str = DATABASE) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def admin(self, sql: str, database: str = "postgres") -> None:
        """Run a statement as the superuser (test set-up only: the app never connects as one)."""
        import psycopg

        with psycopg.connect(self.admin_url(database), autocommit=True) as con:
            con.execute(sql)

    def new_schema(self) -> str:
        name = "t_" + secrets.token_hex(6)
        self.admin(f"create schema {name} authorization {APP_ROLE}", DATABASE)
        return name

    def url(self, schema: str) -> str:
        """The app's URL: its own role, with ``search_path`` set to a schema (one test's state)."""
        options = quote(f"-c search_path={schema}")
        return f"postgresql://{APP_ROLE}@127.0.0.1:{self.port}/{DATABASE}?options={options}"

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.folder, ignore_errors=True)
