"""The reader session's executor in Textual: each job in a thread worker, what it sends back
delivered on the UI thread."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from textual import events
from textual.dom import DOMNode
from textual.worker import Worker

from river_tui.reader.executor import Job, Lane


class WorkerTask:
    """A job's view of its thread worker."""

    def __init__(self, node: DOMNode, worker: Worker[None]) -> None:
        self.node = node
        self.worker = worker

    def cancelled(self) -> bool:
        return self.worker.is_cancelled

    def deliver(self, callback: Callable[[Any], None], value: object) -> None:
        # A callback event, as Textual's own call_later posts: thread-safe, and handled in
        # the node's turn, like any message. Checked again there: a newer job may have
        # replaced this one meanwhile.
        def if_current() -> None:
            if not self.worker.is_cancelled:
                callback(value)

        self.node.post_message(events.Callback(callback=if_current))


class WorkerExecutor:
    """Runs the session's jobs as thread workers of ``node`` (the reader screen: they end with
    it), one group per lane; an exclusive lane's new worker cancels the one before.

    Each job runs on a thread of its own started at once, and its worker waits for that
    thread: a Textual worker's thread starts only once the event loop has come round to it,
    after the frame of the key that asked for it (for a search's keystroke at 100,000 papers,
    15 ms later: as long as the query takes). The worker stands for the job all the same: it
    is cancelled with its lane's group, and runs until the job is done."""

    def __init__(self, node: DOMNode) -> None:
        self.node = node

    def submit(self, lane: Lane, job: Job, failed: Callable[[Exception], None]) -> None:
        done = threading.Event()
        worker = self.node.run_worker(
            done.wait,
            name=lane.value,
            group=lane.value,
            thread=True,
            exclusive=lane.exclusive,
            exit_on_error=False,
        )

        def run() -> None:
            task = WorkerTask(self.node, worker)
            try:
                job(task)
            except Exception as exc:
                if not task.cancelled():  # else: interrupted, because a newer job took over
                    task.deliver(failed, exc)
            finally:
                done.set()

        threading.Thread(target=run, name=f"river-{lane.value}", daemon=True).start()
