"""bodata against peers serving the same response over HTTP, under the same load generator, in alternating rounds.

Three answers, each taken from bodata itself and then served byte for byte by the peers:

* Inskrivning ``GET /distribution/produkter/inskrivning/v3/{id}?includeData=total`` (JSON, bearer token);
* HuslejeregisterV3 ``BoligHent`` (a SOAP POST with a WS-Security UsernameToken);
* the portal's ``GET /portal/session/{key}`` with every flag.

Servers: bodata on SQLite and on PostgreSQL (``bodata serve`` on the demo data, not in demo mode: its stand-in
controls journal every request; ``--workers`` each, one by default; the server
of ``BODATA_BENCH_DATABASE_URL``, else the local one, skipped when it does not answer), a bare uvicorn+Starlette
app returning the bytes (the practical limit in Python), WireMock (npm ``wiremock``: its standalone jar on the
machine's Java, a canned stub, request journal off) and Prism (npm ``@stoplight/prism-cli``: an OpenAPI document
holding the answer as its example; Inskrivning only, as Prism speaks OpenAPI, not SOAP). Load: ``wrk`` with one
thread and ``--connections`` connections. Every server gets a round in turn, ``--rounds`` times; the table shows
the median round, p99 ÷ p50 and bodata's ratios to each peer. The npm peers are installed into ``bench/.peers`` on
first use; a peer that cannot be installed or started is skipped, and the run says so (without ``wrk``, all is).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import httpx
from rich.console import Console
from rich.table import Table
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from tests.live import free_port

from bench.report import RESULTS_DIR
from bodata.core.clock import SystemClock
from bodata.core.config import Settings
from bodata.core.db import Database, create_database_engine
from bodata.core.db.migrate import upgrade
from bodata.core.demo import seed_demo
from bodata.core.security import SecretBox
from bodata.core.temporal import select_current
from bodata.huslejeregister.models import Bolig, BoligVersion
from bodata.huslejeregister.schema import NS, SOAP_ENV_NS
from bodata.huslejeregister.soap import PASSWORD_TEXT, WSSE_NS
from bodata.inskrivning.models import RegistrationVersion
from bodata.services import installed_services

PEERS_DIR = Path(__file__).parent / ".peers"
NPM_PACKAGES = ("wiremock@3.13.2", "@stoplight/prism-cli@5")
INSKRIVNING = "/distribution/produkter/inskrivning/v3"
PG_SERVER = os.environ.get("BODATA_BENCH_DATABASE_URL") or "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
"""The PostgreSQL server to run bodata on too (a database ``bench_peers`` is made there afresh); skipped when it does
not answer."""
PORTAL_FLAGS = [
    "HämtaKund",
    "HämtaMarknadProfil",
    "HämtaKontaktuppgifter",
    "HämtaKundEkonomi",
    "HämtaTillfälligaAdresser",
    "HämtaDokument",
    "HämtaKundEkonomiAviseringar",
    "HämtaÄrende",
    "HämtaÄrendeRader",
    "HämtaTillgängligaObjekt",
    "HämtaUnderhåll",
    "HämtaMätdata",
    "HämtaKundMeddelanden",
    "HämtaÄrendeRaderMediaBytes",
]
PORTAL_API_KEY = "demo-api-key"
SECRET_KEY = "bench"
SOAP_HEADERS = {"Content-Type": "text/xml; charset=utf-8"}
console = Console()


# --- What is requested ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    """One request as wrk sends it (path with query, method, headers, body) and the answer bodata gave."""

    path: str
    method: str = "GET"
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    answer: bytes = b""
    media_type: str = "application/json"


@dataclass
class Server:
    """A server under test: its base URL, how to stop it, and per scenario whether it serves it."""

    name: str
    url: str
    process: subprocess.Popen[bytes] | None
    scenarios: set[str]
    requests: dict[str, Request] = field(default_factory=dict)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def soap_envelope(user: str, password: str, body: str) -> bytes:
    return (
        f'<soap:Envelope xmlns:soap="{SOAP_ENV_NS}" xmlns:wsse="{WSSE_NS}" xmlns:hr="{NS}">'
        "<soap:Header><wsse:Security><wsse:UsernameToken>"
        f'<wsse:Username>{user}</wsse:Username><wsse:Password Type="{PASSWORD_TEXT}">{password}</wsse:Password>'
        f"</wsse:UsernameToken></wsse:Security></soap:Header><soap:Body>{body}</soap:Body></soap:Envelope>"
    ).encode()


def bodata_requests(url: str, database_url: str) -> dict[str, Request]:
    """The three requests against a demo bodata, with the credentials they need and the answers they get."""
    database = Database(create_database_engine(database_url))
    with database.transaction(write=False) as session:
        registration = session.scalars(select_current(RegistrationVersion).order_by(RegistrationVersion.id)).first()
        units = session.scalars(
            select(Bolig.bbr_id)
            .join(BoligVersion, BoligVersion.entity_id == Bolig.id)
            .order_by(Bolig.vejnavn)
            .limit(20)
        ).all()
    database.dispose()
    requests: dict[str, Request] = {}
    with httpx.Client(base_url=url, timeout=60) as client:
        token = client.post("/token", data={"grant_type": "client_credentials"}, auth=("demo", "demo"))
        token.raise_for_status()
        headers = {"Authorization": f"Bearer {token.json()['access_token']}", "Accept": "application/json"}
        path = f"{INSKRIVNING}/{registration.objektidentitet}?includeData=total"
        requests["inskrivning"] = _answered(client, Request(path, headers=headers))
        for unit in units:
            bolig = (
                "<hr:BoligHentInputStruktur><hr:BoligIdentifikationStruktur><hr:BuildingUnitUniversalIdentifier>"
                f"{unit}</hr:BuildingUnitUniversalIdentifier></hr:BoligIdentifikationStruktur>"
                "</hr:BoligHentInputStruktur>"
            )
            soap = Request("/huslejeregister/v3", "POST", dict(SOAP_HEADERS), soap_envelope("demo", "demo", bolig))
            answered = _answered(client, soap)
            if b"BoligVersionStruktur" in answered.answer:
                requests["soap"] = answered
                break
        login = client.post(
            "/portal/session/login",
            json={"Användarnamn": "demo", "Lösenord": "demo"},
            params={"ApiNyckel": PORTAL_API_KEY},
        )
        login.raise_for_status()
        query = urlencode({"ApiNyckel": PORTAL_API_KEY, **dict.fromkeys(PORTAL_FLAGS, "true")})
        requests["portal"] = _answered(client, Request(f"/portal/session/{login.json()['Sessionsnyckel']}?{query}"))
    return requests


def _answered(client: httpx.Client, request: Request) -> Request:
    response = client.request(request.method, request.path, headers=request.headers, content=request.body or None)
    if response.status_code != 200:
        raise RuntimeError(
            f"bodata answered {response.status_code} to {request.method} {request.path}: {response.text}"
        )
    media = response.headers.get("content-type", request.media_type)
    return Request(request.path, request.method, request.headers, request.body, response.content, media)


# --- Servers ---------------------------------------------------------------------------------------------


def _wait_until_up(url: str, process: subprocess.Popen[bytes], probe: str = "/", limit_s: float = 180) -> None:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"exited with {process.returncode}")
        try:
            httpx.get(url + probe, timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.3)
    raise RuntimeError(f"not answering after {limit_s:.0f} s")


def _spawn(command: list[str], log: Path, env: dict[str, str] | None = None, cwd: Path | None = None):
    with log.open("wb") as out:
        return subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=cwd)  # noqa: S603


def load_demo(database_url: str) -> None:
    """Migrate ``database_url`` and load every service's demo data (as ``bodata serve --demo`` does), so that bodata
    is then measured as a production server serves: not in demo mode, whose stand-in controls journal requests."""
    settings = Settings(database_url=database_url, secret_key=SECRET_KEY)
    database = Database.from_settings(settings)
    try:
        upgrade(database.engine)
        seed_demo(
            database,
            installed_services(settings),
            clock=SystemClock(),
            secrets=SecretBox(settings.resolved_secret_key()),
            server_url="http://127.0.0.1",
        )
    finally:
        database.dispose()


def start_bodata(name: str, database_url: str, workdir: Path, workers: int) -> Server:
    """``bodata serve --workers N`` on ``database_url`` (demo data loaded), once ``/health`` says ok."""
    load_demo(database_url)
    port = free_port()
    env = {**os.environ, "BODATA_DATABASE_URL": database_url, "BODATA_SECRET_KEY": SECRET_KEY}
    env["BODATA_LOG_LEVEL"] = "WARNING"
    command = [sys.executable, "-m", "bodata", "serve", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--workers", str(workers)]
    process = _spawn(command, workdir / f"{name}.log", env, workdir)
    url = f"http://127.0.0.1:{port}"
    _wait_until_up(url, process, "/health", limit_s=600)
    return Server(name, url, process, {"inskrivning", "soap", "portal"})


BARE_APP = """
import json, os
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route

ANSWERS = {k: (open(v["file"], "rb").read(), v["media"]) for k, v in json.loads(os.environ["PEER_ANSWERS"]).items()}

def route(path, methods):
    body, media = ANSWERS[path]
    async def answer(request):
        await request.body()
        return Response(body, media_type=media)
    return Route(path, answer, methods=methods)

app = Starlette(routes=[route(path, ["GET", "POST"]) for path in ANSWERS])
"""


def start_bare(answers: dict[str, Request], workdir: Path, workers: int) -> Server:
    """A bare Starlette app under uvicorn returning each answer's bytes at its path."""
    files = {}
    for name, request in answers.items():
        (workdir / f"{name}.answer").write_bytes(request.answer)
        files[urlsplit(request.path).path] = {"file": str(workdir / f"{name}.answer"), "media": request.media_type}
    (workdir / "bare_peer.py").write_text(BARE_APP, encoding="utf-8")
    port = free_port()
    env = {**os.environ, "PEER_ANSWERS": json.dumps(files), "PYTHONPATH": str(workdir)}
    command = [sys.executable, "-m", "uvicorn", "bare_peer:app", "--port", str(port), "--log-level", "warning"]
    command += ["--workers", str(workers)]
    process = _spawn([*command, "--no-access-log"], workdir / "bare.log", env, workdir)
    url = f"http://127.0.0.1:{port}"
    _wait_until_up(url, process)
    return Server(f"bare uvicorn+Starlette ({workers}w)", url, process, set(answers))


def install_peers() -> str | None:
    """``npm install`` the npm peers into bench/.peers once; None when done, else why not."""
    if (PEERS_DIR / "node_modules" / ".bin" / "prism").exists() and (
        PEERS_DIR / "node_modules" / ".bin" / "wiremock"
    ).exists():
        return None
    if shutil.which("npm") is None:
        return "npm is not installed"
    PEERS_DIR.mkdir(exist_ok=True)
    console.print(f"installing {', '.join(NPM_PACKAGES)} into {PEERS_DIR} …")
    command = ["npm", "install", "--prefix", str(PEERS_DIR), "--no-audit", "--no-fund", *NPM_PACKAGES]
    done = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)  # noqa: S603
    return None if done.returncode == 0 else f"npm install failed: {done.stderr.strip()[-300:]}"


def start_wiremock(answers: dict[str, Request], workdir: Path) -> Server:
    """WireMock's standalone jar with one canned stub per answer (request journal off: it grows under load)."""
    if shutil.which("java") is None:
        raise RuntimeError("java is not installed (WireMock's jar runs on Java 11 or newer)")
    root = workdir / "wiremock"
    (root / "mappings").mkdir(parents=True)
    (root / "__files").mkdir()
    for name, request in answers.items():
        (root / "__files" / f"{name}.answer").write_bytes(request.answer)
        stub = {
            "request": {"method": request.method, "urlPath": urlsplit(request.path).path},
            "response": {
                "status": 200,
                "bodyFileName": f"{name}.answer",
                "headers": {"Content-Type": request.media_type},
            },
        }
        (root / "mappings" / f"{name}.json").write_text(json.dumps(stub), encoding="utf-8")
    jars = sorted((PEERS_DIR / "node_modules" / "wiremock" / "build").glob("wiremock-standalone-*.jar"))
    if not jars:
        raise RuntimeError("the npm package wiremock holds no standalone jar")
    port = free_port()  # the jar itself, not the npm wrapper: stopping the process must stop WireMock
    command = ["java", "-jar", str(jars[-1]), "--port", str(port), "--bind-address", "127.0.0.1"]
    command += ["--root-dir", str(root), "--no-request-journal", "--disable-banner"]
    process = _spawn(command, workdir / "wiremock.log")
    url = f"http://127.0.0.1:{port}"
    _wait_until_up(url, process, "/__admin/mappings")
    return Server("WireMock (canned stub)", url, process, set(answers))


def start_prism(answer: Request, workdir: Path) -> Server:
    """Prism mocking an OpenAPI document whose only operation has the answer as its example."""
    path = urlsplit(answer.path).path
    document = {
        "openapi": "3.0.3",
        "info": {"title": "Inskrivning v3 (one example)", "version": "3.0.0"},
        "paths": {
            path: {
                "get": {
                    "parameters": [{"name": "includeData", "in": "query", "schema": {"type": "string"}}],
                    "responses": {
                        "200": {
                            "description": "FeatureCollection",
                            "content": {"application/json": {"example": json.loads(answer.answer)}},
                        }
                    },
                }
            }
        },
    }
    (workdir / "prism.json").write_text(json.dumps(document), encoding="utf-8")
    port = free_port()
    command = [str(PEERS_DIR / "node_modules" / ".bin" / "prism"), "mock", str(workdir / "prism.json")]
    process = _spawn([*command, "--host", "127.0.0.1", "--port", str(port), "--errors", "false"], workdir / "prism.log")
    url = f"http://127.0.0.1:{port}"
    _wait_until_up(url, process, path)
    return Server("Prism (OpenAPI example)", url, process, {"inskrivning"})


def postgres_database() -> str | None:
    """A fresh PostgreSQL database for bodata (dropped and created), or None when PostgreSQL does not answer."""
    server = make_url(PG_SERVER)
    if server.get_backend_name() != "postgresql":
        console.print(f"[yellow]skipping bodata on PostgreSQL: BODATA_BENCH_DATABASE_URL is not PostgreSQL ({server})")
        return None
    target = server.set(database="bench_peers")
    try:
        admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{target.database}"'))
        admin.dispose()
    except Exception as error:
        console.print(f"[yellow]skipping bodata on PostgreSQL: {error.__class__.__name__}: {str(error)[:200]}")
        return None
    return target.render_as_string(hide_password=False)


# --- Load ------------------------------------------------------------------------------------------------


@dataclass
class Round:
    requests_per_s: float
    p50_ms: float
    p99_ms: float


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def _lua_string(value: str | bytes) -> str:
    text_value = value.decode() if isinstance(value, bytes) else value
    return "[==[" + text_value + "]==]"


def wrk(url: str, request: Request, *, connections: int, seconds: int, workdir: Path) -> Round:
    """One wrk round (one thread); raises when any answer is not a 2xx."""
    script = workdir / "request.lua"
    lines = [f"wrk.method = {_lua_string(request.method)}"]
    lines += [f"wrk.headers[ {_lua_string(name)} ] = {_lua_string(value)}" for name, value in request.headers.items()]
    if request.body:
        lines.append(f"wrk.body = {_lua_string(request.body)}")
    script.write_text("\n".join(lines) + "\n", encoding="utf-8")
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script), url + request.path]
    output = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=True).stdout  # noqa: S603
    if "Non-2xx" in output or "Socket errors" in output:
        raise RuntimeError(f"wrk saw errors against {url}:\n{output}")

    def latency(percent: str) -> float:
        value, unit = re.search(rf"^\s*{percent}%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE).groups()
        return float(value) * _UNITS[unit]

    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    return Round(rate, latency("50"), latency("99"))


def run_rounds(
    servers: list[Server], scenario: str, *, rounds: int, connections: int, seconds: int, workdir: Path
) -> dict[str, Round]:
    """Alternating rounds: every server serving ``scenario`` once per round; the median round of each."""
    serving = [server for server in servers if scenario in server.scenarios]
    samples: dict[str, list[Round]] = {server.name: [] for server in serving}
    for server in serving:  # warm-up (the JVM's and V8's JIT, bodata's caches), not counted
        wrk(server.url, server.requests[scenario], connections=connections, seconds=2, workdir=workdir)
    for _ in range(rounds):
        for server in serving:
            request = server.requests[scenario]
            try:
                measured = wrk(server.url, request, connections=connections, seconds=seconds, workdir=workdir)
            except RuntimeError as error:
                raise RuntimeError(f"{server.name}: {error}") from None
            samples[server.name].append(measured)
    return {name: _median_round(values) for name, values in samples.items()}


def _median_round(values: list[Round]) -> Round:
    return Round(
        statistics.median(v.requests_per_s for v in values),
        statistics.median(v.p50_ms for v in values),
        statistics.median(v.p99_ms for v in values),
    )


# --- The run ---------------------------------------------------------------------------------------------

SCENARIOS = {
    "inskrivning": "Inskrivning GET /v3/{id}?includeData=total (JSON)",
    "soap": "HuslejeregisterV3 BoligHent (SOAP, WS-Security)",
    "portal": "portal GET /session/{key}, every flag",
}


def start_peers(answers: dict[str, Request], workdir: Path, skipped: list[str], workers: int) -> list[Server]:
    peers: list[Server] = []
    starters: list[tuple[str, Callable[[], Server]]] = [
        ("bare uvicorn+Starlette", lambda: start_bare(answers, workdir, workers))
    ]
    why_not = install_peers()
    if why_not is None:
        starters.append(("WireMock", lambda: start_wiremock(answers, workdir)))
        starters.append(("Prism", lambda: start_prism(answers["inskrivning"], workdir)))
    else:
        skipped.append(f"WireMock and Prism: {why_not}")
    for name, start in starters:
        try:
            server = start()
        except Exception as error:
            skipped.append(f"{name}: {error}")
            continue
        server.requests = {scenario: answers[scenario] for scenario in server.scenarios}  # same request, canned answer
        peers.append(server)
    return peers


def main(argv: list[str]) -> dict:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=4, help="length of one wrk round")
    parser.add_argument("--rounds", type=int, default=2, help="rounds per server (the median is shown)")
    parser.add_argument("--connections", type=int, default=4, help="wrk connections")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS), help="which of " + ", ".join(SCENARIOS))
    parser.add_argument("--no-postgresql", action="store_true", help="bodata on SQLite only")
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="worker processes of bodata and of the bare app (WireMock's JVM and Prism use what they use)",
    )
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        console.print("[yellow]skipped: wrk is not installed (apt-get install wrk)")
        return {}
    skipped: list[str] = []
    servers: list[Server] = []
    results: dict[str, dict[str, Round]] = {}
    with tempfile.TemporaryDirectory() as directory:
        workdir = Path(directory)
        try:
            sqlite_url = f"sqlite:///{workdir / 'bodata.db'}"
            databases = {f"bodata on SQLite ({args.workers}w)": sqlite_url}
            pg_url = None if args.no_postgresql else postgres_database()
            if pg_url:
                databases[f"bodata on PostgreSQL ({args.workers}w)"] = pg_url
            for name, database_url in databases.items():
                server = start_bodata(name, database_url, workdir, args.workers)
                servers.append(server)
                server.requests = bodata_requests(server.url, database_url)
                server.scenarios = set(server.requests)
            servers += start_peers(servers[0].requests, workdir, skipped, args.workers)
            for scenario in args.scenarios.split(","):
                results[scenario] = run_rounds(
                    servers,
                    scenario,
                    rounds=args.rounds,
                    connections=args.connections,
                    seconds=args.seconds,
                    workdir=workdir,
                )
        finally:
            for server in servers:
                server.stop()
    return _report(results, skipped, args)


def _report(results: dict[str, dict[str, Round]], skipped: list[str], args: argparse.Namespace) -> dict:
    ratios: dict[str, float] = {}
    for scenario, by_server in results.items():
        table = Table(
            title=f"{SCENARIOS[scenario]}: wrk, {args.connections} connections, {args.rounds} × {args.seconds:g} s"
        )
        for column in ("server", "req/s", "p50 ms", "p99 ms", "p99 ÷ p50"):
            table.add_column(column, justify="left" if column == "server" else "right")
        for name, measured in by_server.items():
            table.add_row(
                name,
                f"{measured.requests_per_s:,.0f}",
                f"{measured.p50_ms:.2f}",
                f"{measured.p99_ms:.2f}",
                f"{measured.p99_ms / measured.p50_ms:.1f}",
            )
        console.print(table)
        for own in (name for name in by_server if name.startswith("bodata")):
            for peer in (name for name in by_server if not name.startswith("bodata")):
                key = f"{scenario}: {own} req/s ÷ {peer}"
                ratios[key] = by_server[own].requests_per_s / by_server[peer].requests_per_s
    ratio_table = Table(title="bodata's ratios (req/s ÷ peer's req/s)")
    ratio_table.add_column("measure")
    ratio_table.add_column("ratio", justify="right")
    for key, value in ratios.items():
        ratio_table.add_row(key, f"{value:.2f}")
    console.print(ratio_table)
    for reason in skipped:
        console.print(f"[yellow]skipped {reason}")
    result = {
        "title": "bodata against peers (wrk)",
        "context": {
            "connections": args.connections,
            "rounds": args.rounds,
            "seconds": args.seconds,
            "skipped": skipped,
        },
        "scenarios": {s: {n: vars(r) for n, r in by.items()} for s, by in results.items()},
        "ratios": ratios,
    }
    RESULTS_DIR.mkdir(exist_ok=True)
    (RESULTS_DIR / "peers.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    return result


if __name__ == "__main__":
    main(sys.argv[1:])
