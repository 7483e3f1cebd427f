"""What ``bodata serve`` does for stand-in mode before it starts the workers."""

from __future__ import annotations

import os
import secrets
from dataclasses import replace

import typer
from rich.console import Console

from bodata.core.config import Settings


def prepare_standin(settings: Settings, workers: int, console: Console) -> tuple[Settings, int]:
    """Give the server an admin token (a new one, printed, unless BODATA_STANDIN_TOKEN is set), check the seed
    files before serving, and serve with one worker (the clock, faults and journal live in the process)."""
    from bodata.core.standin.seeds import SeedError, read_seed_file, seed_paths
    from bodata.services import installed_services

    if not settings.standin_token:
        token = secrets.token_urlsafe(24)
        os.environ["BODATA_STANDIN_TOKEN"] = token  # the worker reads the environment
        settings = replace(settings, standin_token=token)
        console.print(f"stand-in controls: {settings.public_url or ''}/_bodata/  admin token: [bold]{token}[/bold]")
    else:
        console.print("stand-in controls under /_bodata/ (admin token from BODATA_STANDIN_TOKEN)")
    formats = {s.name: s.seed_format for s in installed_services(settings) if s.seed_format is not None}
    problems = []
    for path in seed_paths(settings.standin_seed_files):
        try:
            read_seed_file(path, formats)
        except SeedError as error:
            problems += error.problems
    if problems:
        for problem in problems:
            console.print(f"[red]seed file: {problem}[/red]")
        raise typer.Exit(2)
    if workers > 1:
        console.print("stand-in mode serves with one worker (its clock, faults and journal live in the process)")
    return settings, 1
