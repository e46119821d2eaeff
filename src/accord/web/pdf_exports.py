"""PDFs of draft versions without letting one reader hold the server.

Rendering is linear in the text but not free (about 0.7 s for 27 articles of 1,600
characters, seconds for a version whose every article is at the 20,000-character limit):
a delegate who tables a long counter-draft and asks for its PDF over and over must not
keep the server's threads busy. So at most one PDF is rendered at a time, a request that
cannot start within a few seconds is told to retry, and finished PDFs are kept (a version
never changes once written), so asking again costs a lookup.

A new version's PDF is rendered ahead (:func:`render_ahead`), as soon as the version is
written, so that even the first request for it is a lookup: the first render took half a
second (loading the PDF library and its fonts) while every request for it queued behind.
Rendering ahead happens in a separate process at the lowest CPU priority (a rendering
thread would take the interpreter from the requests), one version at a time, and only
the newest version of each draft waits for its turn: a burst of versions renders a few,
not all, and any other is rendered when first asked for, as before.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections import OrderedDict
from collections.abc import Hashable, Iterable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor

from accord import drafts_pdf
from accord.drafts_pdf import PrintedVersion, version_pdf
from accord.web.lifeline import hold_lifeline

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


_waiting: OrderedDict[Hashable, tuple[PrintedVersion, ...]] = OrderedDict()
_ahead: Executor | None = None  # one thread: feeds the renderer, one version at a time
_renderer: ProcessPoolExecutor | None = None


def render_ahead(slot: Hashable, printed: Iterable[PrintedVersion]) -> None:
    """Render ``printed`` in the background and keep them; ``slot`` names what they are
    the newest of (a draft): a later call for the same slot replaces them if they have not
    started yet. Returns at once."""
    global _ahead
    with _lock:
        queued = slot in _waiting
        _waiting[slot] = tuple(printed)
        if queued:  # its turn has not come: it will render the newest
            return
        if _ahead is None:
            _ahead = ThreadPoolExecutor(1, thread_name_prefix="accord-pdf-ahead")
        _ahead.submit(_render_slot, slot)


def _render_slot(slot: Hashable) -> None:
    with _lock:
        printed = _waiting.pop(slot, ())
    for version in printed:
        if _cached(version) is not None:
            continue
        try:
            pdf = _render_in_child(version)
        except Exception:  # ahead of time only: the first request for it renders it
            continue
        _keep(version, pdf)


def _render_in_child(version: PrintedVersion) -> bytes:
    global _renderer
    if _renderer is None:
        # "spawn": the server has threads, which a forked child would inherit broken.
        _renderer = ProcessPoolExecutor(
            1,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_renderer,
            initargs=(os.getpid(),),
        )
    try:
        return _renderer.submit(drafts_pdf.version_pdf, version).result()
    except Exception:
        _renderer.shutdown(wait=False, cancel_futures=True)
        _renderer = None  # a new one next time (the child may have died)
        raise


def _start_renderer(server_pid: int) -> None:
    os.nice(19)  # on a busy machine the requests go first
    hold_lifeline(server_pid)  # a renderer left behind by a killed server ends too


def shutdown() -> None:
    """Stop rendering ahead and end the renderer process (the server stops); a later
    request starts them again."""
    global _ahead, _renderer
    with _lock:
        _waiting.clear()
        ahead, _ahead = _ahead, None
    if ahead is not None:
        ahead.shutdown(wait=True, cancel_futures=True)
    renderer, _renderer = _renderer, None
    if renderer is not None:
        # Ended here, its queues' semaphores are released rather than reported leaked.
        renderer.shutdown(wait=True, cancel_futures=True)


def forget() -> None:
    """Drop every kept PDF (tests)."""
    global _cached_bytes
    with _lock:
        _rendered.clear()
        _cached_bytes = 0
