"""A live ``bodata serve`` on a SQLite register for the benchmarks, and latency measurement over it."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
from tests.live import free_port


def serve(path: Path, workdir: Path, env: dict[str, str] | None = None) -> tuple[subprocess.Popen[bytes], str]:
    """Start ``bodata serve`` on the SQLite file ``path``; returns the process and its base URL once /health answers."""
    port = free_port()
    environment = {**os.environ, "BODATA_DATABASE_URL": f"sqlite:///{path}", "BODATA_SECRET_KEY": "bench"}
    environment["BODATA_LOG_LEVEL"] = "WARNING"
    environment.update(env or {})
    command = [sys.executable, "-m", "bodata", "serve", "--host", "127.0.0.1", "--port", str(port)]
    quiet = subprocess.DEVNULL
    process = subprocess.Popen(command, cwd=workdir, env=environment, stdout=quiet, stderr=quiet)  # noqa: S603
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return process, url
        except httpx.TransportError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("bodata serve did not start")


def memory_mb(pid: int) -> float:
    """Resident memory of a process in MB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def median_us(operation: Callable[[], object], repeat: int) -> float:
    """Median latency in microseconds over ``repeat`` calls, after a few warm-up calls."""
    return alternating_us([operation], repeat, rounds=1)[0]


def alternating_us(operations: list[Callable[[], object]], repeat: int, rounds: int = 5) -> list[float]:
    """Median latency (µs) of each operation, measured in alternating rounds (each warmed up before its round)
    so that the machine's noise falls on all of them alike."""
    samples: list[list[float]] = [[] for _ in operations]
    for _ in range(rounds):
        for index, operation in enumerate(operations):
            for _ in range(3):
                operation()
            for _ in range(max(1, repeat // rounds)):
                started = time.perf_counter()
                operation()
                samples[index].append(time.perf_counter() - started)
    return [statistics.median(values) * 1e6 for values in samples]
