"""A tournament's result set: the rows of a results folder, reloaded for summaries and plots."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from accord.errors import AccordError
from accord.tournament.store import MANIFEST, read_results
from accord.tournament.summary import TournamentSummary, summarise


@dataclass(frozen=True, eq=False)
class ResultSet:
    """Every finished job of a tournament, one row per party per job."""

    table: pa.Table

    @classmethod
    def load(cls, folder: str | Path) -> ResultSet:
        location = Path(folder)
        if not (location / MANIFEST).is_file():
            raise AccordError(f"{location}: not a tournament results folder (no {MANIFEST})")
        return cls(read_results(location))

    @property
    def jobs(self) -> int:
        return len(set(self.table.column("job_id").to_pylist()))

    def summary(self) -> TournamentSummary:
        return summarise(self.table)

    def sorted_rows(self) -> list[dict[str, object]]:
        """Every row, in a fixed order (job, then seat): two runs' results compare equal."""
        return sorted(self.table.to_pylist(), key=lambda row: (row["job_id"], row["seat"]))
