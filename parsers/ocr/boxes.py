"""Rectangles on a page, in pixels of the page as it is read (after straightening)."""

from __future__ import annotations

from typing import NamedTuple


class Box(NamedTuple):
    """A rectangle: left, top, width, height."""

    x: int
    y: int
    w: int
    h: int

    @property
    def right(self) -> int:
        return self.x + self.w

    @property
    def bottom(self) -> int:
        return self.y + self.h

    @property
    def centre(self) -> tuple[float, float]:
        return self.x + self.w / 2, self.y + self.h / 2

    def holds(self, point: tuple[float, float]) -> bool:
        """Whether a point (a word's centre) lies inside the rectangle."""
        return self.x <= point[0] < self.right and self.y <= point[1] < self.bottom

    def inset(self, margin: int) -> Box:
        """The rectangle shrunk by ``margin`` on every side (never below one pixel)."""
        return Box(self.x + margin, self.y + margin, max(1, self.w - 2 * margin), max(1, self.h - 2 * margin))

    def shown(self) -> str:
        """As provenance shows it: "(x,y,w,h)"."""
        return f"({self.x},{self.y},{self.w},{self.h})"


def union(boxes: list[Box]) -> Box:
    """The smallest rectangle around all of ``boxes`` (which must not be empty)."""
    left = min(b.x for b in boxes)
    top = min(b.y for b in boxes)
    return Box(left, top, max(b.right for b in boxes) - left, max(b.bottom for b in boxes) - top)
