"""The object tree as a tenant sees it: available objects, node paths, and the children along a path (E1, E4, E5).

A tenant reaches the tree through their available objects (TillgängligaObjekt): the objects of their contracts
active today, plus the laundry rooms under the same property. From such an object a node path
(``n245612-n512431-n188452``) walks down, each step a child of the one before (portal.md E4). Paths are parsed
strictly: only ``n…`` steps (node-class steps ``nk…`` are refused, portal.md A-28: creating general cases through a
node-class path is not documented), at most ``MAX_PATH_STEPS`` steps, no id twice. Every function here loads what it
needs in a constant number of queries, however long the path or large the tree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date
from itertools import pairwise

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, aliased

from bodata.core.inputs import ID_MAX
from bodata.portal import service
from bodata.portal.models import Contract, Node
from bodata.portal.shapes import NODE_CLASS_PREFIX, Json, address, node_ref

LAUNDRY_ROOM = "Tvattstuga"
"""The ``Node.object_type`` of laundry rooms, which every tenant of the property may use."""

MAX_PATH_STEPS = 20
_NODE_STEP = re.compile(r"[nN]([0-9]{1,10})")


def available_nodes(session: Session, *, customer_id: int, today: date) -> list[Node]:
    """The customer's available objects: the nodes of contracts active ``today``, then the laundry rooms of their
    properties (three queries)."""
    contract_node_ids = set(
        session.scalars(
            select(Contract.node_id).where(
                Contract.customer_id == customer_id,
                Contract.fom <= today,
                or_(Contract.tom.is_(None), Contract.tom >= today),
            )
        )
    )
    if not contract_node_ids:
        return []
    laundry_ids = select(Node.id).where(Node.object_type == LAUNDRY_ROOM)
    roots = _roots(session, or_(Node.id.in_(contract_node_ids), Node.id.in_(laundry_ids)))
    contract_roots = {roots[node_id] for node_id in contract_node_ids if node_id in roots}
    laundry_node_ids = {
        node_id for node_id, root in roots.items() if root in contract_roots and node_id not in contract_node_ids
    }
    nodes = {
        node.id: node for node in session.scalars(select(Node).where(Node.id.in_(contract_node_ids | laundry_node_ids)))
    }
    by_order = sorted(nodes.values(), key=lambda node: (node.ordning, node.id))
    return [node for node in by_order if node.id in contract_node_ids] + [
        node for node in by_order if node.id in laundry_node_ids
    ]


def _roots(session: Session, start: object) -> dict[int, int]:
    """For every node matching ``start``, the id of its root ancestor (one recursive query)."""
    parent = aliased(Node)
    walk = select(Node.id.label("start_id"), Node.id.label("node_id"), Node.parent_id).where(start).cte(recursive=True)
    walk = walk.union(
        select(walk.c.start_id, parent.id, parent.parent_id)
        .select_from(walk)
        .join(parent, parent.id == walk.c.parent_id)
    )
    rows = session.execute(select(walk.c.start_id, walk.c.node_id).where(walk.c.parent_id.is_(None)))
    return dict(rows.all())


def parse_path(text: str) -> list[int]:
    """The node ids of a path ``n245612-n512431``; 400 for anything else (see the module docstring)."""
    if not text:
        raise service.invalid("Nodstigen är tom.")
    segments = text.split("-")
    if len(segments) > MAX_PATH_STEPS:
        raise service.invalid(f"Nodstigen har fler än {MAX_PATH_STEPS} steg.")
    ids: list[int] = []
    for segment in segments:
        if segment.lower().startswith(NODE_CLASS_PREFIX):
            raise service.invalid(
                f"Nodstigen {text!r}: nodklass-steg ({segment!r}) stöds inte; ange noder (n…) hela vägen."
            )
        match = _NODE_STEP.fullmatch(segment)
        if match is None or int(match.group(1)) > ID_MAX:
            raise service.invalid(f"Nodstigen {text!r}: {segment!r} är inget nod-id (n följt av siffror).")
        node_id = int(match.group(1))
        if node_id in ids:
            raise service.invalid(f"Nodstigen {text!r}: noden {segment} förekommer två gånger.")
        ids.append(node_id)
    return ids


def resolve_paths(session: Session, paths: Sequence[Sequence[int]]) -> list[list[Node] | None]:
    """The nodes along each path (one query for all of them); None for a path whose nodes do not exist or where a
    step is not a child of the one before."""
    wanted = {node_id for path in paths for node_id in path}
    nodes = {node.id: node for node in session.scalars(select(Node).where(Node.id.in_(wanted)))} if wanted else {}
    resolved: list[list[Node] | None] = []
    for path in paths:
        chain = [nodes.get(node_id) for node_id in path]
        linked = all(chain) and all(child.parent_id == parent.id for parent, child in pairwise(chain))
        resolved.append([node for node in chain if node is not None] if linked else None)
    return resolved


def available_path(session: Session, *, customer_id: int, path_ids: Sequence[int], today: date) -> list[Node]:
    """The nodes of a path that starts at one of the customer's available objects and walks down the tree; 404
    otherwise (the same answer whether the nodes do not exist or belong to someone else)."""
    available = {node.id for node in available_nodes(session, customer_id=customer_id, today=today)}
    chain = resolve_paths(session, [path_ids])[0] if path_ids and path_ids[0] in available else None
    if chain is None:
        raise service.not_found("Nodstigen finns inte bland dina objekt.")
    return chain


def children_lists(session: Session, *, customer_id: int, path_ids: Sequence[int], today: date) -> list[list[Node]]:
    """For ``id1-…-idk``, the k lists of children (list i the children of ``id_i``, ordered); 404 for a path outside
    the customer's objects."""
    available_path(session, customer_id=customer_id, path_ids=path_ids, today=today)
    return list(children_of(session, path_ids).values())


def children_of(session: Session, node_ids: Iterable[int]) -> dict[int, list[Node]]:
    """The children of each node, in display order (``ordning``, then id), keyed like ``node_ids`` (one query)."""
    children: dict[int, list[Node]] = {node_id: [] for node_id in node_ids}
    if children:
        for node in session.scalars(select(Node).where(Node.parent_id.in_(children))):
            children[node.parent_id].append(node)
    for nodes in children.values():
        nodes.sort(key=lambda node: (node.ordning, node.id))
    return children


def with_ancestors(session: Session, node_ids: Iterable[int]) -> dict[int, Node]:
    """These nodes and all their ancestors, by id (one recursive query)."""
    wanted = set(node_ids)
    if not wanted:
        return {}
    parent = aliased(Node)
    walk = select(Node.id, Node.parent_id).where(Node.id.in_(wanted)).cte(recursive=True)
    walk = walk.union(select(parent.id, parent.parent_id).select_from(walk).join(parent, parent.id == walk.c.parent_id))
    return {node.id: node for node in session.scalars(select(Node).where(Node.id.in_(select(walk.c.id))))}


def path_to_root(nodes: dict[int, Node], node_id: int) -> list[Node]:
    """The nodes from the root down to ``node_id``, from nodes loaded by ``with_ancestors``."""
    path: list[Node] = []
    current = nodes.get(node_id)
    while current is not None and len(path) <= len(nodes):
        path.append(current)
        current = nodes.get(current.parent_id) if current.parent_id is not None else None
    return path[::-1]


def inherited_address(nodes: dict[int, Node], node_id: int) -> Json | None:
    """The ``Adress`` of a node: its own, or that of its nearest ancestor that has one."""
    for node in reversed(path_to_root(nodes, node_id)):
        if node.gatuadress1 is not None:
            return address(node)
    return None


def path_text(node_ids: Iterable[int]) -> str:
    """A node path as text: ``n245612-n512431``."""
    return "-".join(node_ref(node_id) for node_id in node_ids)


def stored_path_ids(text: str) -> list[int]:
    """The node ids of a path stored on a case row (written by bodata; steps that are not nodes are skipped)."""
    return [int(match.group(1)) for segment in text.split("-") if (match := _NODE_STEP.fullmatch(segment))]
