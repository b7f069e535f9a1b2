"""Login throttling: a growing wait after repeated failures, per login name and per client address.

An attempt is counted when it starts, so a hundred guesses sent at once
are counted as a hundred, not as one; a successful login takes its own
count back (and clears the name). Past the free failures each further
failure doubles the wait, up to :data:`MAX_DELAY_S`; while a key waits,
attempts with it are answered 429 at once, without checking a password.

The counts live in the chat database (:mod:`ui.shared_db`), so guesses
spread over several chat servers count together, and a restart does not
reset them. Each attempt reads and updates its keys' rows in one
transaction that holds them locked (PostgreSQL's ``FOR UPDATE``, SQLite's
single writer), so concurrent attempts on any server are counted one by one.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Callable, Sequence

from sqlalchemy import delete, select, update
from sqlalchemy.engine import Connection

from ui.schema import FAILURES
from ui.shared_db import SharedDb, insert_ignore

# Tuning, chosen for people rather than measured: someone who mistypes a few times never
# waits; a guesser gets about 15 tries in the first hour instead of thousands.
FREE_FAILURES_PER_NAME = 5
# Higher per address: an office behind one NAT address shares it.
FREE_FAILURES_PER_ADDRESS = 20
FIRST_DELAY_S = 2.0
MAX_DELAY_S = 900.0
FORGET_AFTER_S = 3600.0  # a key with no failure for an hour starts again from zero

MSG_THROTTLED = "Te veel mislukte inlogpogingen. Probeer het over {seconds} seconden opnieuw."


@dataclass(frozen=True)
class Attempt:
    """An attempt that may go ahead; hand it back with :meth:`LoginThrottle.succeeded` if it works."""

    keys: tuple[tuple[str, int], ...]


class LoginThrottle:
    """Counts login failures per key (``name:…``, ``addr:…``), each with its own number of free failures.

    Wall-clock time, not a monotonic clock: the servers that share the counts share no other clock.
    """

    def __init__(self, db: SharedDb, clock: Callable[[], float] = time.time) -> None:
        self._db = db
        self._clock = clock

    def begin(self, keys: Sequence[tuple[str, int]]) -> Attempt | float:
        """Start an attempt for (key, free failures) pairs: an :class:`Attempt`, or the seconds to wait."""
        return self._db.call(self._beginning(keys))

    async def begin_async(self, keys: Sequence[tuple[str, int]]) -> Attempt | float:
        """:meth:`begin` from the server's event loop."""
        return await self._db.acall(self._beginning(keys))

    def succeeded(self, attempt: Attempt, clear: Sequence[str] = ()) -> None:
        """The attempt logged in: take its count back, and clear the keys in ``clear`` (the name)."""
        self._db.call(self._success(attempt, clear))

    async def succeeded_async(self, attempt: Attempt, clear: Sequence[str] = ()) -> None:
        """:meth:`succeeded` from the server's event loop."""
        await self._db.acall(self._success(attempt, clear))

    def _beginning(self, keys: Sequence[tuple[str, int]]) -> Callable[[Connection], Attempt | float]:
        now, keys = self._clock(), tuple(keys)
        names = sorted({key for key, _ in keys})  # one order everywhere: two attempts never wait on each other

        def run(conn: Connection) -> Attempt | float:
            for key in names:  # a write first: SQLite then holds its write lock for the whole transaction
                insert_ignore(conn, FAILURES, key=key, failures=0, last=now, locked_until=0.0)
            rows = {r.key: r for r in conn.execute(
                select(FAILURES).where(FAILURES.c.key.in_(names)).order_by(FAILURES.c.key).with_for_update())}
            wait = max(rows[key].locked_until - now for key in names)
            if wait > 0:
                return wait
            for key, free in keys:
                row = rows[key]
                failures = 1 if now - row.last > FORGET_AFTER_S else row.failures + 1
                locked = now + min(MAX_DELAY_S, FIRST_DELAY_S * 2 ** (failures - free - 1)) if failures > free else 0.0
                conn.execute(update(FAILURES).where(FAILURES.c.key == key).values(
                    failures=failures, last=now, locked_until=locked))
            # Bounded under a spray of made-up names: forget keys that are neither recent nor waiting.
            conn.execute(delete(FAILURES).where(FAILURES.c.last < now - FORGET_AFTER_S, FAILURES.c.locked_until < now))
            return Attempt(keys)

        return run

    @staticmethod
    def _success(attempt: Attempt, clear: Sequence[str]) -> Callable[[Connection], None]:
        def run(conn: Connection) -> None:
            for key, _ in attempt.keys:
                if key in clear:
                    conn.execute(delete(FAILURES).where(FAILURES.c.key == key))
                else:
                    conn.execute(update(FAILURES).where(FAILURES.c.key == key, FAILURES.c.failures > 0).values(
                        failures=FAILURES.c.failures - 1))

        return run


def throttled_message(wait_s: float) -> str:
    """The Dutch message for a refused attempt, with whole seconds."""
    return MSG_THROTTLED.format(seconds=max(1, math.ceil(wait_s)))
