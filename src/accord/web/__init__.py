"""The web face: FastAPI app (JSON API and dashboard pages) over the ledger.

Optional (the ``web`` extra); the core never imports it. Build an app with
:func:`accord.web.app.create_app`.
"""
