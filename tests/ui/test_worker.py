"""Blocking work beside the event loop: streams, errors, early stops, progress."""

from __future__ import annotations

import asyncio
import threading
from typing import Iterator

import pytest

from ui.worker import iterate_in_thread, run_with_progress
from tests.browser import run_async


def test_the_loop_keeps_running_while_a_stream_blocks() -> None:
    """The stream waits for an event that only the loop sets: this deadlocks if the loop is blocked."""
    released = threading.Event()

    def stream() -> Iterator[str]:
        yield "a"
        assert released.wait(timeout=10), "the event loop was blocked"
        yield "b"

    async def main() -> list[str]:
        items = []
        async for item in iterate_in_thread(stream):
            items.append(item)
            asyncio.get_running_loop().call_later(0.05, released.set)
        return items

    assert run_async(main()) == ["a", "b"]


def test_errors_of_the_stream_reach_the_consumer() -> None:
    def stream() -> Iterator[int]:
        yield 1
        raise ValueError("kapot")

    async def main() -> list[int]:
        return [i async for i in iterate_in_thread(stream)]

    with pytest.raises(ValueError, match="kapot"):
        run_async(main())


def test_stopping_early_ends_the_producer() -> None:
    closed = threading.Event()

    def stream() -> Iterator[int]:
        try:
            i = 0
            while True:
                i += 1
                yield i
        finally:
            closed.set()

    async def main() -> int:
        async for i in iterate_in_thread(stream):
            if i == 3:
                break
        return i

    assert run_async(main()) == 3
    assert closed.wait(timeout=10)


def test_progress_is_shown_and_the_result_returned() -> None:
    shown: list[str] = []

    def work(report) -> str:  # noqa: ANN001
        for step in ("controleren", "inlezen", "klaar"):
            report(step)
            done.wait(0.02)
        return "resultaat"

    done = threading.Event()

    async def show(text: str) -> None:
        shown.append(text)

    assert run_async(run_with_progress(work, show)) == "resultaat"
    assert shown and shown[-1] in ("inlezen", "klaar") and set(shown) <= {"controleren", "inlezen", "klaar"}
