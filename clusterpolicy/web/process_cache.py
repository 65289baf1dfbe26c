"""Process-wide memory for values every rerun would otherwise rebuild identically.

Streamlit's ``st.cache_data`` pickles a value on write and unpickles a fresh copy on every read,
which is what makes it safe to mutate, and what made it the largest cost of a warm rerun here
(query results, scenario results and figures read several times a run). A ``Keeper`` hands out the
stored object itself instead, so its users must not mutate it: query results are handed out as
shallow copies (pandas' copy-on-write then isolates any change), figures and scenario results are
only read. Keys must hold everything a value depends on, including the served data version.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

_ALL: list[Keeper] = []


class Keeper:
    """A thread-safe least-recently-used map from keys to built values."""

    def __init__(self, name: str, max_entries: int):
        self.name = name
        self.max_entries = max_entries
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0
        _ALL.append(self)

    def get(self, key: Hashable, make: Callable[[], Any]) -> Any:
        """The value kept for ``key``, built by ``make()`` on a miss (outside the lock)."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                self.hits += 1
                return self._items[key]
        value = make()
        with self._lock:
            self.misses += 1
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.max_entries:
                self._items.popitem(last=False)
        return value

    def __contains__(self, key: Hashable) -> bool:
        """Whether a value is kept for ``key`` (without counting a hit or refreshing its place)."""
        with self._lock:
            return key in self._items

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


def clear_all() -> None:
    """Forget every kept value (tests and the benchmark's cold runs)."""
    for keeper in _ALL:
        keeper.clear()
