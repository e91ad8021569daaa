"""The cyclic garbage collector paused while a wide import builds its hundreds of thousands of objects.

A province's preview and apply allocate 300,000-odd long-lived rows, dicts and decimals, none in a
reference cycle; CPython 3.11's collector, triggered every 700 allocations, walked the growing
heap again and again: a third of the apply's CPU and a tenth of the preview's (same-run A/B on
the province bench). Reference counting still frees everything as before; what cycles the work
leaves are collected once it ends. Threads of one process share the collector, so pauses nest
(counted under a lock) and the last one out restores it. reports.pdf pauses it through this one
counter for renders too: two counters would each restore the collector the other had paused.
"""

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_pauses = 0
_was_enabled = True


@contextmanager
def collector_paused() -> Iterator[None]:
    global _pauses, _was_enabled
    with _lock:
        if _pauses == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _lock:
            _pauses -= 1
            if _pauses == 0 and _was_enabled:
                gc.enable()
        gc.collect(0)
