"""The cyclic collector is paused for bulk row work and always restored, even when the work fails."""
import gc

import pytest

from pipelines.bulk import cyclic_gc_paused


def test_paused_inside_restored_after_even_on_error_and_nested():
    assert gc.isenabled()
    with pytest.raises(RuntimeError):
        with cyclic_gc_paused():
            assert not gc.isenabled()
            with cyclic_gc_paused():
                assert not gc.isenabled()
            assert not gc.isenabled(), "an inner pause does not switch the collector back on early"
            raise RuntimeError("parser failed")
    assert gc.isenabled()


def test_a_collector_switched_off_by_the_caller_stays_off():
    gc.disable()
    try:
        with cyclic_gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_two_threads_overlapping_leave_it_off_until_the_last_one_ends():
    import threading

    entered, release = threading.Event(), threading.Event()

    def other():
        with cyclic_gc_paused():
            entered.set()
            release.wait(10)

    thread = threading.Thread(target=other)
    with cyclic_gc_paused():
        thread.start()
        assert entered.wait(10)
    assert not gc.isenabled(), "the other thread's pause is still running"
    release.set()
    thread.join()
    assert gc.isenabled()
