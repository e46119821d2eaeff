"""Command bodies of the analyses of issue 13, registered by :mod:`accord.cli`.

Each module holds one command; analysis modules are imported inside the command
function, so that ``accord --help`` stays fast.
"""
