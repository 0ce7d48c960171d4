"""One matcher per worker process, swapped for a fresh one after a refresh.

A worker of ``ipsmatch serve`` opens the matcher once (its columns and indexes are
memory-mapped files, so the page cache shares them between workers) and keeps it. A nightly
refresh changes the store's data stamp (:meth:`ipsmatch.store.Store.data_stamp`, the key
``Matcher.open`` uses for its files). The holder looks at the stamp at most every
``check_every`` seconds, in a background thread so no request waits for it; when the stamp
changed it opens a new matcher in that thread while requests keep using the old one, then
swaps the reference. Requests that started on the old matcher finish on it; the old one is
closed (its database connection released, its maps dropped) when the last of them is done,
so two matchers are held only for the swap.

    holder = MatcherHolder(settings).open()
    with holder.lease() as matcher:
        result = matcher.suggest(profile)

A matcher is used by one request at a time (``lease`` holds a per-worker lock): its caches
are plain dicts, and on two cores a second matching thread would only share the CPU. More
throughput comes from more workers (PostgreSQL), not threads.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

#: default seconds between looks at the data stamp (IPSMATCH_RELOAD_CHECK overrides)
CHECK_EVERY = 30.0


@dataclass
class _Generation:
    matcher: Any
    stamp: str
    users: int = 0
    retired: bool = False


class MatcherHolder:
    """The current matcher of this worker; see the module docstring."""

    def __init__(self, settings: Any, *, check_every: float | None = None) -> None:
        self.settings = settings
        self.check_every = check_every if check_every is not None else _check_every()
        self._gen: _Generation | None = None
        self._lock = threading.Lock()        # guards _gen and the use counts
        self._use = threading.Lock()         # one request on the matcher at a time
        self._checking = threading.Lock()    # one background check/build at a time
        self._checked_at = 0.0
        self._store: Any = None
        #: how many times a fresh matcher replaced the old one (status, tests)
        self.swaps = 0
        self.last_error: str | None = None

    # -- lifecycle -------------------------------------------------------------------------

    def open(self) -> MatcherHolder:
        """Open the first matcher (blocking: the worker is not ready before it)."""
        stamp = self._stamp()
        self._gen = _Generation(_open_matcher(self.settings), stamp)
        self._checked_at = time.monotonic()
        return self

    def close(self) -> None:
        with self._lock:
            gen, self._gen = self._gen, None
        if gen is not None:
            gen.matcher.close()
        if self._store is not None:
            self._store.close()
            self._store = None

    @property
    def stamp(self) -> str | None:
        gen = self._gen
        return gen.stamp if gen else None

    # -- use -------------------------------------------------------------------------------

    @contextmanager
    def lease(self) -> Iterator[Any]:
        """The current matcher, for one request; it is not closed while leased."""
        self.maybe_check()
        with self._use:
            with self._lock:
                gen = self._gen
                if gen is None:
                    from ipsmatch.errors import IndexNotReadyError

                    raise IndexNotReadyError("the matcher is not open", hint="the service is "
                                      "starting or stopping; try again in a moment")
                gen.users += 1
            try:
                yield gen.matcher
            finally:
                with self._lock:
                    gen.users -= 1
                    done = gen.retired and gen.users == 0
                if done:
                    gen.matcher.close()

    def maybe_check(self, *, wait: bool = False) -> None:
        """Look at the data stamp if ``check_every`` seconds passed; swap in the background.

        ``wait`` runs the check (and a build) in the calling thread: for tests and tools."""
        now = time.monotonic()
        if now - self._checked_at < self.check_every and not wait:
            return
        if not self._checking.acquire(blocking=wait):
            return  # a check or build is already running
        self._checked_at = now
        if wait:
            self._check_and_swap()
            return
        threading.Thread(target=self._check_and_swap, name="matcher-reload",
                         daemon=True).start()

    def _check_and_swap(self) -> None:
        try:
            stamp = self._stamp()
            gen = self._gen
            if gen is not None and stamp == gen.stamp:
                return
            log.info("data changed (stamp %s -> %s): opening a fresh matcher",
                     gen.stamp if gen else None, stamp)
            fresh = _Generation(_open_matcher(self.settings), stamp)
            with self._lock:
                old, self._gen = self._gen, fresh
                self.swaps += 1
                if old is not None:
                    old.retired = True
                    idle = old.users == 0
            if old is not None and idle:
                old.matcher.close()
            self.last_error = None
        except Exception as exc:  # keep serving the old matcher; try again next time
            log.exception("could not open a fresh matcher; the old one keeps serving")
            self.last_error = str(exc)
        finally:
            self._checked_at = time.monotonic()
            self._checking.release()

    def _stamp(self) -> str:
        if self._store is None:
            from ipsmatch.store import Store

            self._store = Store.open(self.settings.db)
        stamp: str = self._store.data_stamp()
        return stamp


def _check_every() -> float:
    raw = os.environ.get("IPSMATCH_RELOAD_CHECK")
    try:
        return float(raw) if raw else CHECK_EVERY
    except ValueError:
        from ipsmatch.errors import ConfigError

        raise ConfigError(f"IPSMATCH_RELOAD_CHECK={raw!r} is not a number of seconds",
                          hint="e.g. IPSMATCH_RELOAD_CHECK=30") from None


def _open_matcher(settings: Any) -> Any:
    from ipsmatch.matcher import Matcher

    return Matcher.open(settings.db, settings=settings)
