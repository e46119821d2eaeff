"""The parties page shows the history of the table 100 events at a time, newest first."""

from __future__ import annotations

from fastapi.testclient import TestClient

from test_web_pages_meetings import ROLE_CHANGES, observer, pages

__all__ = ["observer"]  # the fixture (a ledger with 210 role changes), shared


def test_the_history_of_the_table_pages_newest_first(observer: TestClient) -> None:
    found = pages(observer, "/negotiations/1/parties", r"change (\d{3})")
    changes = [int(change) for page in found for change in page]
    assert changes == list(range(ROLE_CHANGES - 1, -1, -1))
    assert len(found[0]) == 100  # the page starts with the newest 100 events


def test_a_page_number_out_of_range_is_refused(observer: TestClient) -> None:
    for before in ("0", "x"):
        assert observer.get(f"/negotiations/1/parties?before={before}").status_code == 422
