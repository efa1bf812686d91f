"""Watching a solve from another thread: the best plan so far, and a request to stop that keeps it.

The web page's progress line and its Stop button use this; a notebook can too::

    progress = kp.Progress()
    threading.Timer(5, progress.stop).start()
    result = kp.plan(setting, progress=progress)  # stopped after 5 s: result.interrupted, plan kept

Stopping ends the search as a time limit would: the best plan found so far
is returned, marked not yet proven best (``Result.interrupted``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class Progress:
    """Shared between a solve and whoever watches it; every method is safe from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._stoppers: list[Callable[[], None]] = []
        self.started = time.monotonic()
        self.best: int | None = None  # points of the best plan found so far
        self.plans_found = 0

    @property
    def seconds(self) -> float:
        """Seconds since this progress was made."""
        return time.monotonic() - self.started

    @property
    def stopped(self) -> bool:
        return self._stopped.is_set()

    def found(self, points: int) -> None:
        """The search found a better plan, worth ``points``."""
        with self._lock:
            self.best = points
            self.plans_found += 1

    def stop(self) -> None:
        """Ask the search to stop now and keep the best plan found so far."""
        self._stopped.set()
        with self._lock:
            stoppers = list(self._stoppers)
        for stop in stoppers:
            stop()

    def on_stop(self, stop: Callable[[], None]) -> Callable[[], None]:
        """Call ``stop`` when :meth:`stop` is asked (at once if it already was); returns the undo."""
        with self._lock:
            self._stoppers.append(stop)
        if self.stopped:
            stop()

        def forget() -> None:
            with self._lock:
                if stop in self._stoppers:
                    self._stoppers.remove(stop)
        return forget
