"""The sources: the Axema connector against the simulator on loopback, and the CSV person export."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from bodata.axema_sim import Faults, RunningSim, SimState, start_sim
from bodata.boenderegister.sources.axema import AxemaSource
from bodata.boenderegister.sources.base import Credential, OrganisationGroup, Person, Snapshot, SourceError
from bodata.boenderegister.sources.csvfile import CsvPersonSource

from ..live import free_port

KINDS = {"card": "tag", "radio": "radio"}
DEMO = "demo"  # the simulator's integration account: user name and password


@pytest.fixture(scope="module")
def running_sim() -> Iterator[RunningSim]:
    with start_sim(SimState(seed=3, apartments=120)) as sim:
        yield sim


@pytest.fixture
def sim(running_sim: RunningSim) -> RunningSim:
    running_sim.state.set_faults(Faults())
    running_sim.state.reset()
    return running_sim


def source(sim: RunningSim, *, password: str = DEMO, page_size: int = 50, timeout: float = 10) -> AxemaSource:
    return AxemaSource(sim.url, "demo", password, page_size=page_size, timeout=timeout)


def expected(state: SimState) -> tuple[tuple[OrganisationGroup, ...], tuple[Person, ...]]:
    """The simulator's data as a source should deliver it: codes left out, card → tag."""
    groups = tuple(
        OrganisationGroup(g.id, g.name, g.reference_id, g.apartment_number, g.floor)
        for g in state.groups_page(0, 10**6).items
    )
    persons = tuple(
        Person(
            p.id,
            p.first_name,
            p.last_name,
            p.group_ids,
            tuple(Credential(c.id, KINDS[c.type], c.number) for c in p.credentials if c.type in KINDS),
        )
        for p in state.persons_page(0, 10**6).items
    )
    return groups, persons


# --- Axema connector against the simulator -----------------------------------------------------------------


def test_full_snapshot_equals_the_simulators_data(sim: RunningSim) -> None:
    calls: list[tuple[int, int | None]] = []
    snapshot = source(sim).fetch(progress=lambda read, total: calls.append((read, total)))
    groups, persons = expected(sim.state)
    assert snapshot.groups == groups
    assert snapshot.persons == persons
    assert snapshot.domain_controllers == ("B60",)
    assert snapshot.system_name == sim.state.system_name
    assert snapshot.details["version"].startswith("VAKA 4.")
    total = len(groups) + len(persons)
    assert calls[0] == (50, None)
    assert calls[1] == (100, total)
    assert calls[-1] == (total, total)
    assert [read for read, _total in calls] == sorted(read for read, _total in calls)


def test_personal_codes_are_never_imported(sim: RunningSim) -> None:
    codes = [c for p in sim.state.persons_page(0, 10**6).items for c in p.credentials if c.type == "code"]
    assert codes
    snapshot = source(sim).fetch()
    imported = {c.external_id for person in snapshot.persons for c in person.credentials}
    assert {c.kind for person in snapshot.persons for c in person.credentials} == {"tag", "radio"}
    assert not imported & {code.id for code in codes}


def test_changes_in_axema_show_in_the_next_snapshot(sim: RunningSim) -> None:
    sim.state.update_group("og-000001", reference_id="1102-Fel")
    sim.state.update_person("p-000002", group_ids=["og-000005"])
    snapshot = source(sim, page_size=1000).fetch()
    assert snapshot.groups[0].reference_id == "1102-Fel"
    assert next(p for p in snapshot.persons if p.external_id == "p-000002").group_ids == ("og-000005",)


def test_api_key_is_sent() -> None:
    with start_sim(SimState(apartments=10, username="integration", password="pw", api_key="k")) as sim:
        snapshot = AxemaSource(sim.url, "integration", "pw", api_key="k").fetch()
        assert len(snapshot.groups) == 10
        with pytest.raises(SourceError) as refused:
            AxemaSource(sim.url, "integration", "pw", api_key="other").fetch()
        assert refused.value.kind == "auth"


@pytest.mark.parametrize(
    ("faults", "password", "timeout", "kind", "words"),
    [
        (Faults(delay_seconds=0.5), "demo", 0.1, "unreachable", "timeout"),
        (Faults(error_status=500), "demo", 10, "http_error", "HTTP 500"),
        (Faults(error_status=404), "demo", 10, "http_error", "HTTP 404"),
        (Faults(truncate_pages=True), "demo", 10, "partial", "49 items of 50 asked"),
        (Faults(), "wrong", 10, "auth", "HTTP 401 invalid_client"),
    ],
)
def test_faults_map_to_source_errors(
    sim: RunningSim, faults: Faults, password: str, timeout: float, kind: str, words: str
) -> None:
    sim.state.set_faults(faults)
    with pytest.raises(SourceError) as error:
        source(sim, password=password, timeout=timeout).fetch()
    assert error.value.kind == kind
    assert words in error.value.message


def test_truncated_last_page_is_partial(sim: RunningSim) -> None:
    sim.state.set_faults(Faults(truncate_pages=True))
    with pytest.raises(SourceError) as error:
        source(sim, page_size=1000).fetch()
    assert error.value.kind == "partial"


def test_no_b60_gives_no_domain_controllers(sim: RunningSim) -> None:
    sim.state.set_faults(Faults(no_b60=True))
    assert source(sim).fetch().domain_controllers == ()


def test_dropped_persons_arrive_as_a_consistent_smaller_snapshot(sim: RunningSim) -> None:
    everyone = sim.state.counts()["persons"]
    sim.state.set_faults(Faults(drop_persons_ratio=0.6))
    assert len(source(sim).fetch().persons) < 0.6 * everyone  # the engine's safety check must catch this


def test_a_total_that_changes_between_pages_is_partial(sim: RunningSim) -> None:
    def add_a_group(read: int, _total: int | None) -> None:
        if read == 50:
            sim.state.add_group(name="Ny", reference_id="1001_Ny 1")

    with pytest.raises(SourceError) as error:
        source(sim).fetch(progress=add_a_group)
    assert error.value.kind == "partial"
    assert "total changed from 120 to 121" in error.value.message


def test_nobody_listening_is_unreachable() -> None:
    with pytest.raises(SourceError) as error:
        AxemaSource(f"http://127.0.0.1:{free_port()}", "demo", "demo", timeout=2).fetch()
    assert error.value.kind == "unreachable"


def test_page_size_is_checked() -> None:
    with pytest.raises(ValueError, match="page_size"):
        AxemaSource("http://127.0.0.1:1", "demo", "demo", page_size=1001)


# --- Axema connector against answers the simulator never gives (a mock transport) ---------------------------

GROUP = {"id": "g1", "name": "A", "referenceId": "1001_A 1", "apartmentNumber": None, "floor": None}
PERSON = {"id": "p1", "firstName": "A", "lastName": "B", "organisationGroupIds": ["g1"], "credentials": []}


def fake_axema(groups: Callable[[int], object], persons: Callable[[int], object]) -> httpx.MockTransport:
    """An Axema API whose listings answer ``groups(offset)`` and ``persons(offset)`` (bytes are sent raw)."""

    def handle(request: httpx.Request) -> httpx.Response:
        offset = int(request.url.params.get("offset", 0))
        answers = {
            "/api/v1/token": lambda _offset: {"access_token": "t", "token_type": "Bearer", "expires_in": 3600},
            "/api/v1/system": lambda _offset: {"name": "X", "domainControllers": [{"id": "1", "model": "B60"}]},
            "/api/v1/organisation-groups": groups,
            "/api/v1/persons": persons,
        }
        answer = answers[request.url.path](offset)
        return httpx.Response(200, content=answer if isinstance(answer, bytes) else json.dumps(answer).encode())

    return httpx.MockTransport(handle)


def listing(items: list[dict], total: int) -> Callable[[int], dict]:
    return lambda offset: {"items": items[offset : offset + 2], "offset": offset, "limit": 2, "total": total}


def fetch_fake(groups: Callable[[int], object], persons: Callable[[int], object]) -> Snapshot:
    return AxemaSource("http://axema.test", "u", "p", page_size=2, transport=fake_axema(groups, persons)).fetch()


def test_a_well_formed_fake_answer_is_read() -> None:
    snapshot = fetch_fake(listing([GROUP], 1), listing([PERSON], 1))
    assert snapshot.groups == (OrganisationGroup("g1", "A", "1001_A 1"),)
    assert snapshot.persons == (Person("p1", "A", "B", ("g1",)),)


@pytest.mark.parametrize(
    ("groups", "persons", "kind", "words"),
    [
        (listing([GROUP, GROUP], 2), listing([PERSON], 1), "partial", "listed twice"),
        (listing([GROUP], 3), listing([PERSON], 1), "partial", "1 items of 2 asked"),
        (lambda offset: {"items": [], "total": 1}, listing([PERSON], 1), "partial", "0 items of 2 asked"),
        (listing([GROUP, *({**GROUP, "id": f"g{n}"} for n in (2, 3, 4))], 3), listing([], 0), "partial", "total is 3"),
        (lambda offset: b"<html>", listing([PERSON], 1), "invalid", "not JSON"),
        (lambda offset: [GROUP], listing([PERSON], 1), "invalid", "JSON object"),
        (lambda offset: {"items": [GROUP]}, listing([PERSON], 1), "invalid", "'total'"),
        (listing([{"id": "g1", "name": "A"}], 1), listing([], 0), "invalid", "'referenceId'"),
        (listing([{**GROUP, "floor": 12}], 1), listing([], 0), "invalid", "'floor' has the wrong type"),
        (listing([GROUP], 1), listing([{**PERSON, "credentials": [{"type": "iris"}]}], 1), "invalid", "iris"),
        (listing([GROUP], 1), listing([{**PERSON, "organisationGroupIds": [1]}], 1), "invalid", "list of strings"),
    ],
)
def test_inconsistent_or_malformed_answers(groups: Callable, persons: Callable, kind: str, words: str) -> None:
    with pytest.raises(SourceError) as error:
        fetch_fake(groups, persons)
    assert error.value.kind == kind
    assert words in error.value.message


def test_a_total_that_shrinks_between_pages_is_partial() -> None:
    groups = [GROUP, {**GROUP, "id": "g2"}, {**GROUP, "id": "g3"}]
    with pytest.raises(SourceError) as error:
        fetch_fake(lambda offset: {"items": groups[offset : offset + 2], "total": 3 - offset}, listing([], 0))
    assert error.value.kind == "partial"
    assert "total changed from 3 to 1" in error.value.message


# --- CSV person export --------------------------------------------------------------------------------------

DEFAULT_CSV = """\
Person-ID;Förnamn;Efternamn;Grupp-ID;Organisationsgrupp;Referens ID;Lägenhetsnummer;Våning;Kortnummer;Radionyckel
17;Åsa;Öberg;g1;Öberg;1102_Mingata 23;348;;1111, 2222;R1
17;Åsa;Öberg;g2;Öberg förråd;1001_Mingata 23;;09;1111;
18;Nils;Öberg;g1;Öberg;1102_Mingata 23;348;;3333;

19;Vaktmästare;Berg;;;;;;4444;R2
"""


def write(tmp_path: Path, text: str, encoding: str = "utf-8-sig") -> Path:
    path = tmp_path / "personer.csv"
    path.write_text(text, encoding=encoding)
    return path


def key(kind: str, number: str) -> Credential:
    """A key as the CSV source names it: there are no credential ids in the export."""
    return Credential(f"{kind}:{number}", kind, number)


def test_csv_with_the_default_columns_merges_rows_per_person(tmp_path: Path) -> None:
    calls: list[tuple[int, int | None]] = []
    snapshot = CsvPersonSource(write(tmp_path, DEFAULT_CSV)).fetch(lambda read, total: calls.append((read, total)))
    assert snapshot.groups == (
        OrganisationGroup("g1", "Öberg", "1102_Mingata 23", "348", None),
        OrganisationGroup("g2", "Öberg förråd", "1001_Mingata 23", None, "09"),
    )
    assert snapshot.persons == (
        Person("17", "Åsa", "Öberg", ("g1", "g2"), (key("tag", "1111"), key("tag", "2222"), key("radio", "R1"))),
        Person("18", "Nils", "Öberg", ("g1",), (key("tag", "3333"),)),
        Person("19", "Vaktmästare", "Berg", (), (key("tag", "4444"), key("radio", "R2"))),
    )
    assert snapshot.domain_controllers is None
    assert snapshot.details["rows"] == "4"
    assert calls == [(4, 4)]


def test_csv_with_a_custom_mapping_and_no_group_id_column(tmp_path: Path) -> None:
    text = "id\tfirst\tlast\tgroup\tref\tcards\n1\tAnna\tAx\tAx\t1001_Gatan 1\t9\n2\tBo\tBy\t\t1002_Gatan 1\t8\n"
    columns = {"person_id": "id", "first_name": "first", "last_name": "last", "group_name": "group"}
    columns |= {"reference_id": "ref", "cards": "cards"}
    snapshot = CsvPersonSource(write(tmp_path, text, "utf-8"), columns=columns, delimiter="\t").fetch()
    assert snapshot.groups == (
        OrganisationGroup("Ax", "Ax", "1001_Gatan 1"),
        OrganisationGroup("1002_Gatan 1", "", "1002_Gatan 1"),
    )
    assert [person.group_ids for person in snapshot.persons] == [("Ax",), ("1002_Gatan 1",)]


def test_csv_missing_a_required_column_names_it(tmp_path: Path) -> None:
    path = write(tmp_path, "Person-ID;Förnamn;Efternamn;Referens ID\n1;A;B;1001_A 1\n")
    with pytest.raises(SourceError) as error:
        CsvPersonSource(path).fetch()
    assert error.value.kind == "invalid"
    assert "'Kortnummer'" in error.value.message


@pytest.mark.parametrize(
    ("row", "words"),
    [
        ("17;Åsa;Annan;g1;Öberg;1102_Mingata 23;348;;1111;", "line 7: person '17' has another name than on line 2"),
        ("20;X;Y;g1;Öberg;1103_Mingata 23;348;;1;", "line 7: organisation group 'g1' differs from the one on line 2"),
        (";X;Y;g1;Öberg;1102_Mingata 23;348;;1;", "line 7: empty person id"),
        ("20;X;Y", "line 7: 3 fields where the header has 10"),
    ],
)
def test_csv_row_errors_name_the_line(tmp_path: Path, row: str, words: str) -> None:
    text = DEFAULT_CSV + row + "\n"  # line 7: the blank line 5 counts too
    with pytest.raises(SourceError) as error:
        CsvPersonSource(write(tmp_path, text)).fetch()
    assert error.value.kind == "invalid"
    assert words in error.value.message


def test_csv_file_problems(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as missing:
        CsvPersonSource(tmp_path / "nope.csv").fetch()
    assert missing.value.kind == "unreachable"
    with pytest.raises(SourceError) as empty:
        CsvPersonSource(write(tmp_path, "")).fetch()
    assert empty.value.kind == "invalid"
    latin1 = write(tmp_path, DEFAULT_CSV, "latin-1")
    with pytest.raises(SourceError) as encoding:
        CsvPersonSource(latin1).fetch()
    assert encoding.value.kind == "invalid"
    assert len(CsvPersonSource(latin1, encoding="latin-1").fetch().persons) == 3


def test_csv_unknown_field_in_the_mapping() -> None:
    with pytest.raises(ValueError, match="unknown fields in columns: colour"):
        CsvPersonSource("x.csv", columns={"colour": "Färg"})
