"""Explicit registries: how a lower app lets higher apps plug in, without signals."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

T = TypeVar("T")


class Registry(Generic[T]):
    """A named collection of plug-ins (functions or classes), filled at app start-up."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._items: dict[str, T] = {}

    def register(self, key: str) -> Callable[[T], T]:
        def decorator(item: T) -> T:
            self.add(key, item)
            return item

        return decorator

    def add(self, key: str, item: T) -> None:
        if key in self._items and self._items[key] is not item:
            raise ValueError(f"{self.name}: {key!r} is already registered")
        self._items[key] = item

    def get(self, key: str) -> T:
        return self._items[key]

    def __iter__(self) -> Iterator[tuple[str, T]]:
        return iter(sorted(self._items.items()))

    def __len__(self) -> int:
        return len(self._items)
