"""The served app freezes its start-up heap and gives it back when it stops."""

from __future__ import annotations

import gc
from pathlib import Path

from fastapi.testclient import TestClient

from accord.web.app import create_app


def test_the_lifespan_freezes_the_heap_then_unfreezes_it(tmp_path: Path) -> None:
    gc.unfreeze()
    app = create_app(f"sqlite:///{tmp_path / 'ledger.db'}")
    assert gc.get_freeze_count() == 0
    with TestClient(app) as client:
        # Everything alive at start-up is out of the collector's reach, the app included.
        assert gc.get_freeze_count() > 10_000
        assert client.get("/api/health").status_code == 200
    assert gc.get_freeze_count() == 0
    app.state.database.dispose()
