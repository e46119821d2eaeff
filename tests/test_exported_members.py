import accord


def test_all_is_sorted_and_complete() -> None:
    assert accord.__all__ == sorted(accord.__all__)
    public = {name for name in dir(accord) if not name.startswith("_")}
    modules = {"analysis", "cli", "errors", "formats", "negotiation", "scenario"}
    assert public - modules == set(accord.__all__)
