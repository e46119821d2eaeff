"""PDFs of draft versions without letting one reader hold the server.

Rendering is linear in the text but not free (about 0.7 s for 27 articles of 1,600
characters, seconds for a version whose every article is at the 20,000-character limit):
a delegate who tables a long counter-draft and asks for its PDF over and over must not
keep the server's threads busy. So at most one PDF is rendered at a time, a request that
cannot start within a few seconds is told to retry, and finished PDFs are kept (a version
never changes once written), so asking again costs a lookup.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from accord.drafts_pdf import PrintedVersion, version_pdf

CACHE_BYTES = 64 * 2**20
RENDER_WAIT_SECONDS = 5.0

_rendering = threading.BoundedSemaphore(1)
_lock = threading.Lock()
_rendered: OrderedDict[PrintedVersion, bytes] = OrderedDict()
_cached_bytes = 0


def _cached(printed: PrintedVersion) -> bytes | None:
    with _lock:
        pdf = _rendered.get(printed)
        if pdf is not None:
            _rendered.move_to_end(printed)
        return pdf


def _keep(printed: PrintedVersion, pdf: bytes) -> None:
    global _cached_bytes
    with _lock:
        if printed in _rendered or len(pdf) > CACHE_BYTES:
            return
        _rendered[printed] = pdf
        _cached_bytes += len(pdf)
        while _cached_bytes > CACHE_BYTES:
            _, dropped = _rendered.popitem(last=False)
            _cached_bytes -= len(dropped)


def pdf_of(printed: PrintedVersion, wait: float = RENDER_WAIT_SECONDS) -> bytes | None:
    """The version's PDF, or None when another PDF is still being rendered after ``wait``
    seconds (the caller answers "busy, retry")."""
    pdf = _cached(printed)
    if pdf is not None:
        return pdf
    if not _rendering.acquire(timeout=wait):
        return None
    try:
        pdf = _cached(printed)  # rendered by the request this one waited behind
        if pdf is None:
            pdf = version_pdf(printed)
            _keep(printed, pdf)
        return pdf
    finally:
        _rendering.release()


def forget() -> None:
    """Drop every kept PDF (tests)."""
    global _cached_bytes
    with _lock:
        _rendered.clear()
        _cached_bytes = 0
