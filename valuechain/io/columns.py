"""Which column holds which field: header synonyms, matched ignoring case, spaces, ``_`` and ``-``."""

from __future__ import annotations

from valuechain.io.read import RawTable, sheet_key
from valuechain.problems import Problem

#: Accepted headers per field; the first is canonical (DESIGN.md, "Input").
HANDOFF_FIELDS: dict[str, tuple[str, ...]] = {
    "source": ("source", "from", "supplier", "provider", "sender", "giver"),
    "target": ("target", "to", "receiver", "consumer", "recipient"),
    "deliverable": ("deliverable", "output", "work product", "item"),
    "essential": ("essential", "critical", "required"),
}
PARTY_FIELDS: dict[str, tuple[str, ...]] = {
    "id": ("id", "party", "party id", "team id"),
    "name": ("name", "label", "display name"),
    "kind": ("kind", "type", "party type"),
    "group": ("group", "department", "division", "unit"),
    "primary": ("primary",),
    "headcount": ("headcount",),
    "cost": ("cost",),
}
REQUIRED = {"handoffs": ("source", "target"), "parties": ("id",)}


def match_columns(
    raw: RawTable, fields: dict[str, tuple[str, ...]], required: tuple[str, ...]
) -> tuple[dict[str, str], list[Problem]]:
    """Map each field to the header that holds it.

    A canonical header wins over a synonym (the synonym column is then kept as
    an ordinary attribute); two synonyms for one field is an error naming both.

    Returns
    -------
    mapping : dict
        Field name to the header as written in the file.
    problems : list of Problem
        Missing required columns and ambiguous synonyms.

    Examples
    --------
    >>> import pandas as pd
    >>> from valuechain.io.read import read_table
    >>> raw = read_table(pd.DataFrame({"From": ["a"], "To": ["b"], "Work Product": ["x"]}), "handoffs")
    >>> match_columns(raw, HANDOFF_FIELDS, ("source", "target"))[0]
    {'source': 'From', 'target': 'To', 'deliverable': 'Work Product'}
    """
    keys = {header: sheet_key(header) for header in raw.frame.columns}
    mapping: dict[str, str] = {}
    problems: list[Problem] = []

    def ambiguous(name: str, headers: list[str], hint: str) -> None:
        listed = " and ".join(f"'{h}'" for h in headers)
        message = f"columns {listed} both look like the '{name}' column"
        problems.append(Problem.error(raw.label, message, hint, row=1, column=headers[1]))

    for name, synonyms in fields.items():
        canonical = [h for h, k in keys.items() if k == sheet_key(synonyms[0])]
        if len(canonical) > 1:
            ambiguous(name, canonical, "rename or remove one of them")
        if canonical:
            mapping[name] = canonical[0]
            continue
        found = [h for h, k in keys.items() if k in {sheet_key(s) for s in synonyms[1:]}]
        if len(found) == 1:
            mapping[name] = found[0]
        elif len(found) > 1:
            ambiguous(name, found, f"rename one of them, or name the one you mean '{name}'")
    for name in required:
        if name not in mapping and not any(p.message.endswith(f"'{name}' column") for p in problems):
            accepted = ", ".join(fields[name])
            have = ", ".join(f"'{h}'" for h in raw.frame.columns)
            message = f"no '{name}' column (the headers are {have})"
            problems.append(
                Problem.error(raw.label, message, f"add a column with one of these headers: {accepted}", row=1)
            )
    return mapping, problems
