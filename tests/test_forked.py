"""pipelines/forked.py: a function run in a forked child, its bytes or its error coming back."""
import os
import signal
import time

import pytest

from pipelines.forked import ChildFailed, ForkedCall


def test_the_childs_bytes_come_back_whole_and_the_parents_memory_is_its_own():
    rows = [{"n": n} for n in range(200_000)]

    def work() -> bytes:
        rows.clear()  # the child's copy: the parent's list is untouched
        return b"x" * 3_000_000  # more than a pipe holds: read while it is written

    assert ForkedCall(work).result() == b"x" * 3_000_000
    assert len(rows) == 200_000
    assert ForkedCall(lambda: None).result() == b""


def test_an_error_in_the_child_is_raised_in_the_parent_with_its_message():
    def fail():
        raise ValueError("budget_lines.csv: row 7 is not a number")

    with pytest.raises(ChildFailed, match="row 7 is not a number"):
        ForkedCall(fail).result()
    with pytest.raises(ChildFailed, match="returned int, not bytes"):
        ForkedCall(lambda: 5).result()


def test_a_child_that_dies_or_is_stopped_is_reported_and_reaped():
    call = ForkedCall(lambda: os.kill(os.getpid(), signal.SIGKILL))
    with pytest.raises(ChildFailed, match="status -9"):
        call.result()

    slow = ForkedCall(lambda: time.sleep(60))
    slow.stop()
    assert slow.status == -signal.SIGKILL
    with pytest.raises(ChildProcessError):
        os.waitpid(slow.pid, os.WNOHANG)  # reaped: no zombie left
