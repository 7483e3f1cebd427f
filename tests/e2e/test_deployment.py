"""docs/deployment.md followed verbatim: Debian's nginx terminating TLS in front of two bodata processes on PostgreSQL.

The environment file, the systemd unit's ``ExecStart`` and the nginx site are read from the guide's code blocks; the
test changes only what is the machine's own (ports, certificate paths, the database, the key, the public URL) and
fails if the guide no longer has the lines it fills in. It checks forwarded headers (the WSDL's address is https,
cookies are ``Secure``, zeep talks to the SOAP service over TLS), load balancing (both processes answer), that a
portal login made through nginx is valid on either process, and that nginx keeps ``/metrics`` to itself.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import pwd
import re
import shlex
import shutil
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import requests
import zeep
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from zeep.transports import Transport
from zeep.wsse.username import UsernameToken

from ..databases import scratch_database_url
from ..live import LIVE_SERVER_SECRET_KEY, LiveServer, free_port, start_live_server

pytestmark = pytest.mark.e2e
GUIDE = Path(__file__).resolve().parents[2] / "docs" / "deployment.md"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
CHROMIUM = Path("/usr/bin/chromium")
REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
"""ReDoc's "API docs by Redocly" logo: the one outside request of the (unmodified) bundle; it hides when it fails."""
PORTAL_APP = {"ApiNyckel": "demo-api-key"}
STARTUP_LIMIT_S = 300  # only a guard against a hang


def code_block(language: str, containing: str) -> str:
    """The guide's one ```language block that contains ``containing``."""
    blocks = [
        block for block in re.findall(rf"```{language}\n(.*?)```", GUIDE.read_text(), re.S) if containing in block
    ]
    assert len(blocks) == 1, f"docs/deployment.md should have one {language} block with {containing!r}"
    return blocks[0]


def filled_in(text: str, replacements: dict[str, str]) -> str:
    for old, new in replacements.items():
        assert text.count(old) == 1, f"docs/deployment.md no longer has {old!r} once"
        text = text.replace(old, new)
    return text


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "bodata.example.org")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("bodata.example.org"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "bodata.pem", directory / "bodata.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


def bodata_processes(database_url: str, public_url: str, workdir: Path) -> Iterator[LiveServer]:
    """Start two processes as the guide's unit does, with the guide's environment file."""
    settings = {}
    for line in code_block("ini", "BODATA_DATABASE_URL=").splitlines():
        name, _, value = line.partition("=")
        settings[name] = value
    ours = {
        "BODATA_DATABASE_URL": database_url,
        "BODATA_SECRET_KEY": LIVE_SERVER_SECRET_KEY,
        "BODATA_PUBLIC_URL": public_url,
        "BODATA_DATA_DIR": str(workdir / "data"),
    }
    assert set(ours) <= set(settings), "the guide's environment file lost a setting the test fills in"
    environment = settings | ours
    assert environment["BODATA_PROXY_HEADERS"] == "true"
    exec_start = next(line for line in code_block("ini", "[Service]").splitlines() if line.startswith("ExecStart="))
    argv = shlex.split(exec_start.removeprefix("ExecStart="))
    assert argv[0] == "/opt/bodata/venv/bin/bodata"

    def command(port: int) -> list[str]:
        return [sys.executable, "-m", "bodata", *(arg.replace("%i", str(port)) for arg in argv[1:])]

    for _ in range(2):
        yield start_live_server(database_url=database_url, workdir=workdir, env=environment, command=command)


def start_nginx(directory: Path, site: str, https_url: str, verify: ssl.SSLContext) -> subprocess.Popen[bytes]:
    for temp in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (directory / temp).mkdir(parents=True)
    (directory / "nginx.conf").write_text(
        f"user {pwd.getpwuid(os.geteuid()).pw_name};\n"  # root's workers must reach these files too
        f"worker_processes 1;\npid {directory}/nginx.pid;\nerror_log {directory}/error.log warn;\n"
        "events { worker_connections 256; }\n"
        f"http {{\n  access_log {directory}/access.log;\n"
        + "".join(
            f"  {temp}_temp_path {directory}/{temp};\n" for temp in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        + site
        + "}\n"
    )
    arguments = [NGINX, "-p", str(directory), "-c", str(directory / "nginx.conf"), "-e", str(directory / "error.log")]
    checked = subprocess.run([*arguments, "-t"], capture_output=True, text=True)  # noqa: S603
    assert checked.returncode == 0, checked.stderr
    process = subprocess.Popen([*arguments, "-g", "daemon off;"], stderr=subprocess.PIPE)  # noqa: S603
    deadline = time.monotonic() + STARTUP_LIMIT_S
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read().decode() if process.stderr else "nginx exited"
        try:
            if httpx.get(f"{https_url}/health", verify=verify, timeout=30).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise AssertionError("nginx did not answer")


@dataclass
class Deployment:
    https_url: str
    http_port: int
    servers: list[LiveServer]
    verify: ssl.SSLContext
    cert: Path
    data_dir: Path


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    """The guide's layout on a PostgreSQL database holding the demo: nginx, two processes, TLS."""
    if not Path(NGINX).exists():
        pytest.skip("the deployment test needs Debian's nginx (apt-get install nginx)")
    workdir = tmp_path_factory.mktemp("deployment")
    https_port, http_port = free_port(), free_port()
    https_url = f"https://127.0.0.1:{https_port}"
    cert, key = self_signed_certificate(workdir)
    servers: list[LiveServer] = []
    nginx = None
    with scratch_database_url("postgresql", workdir, content="demo") as database_url:
        try:
            servers.extend(bodata_processes(database_url, https_url, workdir))
            site = filled_in(
                code_block("nginx", "upstream bodata"),
                {
                    "server 127.0.0.1:8001": f"server {servers[0].url.removeprefix('http://')}",
                    "server 127.0.0.1:8002": f"server {servers[1].url.removeprefix('http://')}",
                    "listen 80;": f"listen 127.0.0.1:{http_port};",
                    "listen 443 ssl;": f"listen 127.0.0.1:{https_port} ssl;",
                    "/etc/ssl/certs/bodata.example.org.pem": str(cert),
                    "/etc/ssl/private/bodata.example.org.key": str(key),
                },
            )
            verify = ssl.create_default_context(cafile=str(cert))
            nginx = start_nginx(workdir / "nginx", site, https_url, verify)
            yield Deployment(https_url, http_port, servers, verify, cert, workdir / "data")
        finally:
            if nginx is not None:
                nginx.terminate()
                nginx.wait(timeout=60)
            for server in servers:
                server.stop()


def test_the_deployment_guide_behind_nginx(deployment: Deployment) -> None:
    check_the_deployment(
        deployment.https_url, deployment.http_port, deployment.servers, deployment.verify, deployment.cert
    )
    for server in deployment.servers:  # the banner: every URL whole (the log is no terminal: 80 columns)
        log = server.log()
        assert f"{deployment.https_url}/distribution/produkter/inskrivning/v3/docs\n" in log
        assert f"data directory: {deployment.data_dir}" in log


def test_api_docs_render_offline_in_a_browser(deployment: Deployment) -> None:
    """Swagger UI and ReDoc through nginx in Chromium, with every request off this machine refused."""
    if not CHROMIUM.exists():
        pytest.skip(f"the browser check needs Chromium at {CHROMIUM} (apt-get install chromium)")
    playwright_api = pytest.importorskip("playwright.sync_api", reason="the browser check needs playwright (pip)")
    offline: list[str] = []

    def only_this_server(route) -> None:
        if route.request.url.startswith(deployment.https_url):
            route.continue_()
        else:
            offline.append(route.request.url)
            route.abort()

    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_context(ignore_https_errors=True).new_page()
            page.route("**/*", only_this_server)
            page.goto(f"{deployment.https_url}/docs")
            page.get_by_role("link", name="Swagger UI").nth(2).click()  # the platform, Boenderegister, the portal
            playwright_api.expect(page.locator(".swagger-ui .info .title")).to_contain_text("PM5", timeout=60_000)
            playwright_api.expect(page.locator(".opblock").first).to_be_visible()
            page.goto(f"{deployment.https_url}/distribution/produkter/inskrivning/v3/redoc")
            playwright_api.expect(page.locator("h1").first).to_contain_text("nskrivning", timeout=60_000)
        finally:
            browser.close()
    assert set(offline) <= {REDOC_LOGO}, "the docs pages need something from outside bodata"


def check_the_deployment(
    https_url: str, http_port: int, servers: list[LiveServer], verify: ssl.SSLContext, cert: Path
) -> None:
    with httpx.Client(base_url=https_url, verify=verify, timeout=60) as client:
        assert client.get("/ready").json()["status"] == "ok"
        plain = httpx.get(f"http://127.0.0.1:{http_port}/ready", timeout=60)
        assert plain.status_code == 301
        assert plain.headers["location"].startswith("https://")

        # Forwarded headers: the links are the public https ones, and bodata knows the request came over TLS.
        wsdl = client.get("/huslejeregister/v3?wsdl").text
        assert f'location="{https_url}/huslejeregister/v3"' in wsdl
        through_nginx = client.get("/boenderegister/login")
        assert "secure" in through_nginx.headers["set-cookie"].lower()
        assert "max-age=31536000" in through_nginx.headers["strict-transport-security"]
        direct = httpx.get(f"{servers[0].url}/boenderegister/login", timeout=60)
        assert "secure" not in direct.headers["set-cookie"].lower()  # plain HTTP straight to the process

        # zeep follows the WSDL's https address: the UsernameToken's PasswordText travels inside TLS.
        session = requests.Session()
        session.trust_env = False  # else REQUESTS_CA_BUNDLE from the environment wins over ``verify``
        session.verify = str(cert)
        soap = zeep.Client(
            f"{https_url}/huslejeregister/v3?wsdl",
            wsse=UsernameToken("demo", "demo"),
            transport=Transport(session=session),
        )
        assert soap.service._binding_options["address"] == f"{https_url}/huslejeregister/v3"
        organisations = soap.service.BoligorganisationList()
        identifiers = {o.BoligorganisationIdentifikationStruktur.BoligorganisationIdentifikator for o in organisations}
        assert identifiers == {1001, 1002}

        # Load balancing: nginx's request ids, echoed by bodata, turn up in both processes' logs.
        request_ids = [client.get("/health").headers["x-request-id"] for _ in range(12)]
        assert len(set(request_ids)) == 12

        # A login through nginx is valid on each process.
        login = client.post(
            "/portal/session/login", headers=PORTAL_APP, json={"Användarnamn": "demo", "Lösenord": "demo"}
        )
        assert login.status_code == 200, login.text
        session_key = login.json()["Sessionsnyckel"]
        for server in servers:
            view = httpx.get(f"{server.url}/portal/session/{session_key}", headers=PORTAL_APP, timeout=60)
            assert view.status_code == 200, view.text

        # Metrics: nginx keeps them in; each process serves its own.
        assert client.get("/metrics").status_code == 403
        metrics = "".join(httpx.get(f"{server.url}/metrics", timeout=60).text for server in servers)
        assert 'bodata_requests_total{operation="GET /health",service="platform",status="200"}' in metrics
        soap_calls = 'bodata_requests_total{operation="BoligorganisationList",service="huslejeregister",status="200"}'
        assert soap_calls in metrics  # the SOAP method, not only its one endpoint

    for server in servers:
        log = server.log()
        assert any(request_id in log for request_id in request_ids), "nginx sent every request to one process"
