"""Login throttling: a growing wait after repeated failures, per login name and per client address.

An attempt is counted when it starts, so a hundred guesses sent at once
are counted as a hundred, not as one; a successful login takes its own
count back (and clears the name). Past the free failures each further
failure doubles the wait, up to :data:`MAX_DELAY_S`; while a key waits,
attempts with it are answered 429 at once, without checking a password.
The counts live in the server process: after a restart they start again.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass
from typing import Callable, Sequence

# Tuning, chosen for people rather than measured: someone who mistypes a few times never
# waits; a guesser gets about 15 tries in the first hour instead of thousands.
FREE_FAILURES_PER_NAME = 5
# Higher per address: an office behind one NAT address shares it.
FREE_FAILURES_PER_ADDRESS = 20
FIRST_DELAY_S = 2.0
MAX_DELAY_S = 900.0
FORGET_AFTER_S = 3600.0  # a key with no failure for an hour starts again from zero

MSG_THROTTLED = "Te veel mislukte inlogpogingen. Probeer het over {seconds} seconden opnieuw."


@dataclass
class _Count:
    failures: int = 0
    last: float = 0.0
    locked_until: float = 0.0


@dataclass(frozen=True)
class Attempt:
    """An attempt that may go ahead; hand it back with :meth:`LoginThrottle.succeeded` if it works."""

    keys: tuple[tuple[str, int], ...]


class LoginThrottle:
    """Counts login failures per key (``name:…``, ``addr:…``), each with its own number of free failures."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._counts: dict[str, _Count] = {}
        self._lock = threading.Lock()

    def begin(self, keys: Sequence[tuple[str, int]]) -> Attempt | float:
        """Start an attempt for (key, free failures) pairs: an :class:`Attempt`, or the seconds to wait."""
        now = self._clock()
        with self._lock:
            wait = max((c.locked_until - now for k, _ in keys if (c := self._counts.get(k))), default=0.0)
            if wait > 0:
                return wait
            for key, free in keys:
                count = self._counts.get(key)
                if count is None or now - count.last > FORGET_AFTER_S:
                    count = self._counts[key] = _Count()
                count.failures += 1
                count.last = now
                if count.failures > free:
                    count.locked_until = now + min(MAX_DELAY_S, FIRST_DELAY_S * 2 ** (count.failures - free - 1))
            self._forget_old(now)
        return Attempt(tuple(keys))

    def succeeded(self, attempt: Attempt, clear: Sequence[str] = ()) -> None:
        """The attempt logged in: take its count back, and clear the keys in ``clear`` (the name)."""
        with self._lock:
            for key, _ in attempt.keys:
                count = self._counts.get(key)
                if count is None:
                    continue
                if key in clear:
                    del self._counts[key]
                else:
                    count.failures = max(0, count.failures - 1)

    def _forget_old(self, now: float) -> None:
        if len(self._counts) > 10_000:  # bounded memory under a spray of made-up names
            for key in [k for k, c in self._counts.items() if now - c.last > FORGET_AFTER_S or c.locked_until < now]:
                del self._counts[key]


def throttled_message(wait_s: float) -> str:
    """The Dutch message for a refused attempt, with whole seconds."""
    return MSG_THROTTLED.format(seconds=max(1, math.ceil(wait_s)))
