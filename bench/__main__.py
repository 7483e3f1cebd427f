"""Run every benchmark in this folder; each prints its table and writes JSON to bench/results/."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path


def main() -> int:
    names = sorted(path.stem for path in Path(__file__).parent.glob("bench_*.py"))
    selected = [name for name in names if not sys.argv[1:] or name in sys.argv[1:]]
    for name in selected:
        print(f"\n== {name} ==", flush=True)
        importlib.import_module(f"bench.{name}").main([])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
