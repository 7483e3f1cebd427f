"""Seed files: declarative, versioned documents (JSON or YAML) that put a service's data in place.

Every file says which service it is for and which version of the format it uses::

    bodata-seed: 1
    service: portal
    customers: [...]

An Inskrivning response (GeoJSON or GML), as Lantmäteriet returns it and ``bodata inskrivning import`` reads it,
is an Inskrivning seed file as it is. Each service's ``seed.py`` declares its format (``SeedFormat``): a
pydantic model of the document and the function that applies it. Files are checked whole before anything is
written, and every problem names the file, the path in the document and the reason; a service's files are
applied in one transaction. Applying a file twice changes nothing the second time (records are matched by their
identifiers: numbers, ids, names).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
import yaml
from pydantic import BaseModel, ValidationError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from bodata.core.clock import Clock
    from bodata.core.security import SecretBox

FORMAT_KEY = "bodata-seed"
FORMAT_VERSION = 1
MAX_SEED_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class SeedProblem:
    """One reason a seed file cannot be applied: where (file and path in the document) and why."""

    file: str
    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.path or '/'}: {self.reason}"


class SeedError(ValueError):
    """Seed files that cannot be applied; ``problems`` says where and why."""

    def __init__(self, problems: Sequence[SeedProblem]) -> None:
        super().__init__("; ".join(map(str, problems)))
        self.problems = list(problems)


class Refused(ValueError):
    """Raised by a format's ``apply`` for a record the service's rules refuse: ``path`` names it."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(reason)
        self.path = path


@dataclass
class SeedTarget:
    """What a format applies a document to: a session (database services) or an in-memory state."""

    session: Session | None
    clock: Clock
    secrets: SecretBox
    state: Any = None

    def db(self) -> Session:
        """The session of a database service's seeding."""
        if self.session is None:
            raise RuntimeError("this seed target is an in-memory state, not a database")
        return self.session


@dataclass(frozen=True)
class SeedFormat:
    """A service's seed format: the document model, and the function applying a checked document."""

    service: str
    model: type[BaseModel]
    apply: Callable[[SeedTarget, Any], str]
    """Apply the document; returns a short account (``"3 customers, 2 cases"``). Raise ``Refused`` on a record
    the service's rules refuse."""
    raw: Callable[[bytes], Any] | None = None
    """Reads a file of the service's own wire format (Inskrivning's responses) into a document, or None."""


@dataclass(frozen=True)
class SeedDocument:
    """A checked seed document and where it came from."""

    file: str
    service: str
    document: Any


def read_seed(data: bytes, name: str, formats: dict[str, SeedFormat]) -> SeedDocument:
    """Parse and check one seed file (JSON or YAML, or a service's own wire format)."""
    if len(data) > MAX_SEED_BYTES:
        raise SeedError([SeedProblem(name, "", f"larger than {MAX_SEED_BYTES // 1024 // 1024} MB")])
    for seed_format in formats.values():
        if seed_format.raw is not None:
            try:
                document = seed_format.raw(data)
            except ValueError as error:
                raise SeedError([SeedProblem(name, "", str(error))]) from None
            if document is not None:
                return SeedDocument(name, seed_format.service, document)
    try:
        parsed = orjson.loads(data) if data.lstrip()[:1] in (b"{", b"[") else yaml.safe_load(data)
    except (orjson.JSONDecodeError, yaml.YAMLError) as error:
        raise SeedError([SeedProblem(name, "", f"neither JSON nor YAML: {error}")]) from None
    if not isinstance(parsed, dict):
        raise SeedError([SeedProblem(name, "", "a seed file is a mapping with bodata-seed and service")])
    version, service = parsed.pop(FORMAT_KEY, None), parsed.pop("service", None)
    if version != FORMAT_VERSION:
        raise SeedError([SeedProblem(name, f"/{FORMAT_KEY}", f"must be {FORMAT_VERSION}, not {version!r}")])
    if service not in formats:
        known = ", ".join(sorted(formats))
        raise SeedError([SeedProblem(name, "/service", f"{service!r} is not a service with seed files ({known})")])
    try:
        document = formats[service].model.model_validate(parsed)
    except ValidationError as error:
        raise SeedError([_problem(name, problem) for problem in error.errors()]) from None
    return SeedDocument(name, service, document)


def read_seed_file(path: Path, formats: dict[str, SeedFormat]) -> SeedDocument:
    """Read and check the seed file at ``path``."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SeedError([SeedProblem(str(path), "", f"cannot read it: {error.strerror}")]) from None
    return read_seed(data, str(path), formats)


def apply_seeds(documents: Sequence[SeedDocument], seed_format: SeedFormat, target: SeedTarget) -> list[str]:
    """Apply checked documents of one service, in order; a refused record raises ``SeedError`` (the caller's
    transaction then writes nothing)."""
    accounts = []
    for seed in documents:
        try:
            accounts.append(f"{seed.file}: {seed_format.apply(target, seed.document)}")
        except Refused as error:
            raise SeedError([SeedProblem(seed.file, error.path, str(error))]) from None
    return accounts


def _problem(name: str, problem: Any) -> SeedProblem:
    path = "".join(f"[{part}]" if isinstance(part, int) else f"/{part}" for part in problem.get("loc", ()))
    return SeedProblem(name, path, problem.get("msg", "invalid"))


def seed_paths(setting: str) -> list[Path]:
    """The files named by ``BODATA_STANDIN_SEED_FILES`` (separated by the OS path separator); a directory stands
    for its *.json, *.yaml and *.yml files in name order."""
    paths: list[Path] = []
    for part in filter(None, setting.split(os.pathsep)):
        path = Path(part)
        if path.is_dir():
            paths += sorted(p for p in path.iterdir() if p.suffix.lower() in (".json", ".yaml", ".yml", ".xml"))
        else:
            paths.append(path)
    return paths
