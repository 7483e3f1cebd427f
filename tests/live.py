"""A live ``bodata serve`` in a subprocess on a free loopback port, for end-to-end tests with real clients."""

from __future__ import annotations

import os
import random
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

LIVE_SERVER_SECRET_KEY = "live-server-test-key"
PORTS_FROM, PORTS_PER_WORKER, PORT_SLICES = 20000, 1000, 12  # 20000-31999: below Linux's ephemeral ports
STARTUP_LIMIT_S = 600
"""How long a server may take to start before the test gives up: only a guard against a hang. A server that
exits early fails at once, and a healthy one is used as soon as it says so, so a busy machine only waits longer."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now.

    Each pytest-xdist worker takes ports from a slice of its own below the kernel's ephemeral range, so two
    workers never pick the same port between checking it and their server binding it.
    """
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    first = PORTS_FROM + (worker % PORT_SLICES) * PORTS_PER_WORKER
    for _ in range(PORTS_PER_WORKER):
        port = first + random.randrange(PORTS_PER_WORKER)
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {first}-{first + PORTS_PER_WORKER - 1}")


@dataclass
class LiveServer:
    """A running server: its base URL and the process behind it."""

    url: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_live_server(
    *,
    database_url: str,
    workdir: Path,
    args: tuple[str, ...] = (),
    env: dict[str, str] | None = None,
    command: Callable[[int], list[str]] | None = None,
) -> LiveServer:
    """Start ``bodata serve`` and wait until ``/ready`` answers ok (or fail with the server's log if it exits).

    ``command`` builds another command line from the port (``docs/deployment.md``'s unit, in its test).
    """
    port = free_port()
    log_path = workdir / f"server-{port}.log"
    environment = {
        **os.environ,
        "BODATA_DATABASE_URL": database_url,
        "BODATA_SECRET_KEY": LIVE_SERVER_SECRET_KEY,
        **(env or {}),
    }
    if command is None:
        argv = [sys.executable, "-m", "bodata", "serve", "--host", "127.0.0.1", "--port", str(port), *args]
    else:
        argv = command(port)
    with log_path.open("wb") as log:
        process = subprocess.Popen(argv, cwd=workdir, env=environment, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    server = LiveServer(url=f"http://127.0.0.1:{port}", process=process, log_path=log_path)
    deadline = time.monotonic() + STARTUP_LIMIT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"bodata serve exited with {process.returncode}:\n{server.log()}")
        try:
            if httpx.get(f"{server.url}/ready", timeout=30).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    server.stop()
    raise RuntimeError(f"bodata serve did not become healthy within {STARTUP_LIMIT_S} s:\n{server.log()}")
