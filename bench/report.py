"""Shared output of the benchmarks: a table on the terminal and a JSON file under bench/results/."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

RESULTS_DIR = Path(__file__).parent / "results"


@dataclass
class Measurement:
    """Mean time of one operation, and its ratio to the run's baseline operation."""

    name: str
    mean_us: float
    ops_per_s: float
    ratio: float


def time_operation(operation: Callable[[], object], *, repeat: int, rounds: int = 5) -> float:
    """The best-of-``rounds`` mean time in microseconds of ``operation`` over ``repeat`` calls."""
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for _ in range(repeat):
            operation()
        best = min(best, (time.perf_counter() - started) / repeat)
    return best * 1e6


def relative_to(baseline_us: float, timings: dict[str, float]) -> list[Measurement]:
    """Measurements with each timing's ratio to ``baseline_us``."""
    return [Measurement(name, mean, 1e6 / mean, mean / baseline_us) for name, mean in timings.items()]


def report(title: str, measurements: list[Measurement], *, filename: str, context: dict[str, object]) -> dict:
    """Print the table and write the JSON file; returns what was written."""
    table = Table(title=title)
    for column in ("operation", "mean µs", "ops/s", "× baseline"):
        table.add_column(column, justify="left" if column == "operation" else "right")
    for measurement in measurements:
        table.add_row(
            measurement.name,
            f"{measurement.mean_us:,.1f}",
            f"{measurement.ops_per_s:,.0f}",
            f"{measurement.ratio:.2f}",
        )
    Console().print(table)
    result = {"title": title, "context": context, "measurements": [asdict(m) for m in measurements]}
    RESULTS_DIR.mkdir(exist_ok=True)
    (RESULTS_DIR / filename).write_text(json.dumps(result, indent=2), encoding="utf-8")
    return result
