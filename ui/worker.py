"""Blocking work (searching, embedding, writing) run beside the chat's event loop.

The assistant is synchronous; the chat serves every session from one event
loop. Each call here runs in its own thread and hands results back through
the loop, so a long answer in one session never holds up another.
"""

from __future__ import annotations

import asyncio
import threading
from typing import AsyncIterator, Awaitable, Callable, Iterator, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_ITEM, _END, _ERROR = range(3)


def _post(loop: asyncio.AbstractEventLoop, queue: asyncio.Queue, message: tuple[int, object]) -> None:
    try:
        loop.call_soon_threadsafe(queue.put_nowait, message)
    except RuntimeError:  # the loop has closed: the server is stopping, nobody is listening
        pass


async def iterate_in_thread(make: Callable[[], Iterator[T]]) -> AsyncIterator[T]:
    """Iterate a blocking iterator in a thread of its own, yielding its items on the loop.

    If the consumer stops early (the user pressed stop), the thread ends at
    the iterator's next item instead of running to the end.
    """
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[tuple[int, object]] = asyncio.Queue()
    stop = threading.Event()

    def produce() -> None:
        try:
            iterator = make()
            try:
                for item in iterator:
                    if stop.is_set():
                        break
                    _post(loop, queue, (_ITEM, item))
            finally:
                close = getattr(iterator, "close", None)
                if close is not None:
                    close()
        except BaseException as exc:  # handed to the consumer, who raises it there
            _post(loop, queue, (_ERROR, exc))
        else:
            _post(loop, queue, (_END, None))

    # A thread per stream, not the shared executor: ten long answers must not starve other work.
    threading.Thread(target=produce, name="assistant-stream", daemon=True).start()
    try:
        while True:
            kind, value = await queue.get()
            if kind == _END:
                return
            if kind == _ERROR:
                raise value  # type: ignore[misc]
            yield value  # type: ignore[misc]
    finally:
        stop.set()


async def run_with_progress(
    work: Callable[[Callable[[str], None]], R], show: Callable[[str], Awaitable[None]]
) -> R:
    """Run ``work(report)`` in a thread; every ``report(text)`` it makes is shown with ``show``.

    Only the latest text is shown when reports come faster than the page is updated.
    """
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[tuple[int, object]] = asyncio.Queue()

    def run() -> None:
        try:
            result = work(lambda text: _post(loop, queue, (_ITEM, text)))
        except BaseException as exc:
            _post(loop, queue, (_ERROR, exc))
        else:
            _post(loop, queue, (_END, result))

    threading.Thread(target=run, name="assistant-work", daemon=True).start()
    while True:
        kind, value = await queue.get()
        while kind == _ITEM and not queue.empty():  # skip progress that is already out of date
            kind, value = queue.get_nowait()
        if kind == _END:
            return value  # type: ignore[return-value]
        if kind == _ERROR:
            raise value  # type: ignore[misc]
        await show(str(value))
