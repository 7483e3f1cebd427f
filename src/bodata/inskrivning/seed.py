"""Inskrivning's stand-in seed files (docs/stand-in.md): API clients and registrations.

A seed file is either a response of Lantmäteriet's service as it is (GeoJSON ``FeatureCollection`` or GML
``InskrivningResponse``, what ``bodata inskrivning import`` reads), or a ``bodata-seed`` document::

    bodata-seed: 1
    service: inskrivning
    clients: [{client_id: my-app, secret: s3cret, description: "our integration"}]
    registrations: {type: FeatureCollection, features: [...]}   # a response, inline
    generate: {properties: 20, seed: 7}                          # and/or a generated register

Every registration is checked against the published schema; one it refuses refuses the file. Applying a file
again changes nothing: a registration already current as the file has it stays, a client keeps its id and gets
the file's secret.
"""

from __future__ import annotations

from typing import Any

import orjson
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator
from sqlalchemy import select

from bodata.core.security import hash_password, verify_password
from bodata.core.standin.seeds import Refused, SeedFormat, SeedTarget
from bodata.inskrivning import service
from bodata.inskrivning.generator import generate_register
from bodata.inskrivning.importer import ImportFileError, import_registrations, read_registrations
from bodata.inskrivning.models import ApiClient


class ClientSeed(BaseModel):
    """An OAuth2 client that may fetch tokens at ``/token`` (scope inskrivning_direkt_v3_read)."""

    model_config = ConfigDict(extra="forbid")
    client_id: str = Field(min_length=1, max_length=100, pattern=r"^[^:\s]+$")
    secret: str = Field(min_length=1, max_length=200)
    description: str = ""


class GenerateSeed(BaseModel):
    """A generated register: ``properties`` properties from the random ``seed``."""

    model_config = ConfigDict(extra="forbid")
    properties: int = Field(ge=1, le=100_000)
    seed: int = 2026


class InskrivningSeed(BaseModel):
    """The ``bodata-seed`` document of Inskrivning."""

    model_config = ConfigDict(extra="forbid")
    clients: list[ClientSeed] = Field(default_factory=list)
    registrations: dict[str, Any] | None = Field(None, description="An Inskrivning response (GeoJSON), inline.")
    generate: GenerateSeed | None = None
    _documents: list[dict[str, Any]] = PrivateAttr(default_factory=list)

    @model_validator(mode="after")
    def _read_registrations(self) -> InskrivningSeed:
        if self.registrations is not None:
            try:
                self._documents = read_registrations(orjson.dumps(self.registrations), strict=True).documents
            except ImportFileError as error:
                raise ValueError(f"registrations: {error}") from None
        return self


def _raw(data: bytes) -> InskrivningSeed | None:
    """A response file as a seed document; None when ``data`` is not one."""
    start = data.lstrip()[:1]
    if start == b"{":
        try:
            parsed = orjson.loads(data)
        except orjson.JSONDecodeError:
            return None
        if not (isinstance(parsed, dict) and parsed.get("type") == "FeatureCollection"):
            return None
    elif start != b"<":
        return None
    try:
        read = read_registrations(data, strict=True)
    except ImportFileError as error:
        raise ValueError(str(error)) from None
    seed = InskrivningSeed()
    seed._documents = read.documents
    return seed


def apply_seed(target: SeedTarget, seed: InskrivningSeed) -> str:
    session, now = target.db(), target.clock.now()
    for number, client in enumerate(seed.clients):
        stored = session.scalar(select(ApiClient).where(ApiClient.client_id == client.client_id))
        if stored is None:
            try:
                service.add_client(
                    session, client.client_id, secret=client.secret, now=now, description=client.description
                )
            except ValueError as error:
                raise Refused(f"/clients[{number}]", str(error)) from None
        else:
            if not verify_password(stored.secret_hash, client.secret):
                stored.secret_hash = hash_password(client.secret)
            stored.description = client.description
    outcome = import_registrations(session, seed._documents, now)
    account = f"{len(seed.clients)} clients, {outcome.stored} registrations stored, {outcome.unchanged} unchanged"
    if seed.generate is not None:
        register = list(generate_register(seed.generate.properties, seed=seed.generate.seed, now=now))
        known = service.known_registrations(session, [item.inskrivning_id for item in register])
        generated = service.load_generated(session, [item for item in register if item.inskrivning_id not in known])
        account += f", {generated} generated registrations loaded"
    return account


SEED_FORMAT = SeedFormat(service="inskrivning", model=InskrivningSeed, apply=apply_seed, raw=_raw)
