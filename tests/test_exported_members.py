import types

import accord


def test_all_is_sorted_and_complete() -> None:
    assert accord.__all__ == sorted(accord.__all__)
    public = {name for name in dir(accord) if not name.startswith("_")}
    # Subpackages become attributes once anything imports them (the CLI, the web app...).
    modules = {name for name in public if isinstance(getattr(accord, name), types.ModuleType)}
    assert public - modules == set(accord.__all__)
