"""SQLite under write load while wrong passwords are tried: 20 writers and 6 wrong-password SOAP callers at once.

A live ``bodata serve`` on a SQLite file. Writers add back-office records (``POST /portal/admin/time-point-types``,
one short write each); wrong-password callers send ``BoligorganisationListInputStruktur`` with a wrong WS-Security
password (each an Argon2 check; login throttling is off so every call pays it). Readers of ``/health`` run alongside.
Counted: answers per kind, 500s that are not the expected SOAP authentication Fault, and latency percentiles.

Before issue 15 every transaction took SQLite's write lock up front and the Argon2 check ran inside it, so writers
waited behind password checks and got 500 "database is locked" once the busy timeout ran out.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx
from rich.console import Console
from rich.table import Table

from bench.live import serve
from bodata.core.config import Settings
from bodata.core.db import Database
from bodata.core.db.migrate import upgrade
from bodata.huslejeregister import organisations as register
from bodata.huslejeregister.schema import NS, SOAP_ENV_NS
from bodata.huslejeregister.soap import PASSWORD_TEXT, WSSE_NS
from bodata.portal import service as portal

USER = "bench"
STAFF_TOKEN = "st_bench-locking-staff-token"
WRONG_PASSWORD = "not-the-password"


@dataclass
class Outcome:
    """What one kind of caller got: statuses, unexpected answers and latencies (seconds)."""

    statuses: Counter[int] = field(default_factory=Counter)
    unexpected: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)

    def p(self, percentile: int) -> float:
        if len(self.latencies) < 2:
            return self.latencies[0] * 1000 if self.latencies else float("nan")
        return statistics.quantiles(self.latencies, n=100)[percentile - 1] * 1000


def prepare(path: Path) -> None:
    """A migrated SQLite file with a SOAP user and a back-office staff token."""
    database = Database.from_settings(Settings(database_url=f"sqlite:///{path}", secret_key="bench"))
    upgrade(database.engine)
    with database.transaction() as session:
        register.add_user(session, USER, "the-right-password", [], now=datetime.now(UTC))
        portal.add_staff_token(session, name="bench", now=datetime.now(UTC), value=STAFF_TOKEN)
    database.dispose()


def wrong_password_envelope() -> bytes:
    return (
        f'<soap:Envelope xmlns:soap="{SOAP_ENV_NS}" xmlns:wsse="{WSSE_NS}" xmlns:hr="{NS}">'
        "<soap:Header><wsse:Security><wsse:UsernameToken>"
        f'<wsse:Username>{USER}</wsse:Username><wsse:Password Type="{PASSWORD_TEXT}">{WRONG_PASSWORD}</wsse:Password>'
        "</wsse:UsernameToken></wsse:Security></soap:Header>"
        "<soap:Body><hr:BoligorganisationListInputStruktur/></soap:Body></soap:Envelope>"
    ).encode()


def run_load(
    url: str, *, writers: int, guessers: int, seconds: float = 0, requests_each: int = 0, timeout: float = 120
) -> dict[str, Outcome]:
    """Run writers, wrong-password callers and a /health reader against ``url`` for ``seconds`` (or until each
    caller has sent ``requests_each`` requests)."""
    outcomes = {"writer": Outcome(), "wrong password": Outcome(), "health": Outcome()}
    lock = threading.Lock()
    stop = time.monotonic() + seconds
    soap_body = wrong_password_envelope()

    def loop(kind: str, number: int) -> None:
        outcome = outcomes[kind]
        with httpx.Client(base_url=url, timeout=timeout) as client:
            count = 0
            while count < requests_each if requests_each else time.monotonic() < stop:
                count += 1
                started = time.perf_counter()
                if kind == "writer":
                    response = client.post(
                        "/portal/admin/time-point-types",
                        json={"system_name": f"W{number}x{count}", "beteckning": f"Skrivare {number}:{count}"},
                        headers={"Authorization": f"Bearer {STAFF_TOKEN}"},
                    )
                    ok = response.status_code == 201
                elif kind == "wrong password":
                    response = client.post(
                        "/huslejeregister/v3", content=soap_body, headers={"Content-Type": "text/xml; charset=utf-8"}
                    )
                    ok = response.status_code == 500 and "FailedAuthentication" in response.text
                else:
                    response = client.get("/health")
                    ok = response.status_code == 200
                elapsed = time.perf_counter() - started
                with lock:
                    outcome.statuses[response.status_code] += 1
                    outcome.latencies.append(elapsed)
                    if not ok:
                        outcome.unexpected.append(f"{response.status_code} {response.text[:200]}")

    threads = [threading.Thread(target=loop, args=("writer", n)) for n in range(writers)]
    threads += [threading.Thread(target=loop, args=("wrong password", n)) for n in range(guessers)]
    threads.append(threading.Thread(target=loop, args=("health", 0)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, default=20)
    parser.add_argument("--guessers", type=int, default=6)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "locking.db"
        prepare(path)
        process, url = serve(path, Path(folder), env={"BODATA_LOGIN_MAX_FAILURES": "0", "BODATA_SCHEDULER": "false"})
        try:
            outcomes = run_load(url, writers=args.writers, guessers=args.guessers, seconds=args.seconds)
        finally:
            process.terminate()
            process.wait()
    table = Table(title=f"SQLite: {args.writers} writers, {args.guessers} wrong-password callers, {args.seconds:g} s")
    for column in ("caller", "requests", "unexpected (500s)", "p50 ms", "p99 ms", "max ms"):
        table.add_column(column, justify="left" if column == "caller" else "right")
    for kind, outcome in outcomes.items():
        table.add_row(
            kind,
            str(sum(outcome.statuses.values())),
            str(len(outcome.unexpected)),
            f"{outcome.p(50):,.0f}",
            f"{outcome.p(99):,.0f}",
            f"{max(outcome.latencies, default=0) * 1000:,.0f}",
        )
    Console().print(table)
    for kind, outcome in outcomes.items():
        for answer in outcome.unexpected[:3]:
            print(f"{kind}: {answer}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
