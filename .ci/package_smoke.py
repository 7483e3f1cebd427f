"""Packaging as users install it: build the wheel, install it into a fresh virtual environment (no editable install,
no source tree on the path), check that every file of the package arrived, and run ``bodata serve --demo`` from that
install, asking each service for what it serves from package data (templates, static files, WSDL/XSD, schemas,
migrations). Run by ``.ci/run`` and ``make smoke``; needs only the standard library and network access to PyPI.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STARTUP_LIMIT_S = 900  # a guard against a hang only: the loop ends as soon as the server is healthy or exits

# (path, what the body must contain): each served from a file the wheel must carry
CHECKS = [
    ("/health", '"ok"'),
    ("/boenderegister/login", "<form"),  # a Jinja2 template
    ("/boenderegister/static/style.css", "{"),  # a static file
    ("/huslejeregister/v3?wsdl", "definitions"),  # the WSDL
    ("/huslejeregister/v3?xsd=HuslejeregisterV3.xsd", "schema"),  # its XSD
    ("/distribution/produkter/inskrivning/v3/inskrivning-3.0.0.xsd", "schema"),  # Inskrivning's XSD
    ("/distribution/produkter/inskrivning/v3/inskrivning-3.0.0.json", "$schema"),  # and its JSON Schema
    ("/portal/openapi.json", '"openapi"'),
    ("/docs/assets/swagger-ui/swagger-ui-bundle.js", "SwaggerUIBundle"),  # the offline API docs
    ("/docs/assets/redoc/redoc.standalone.js", "Redoc"),
]


def run(*command: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None) -> None:
    print("+", " ".join(map(str, command)), flush=True)
    subprocess.run(list(map(str, command)), check=True, cwd=cwd, env=env)  # noqa: S603


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310  (loopback http only)
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def missing_files(python: Path) -> list[str]:
    """Files of src/bodata tracked by git that the installed package lacks (or the reason it can't be checked)."""
    listed = subprocess.run(["git", "ls-files", "src/bodata"], cwd=ROOT, check=True, capture_output=True, text=True)  # noqa: S607
    where = "import bodata, os; print(os.path.dirname(bodata.__file__))"
    found = subprocess.run([python, "-c", where], check=True, capture_output=True, text=True, cwd=tempfile.gettempdir())  # noqa: S603
    installed = Path(found.stdout.strip())
    if ROOT in installed.parents:
        return [f"(bodata was imported from the source tree: {installed})"]
    return [name for name in listed.stdout.split() if not (installed / Path(name).relative_to("src/bodata")).exists()]


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="bodata-smoke-"))
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", work / "dist", ROOT)
    wheel = next((work / "dist").glob("bodata-*.whl"))
    run(sys.executable, "-m", "venv", work / "venv")
    python, bodata = work / "venv/bin/python", work / "venv/bin/bodata"
    run(python, "-m", "pip", "install", "--quiet", wheel)
    missing = missing_files(python)
    if missing:
        print("the wheel lacks these files of the source tree:\n  " + "\n  ".join(missing), file=sys.stderr)
        return 1

    port = free_port()
    env = {
        **{key: value for key, value in os.environ.items() if not key.startswith(("BODATA_", "PYTHONPATH"))},
        "BODATA_DATABASE_URL": f"sqlite:///{work / 'smoke.db'}",
        "BODATA_SECRET_KEY": "package-smoke-test",
    }
    run(bodata, "--help", cwd=work, env=env)
    log = (work / "server.log").open("wb")
    server = subprocess.Popen(  # noqa: S603
        [bodata, "serve", "--demo", "--port", str(port)], cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_LIMIT_S
        while server.poll() is None and time.monotonic() < deadline:
            try:
                if get(f"{base}/ready")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            print((work / "server.log").read_text(errors="replace"), file=sys.stderr)
            print("the installed bodata did not become healthy", file=sys.stderr)
            return 1
        failures = []
        index_status, index = get(f"{base}/")
        services = json.loads(index) if index_status == 200 else {}
        print(f"GET / -> {index_status}: {sorted(services) if isinstance(services, dict) else services}")
        for path, expected in CHECKS:
            status, body = get(base + path)
            print(f"GET {path} -> {status}")
            if status != 200 or expected not in body:
                failures.append(f"{path}: {status} {body[:200]!r}")
        for failure in failures:
            print("FAILED", failure, file=sys.stderr)
        return 1 if failures else 0
    finally:
        server.terminate()
        server.wait(timeout=60)


if __name__ == "__main__":
    sys.exit(main())
