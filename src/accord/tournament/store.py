"""A tournament's results folder: Parquet part files written as jobs finish, and a manifest.

```
OUT/
  tournament.json        what the rows depend on: their format, the protocol, master seed,
                         deadline and mediator
  parts/part-00001.parquet, part-00002.parquet, ...   one per flushed batch of results
```

A part is written under a temporary name and renamed into place, so an interrupted run
leaves only whole parts; the jobs in them are not run again when the run resumes. A
results folder written under another protocol, master seed, deadline or mediator is
refused: its rows would not be comparable. Adding scenarios or strategies is fine: the
jobs already finished keep their seeds (see :mod:`accord.tournament.jobs`).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from accord.errors import AccordError
from accord.tournament.config import TournamentConfig
from accord.tournament.play import Row

SCHEMA = pa.schema(
    [
        ("job_id", pa.string()),
        ("scenario", pa.string()),
        ("protocol", pa.string()),
        ("repetition", pa.int32()),
        ("seed", pa.int64()),
        ("assignment", pa.string()),
        ("agreement", pa.bool_()),
        ("rounds", pa.int32()),
        ("reason", pa.string()),
        ("social_welfare", pa.float64()),
        ("distance_to_frontier", pa.float64()),
        ("distance_to_nash", pa.float64()),
        ("minimum_gain", pa.float64()),
        ("gini_of_gains", pa.float64()),
        ("seat", pa.int32()),
        ("party", pa.string()),
        ("role", pa.string()),  # negotiator, or mediator (the protocol's mediator seat)
        ("strategy", pa.string()),
        ("utility", pa.float64()),
        ("gain", pa.float64()),
        ("relative_gain", pa.float64()),
        ("best_utility", pa.float64()),  # the party's best package: the summary's scale
    ]
)
MANIFEST = "tournament.json"
FORMAT = 2  # of the rows (SCHEMA): a folder written in another format is not mixed in
PARTS = "parts"


def manifest_of(config: TournamentConfig) -> dict[str, Any]:
    """The settings a result row depends on besides its job's identity."""
    return {
        "format": FORMAT,
        "protocol": config.protocol,
        "seed": config.seed,
        "deadline": config.deadline,
        "mediator": config.mediator,
    }


class ResultStore:
    """Appends finished jobs' rows as Parquet parts; knows which jobs are already done."""

    def __init__(self, folder: Path, config: TournamentConfig) -> None:
        self.folder = folder
        self.parts = folder / PARTS
        expected = manifest_of(config)
        manifest = folder / MANIFEST
        if manifest.exists():
            found = json.loads(manifest.read_text(encoding="utf-8"))
            different = sorted(key for key in expected if found.get(key) != expected[key])
            if different:
                shown = ", ".join(
                    f"{key} {found.get(key)!r} ≠ {expected[key]!r}" for key in different
                )
                raise AccordError(
                    f"{folder}: these results were written with other settings ({shown}); "
                    "choose another --out folder, or delete this one to start afresh"
                )
        else:
            self.parts.mkdir(parents=True, exist_ok=True)
            manifest.write_text(json.dumps(expected, indent=2) + "\n", encoding="utf-8")
        self.parts.mkdir(parents=True, exist_ok=True)
        self._next_part = 1 + max(
            (_part_number(p) for p in self.parts.glob("part-*.parquet")), default=0
        )

    def finished_job_ids(self) -> set[str]:
        table = read_results(self.folder, columns=["job_id"])
        return set(table.column("job_id").to_pylist())

    def append(self, rows: list[Row]) -> None:
        """Write ``rows`` as one new part file (nothing when there are none)."""
        if not rows:
            return
        table = pa.Table.from_pylist(rows, schema=SCHEMA)
        final = self.parts / f"part-{self._next_part:05d}.parquet"
        temporary = final.with_suffix(".parquet.tmp")
        pq.write_table(table, temporary)
        os.replace(temporary, final)
        self._next_part += 1


def read_results(folder: Path, columns: list[str] | None = None) -> pa.Table:
    """Every row in the results folder (an empty table when there is none yet)."""
    parts = sorted((folder / PARTS).glob("part-*.parquet"))
    schema = SCHEMA if columns is None else pa.schema([SCHEMA.field(c) for c in columns])
    if not parts:
        return schema.empty_table()
    return pa.concat_tables(pq.read_table(part, columns=columns, schema=schema) for part in parts)


def _part_number(path: Path) -> int:
    return int(path.stem.removeprefix("part-"))
