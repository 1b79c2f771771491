"""A private Virtuoso Open Source instance for the tests: its own ``virtuoso.ini`` and database in
a temporary directory, both ports on 127.0.0.1 only, fresh random passwords for ``dba`` and
``dav`` (set before the server first listens), and a user of its own with ``SPARQL_UPDATE``.
Never Debian's stock service, which listens on every interface with dba/dba.
"""

from __future__ import annotations

import secrets
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

BINARY = "virtuoso-t"
ISQL = "isql-vt"
USER = "tkg"

_INI = """\
[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
MaxClientConnections = 8
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = .
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {www}
MaxClientConnections = 8
ServerThreads = 8
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
"""


@dataclass
class VirtuosoServer:
    """A running private instance; :attr:`sparql_url` takes queries and updates (digest login)."""

    directory: Path
    http_port: int
    sql_port: int
    dba_password: str
    password: str
    process: subprocess.Popen

    @property
    def sparql_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql-auth"

    @property
    def user(self) -> str:
        return USER

    def sql(self, statements: str) -> str:
        """Run SQL as dba through isql; ``RuntimeError`` with its output when it fails."""
        done = subprocess.run(
            [ISQL, f"127.0.0.1:{self.sql_port}", "dba", self.dba_password,
             "VERBOSE=OFF", "ERRORS=STDOUT", f"EXEC={statements}"],
            capture_output=True, text=True, timeout=60, check=False)
        if done.returncode != 0 or "*** Error" in done.stdout:
            raise RuntimeError(f"isql failed ({done.returncode}): {done.stdout}{done.stderr}")
        return done.stdout

    def _post(self, form: dict[str, str]) -> httpx.Response:
        response = httpx.post(self.sparql_url, data=form, timeout=60,
                              auth=httpx.DigestAuth(USER, self.password),
                              headers={"Accept": "application/sparql-results+json"})
        response.raise_for_status()
        return response

    def graphs(self, prefix: str) -> list[str]:
        """The names of the graphs whose IRI starts with ``prefix``."""
        query = (f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
                 f"FILTER (STRSTARTS(STR(?g), \"{prefix}\")) }}")
        rows = self._post({"query": query}).json()["results"]["bindings"]
        return sorted(row["g"]["value"] for row in rows)

    def clear(self, prefix: str) -> None:
        """Empty every graph whose IRI starts with ``prefix``, in one update."""
        self._post({"update": f"DELETE {{ GRAPH ?g {{ ?s ?p ?o }} }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
                              f"FILTER (STRSTARTS(STR(?g), \"{prefix}\")) }}"})

    def stop(self) -> None:
        """Stop the server (checkpoint and exit), killing it if it takes over 30 s."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)


def available() -> bool:
    """Whether the Virtuoso server and isql binaries are installed."""
    return shutil.which(BINARY) is not None and shutil.which(ISQL) is not None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(server: VirtuosoServer, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            break
        try:
            response = httpx.get(f"http://127.0.0.1:{server.http_port}/sparql",
                                 params={"query": "ASK {}"}, timeout=2)
            if response.status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    log = (server.directory / "db" / "virtuoso.log")
    tail = log.read_text(errors="replace")[-2000:] if log.exists() else "(no log)"
    server.stop()
    raise RuntimeError(f"Virtuoso did not come up on 127.0.0.1:{server.http_port}: {tail}")


def start(directory: Path, *, timeout_s: float = 60.0) -> VirtuosoServer:
    """Create a database in ``directory`` and start a private server on it."""
    db, www = directory / "db", directory / "www"
    db.mkdir(parents=True)
    www.mkdir()
    ini = directory / "virtuoso.ini"
    http_port, sql_port = _free_port(), _free_port()
    ini.write_text(_INI.format(db=db, www=www, http_port=http_port, sql_port=sql_port))
    # Virtuoso refuses logins with passwords over 16 characters that it accepted to set.
    dba, dav, password = (secrets.token_hex(8) for _ in range(3))
    # Creates the database and sets the passwords, then exits without ever listening.
    subprocess.run([BINARY, "+configfile", str(ini), "+foreground", "+checkpoint-only",
                    "+pwdold", "dba", "+pwddba", dba, "+pwddav", dav],
                   cwd=directory, capture_output=True, timeout=timeout_s, check=True)
    log = (directory / "server.log").open("wb")
    process = subprocess.Popen([BINARY, "+configfile", str(ini), "+foreground"], cwd=directory,
                               stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    log.close()
    server = VirtuosoServer(directory, http_port, sql_port, dba, password, process)
    _wait_until_up(server, timeout_s)
    try:
        server.sql(f"DB.DBA.USER_CREATE('{USER}', '{password}'); "
                   f"GRANT SPARQL_UPDATE TO \"{USER}\";")
    except BaseException:
        server.stop()
        raise
    return server
