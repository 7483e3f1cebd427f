"""Serving the simulator: in the foreground (a CLI command) or on a background thread (tests, benchmarks)."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass

import uvicorn

from bodata.axema_sim.app import create_sim_app
from bodata.axema_sim.state import SimState


def run_sim(host: str, port: int, state: SimState, *, log_level: str = "info") -> None:
    """Serve the simulator on ``host:port`` until interrupted."""
    uvicorn.run(create_sim_app(state), host=host, port=port, log_level=log_level)


@dataclass
class RunningSim:
    """A simulator served on a background thread: its base URL, its state, and how to stop it."""

    url: str
    state: SimState
    server: uvicorn.Server
    thread: threading.Thread

    def stop(self) -> None:
        """Shut the server down and wait for its thread."""
        self.server.should_exit = True
        self.thread.join(timeout=10)

    def __enter__(self) -> RunningSim:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()


def start_sim(state: SimState, host: str = "127.0.0.1", port: int = 0) -> RunningSim:
    """Serve the simulator on a background thread (``port`` 0 picks a free one) and wait until it listens."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    bound_port = sock.getsockname()[1]
    config = uvicorn.Config(create_sim_app(state), log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="axema-sim", daemon=True)
    thread.start()
    deadline = time.monotonic() + 300  # only a guard against a hang: a busy machine may take a while
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            sock.close()
            raise RuntimeError("the Axema simulator did not start")
        time.sleep(0.01)
    return RunningSim(f"http://{host}:{bound_port}", state, server, thread)
