"""The email policies the robot reads and writes mail with, parsing each distinct header once.

``email.policy.default`` parses a header's value into a structured object every time the header
is read: ``get_content_type()`` alone parses Content-Type again on every call, and reading one
report mail (screening, bodies, attachments) asks for it dozens of times. The parsed headers are
immutable, so the same object can serve every request for the same name and value; the cache is
bounded and shared by the threads that read and compose mail (dictionary access is atomic).
"""

from __future__ import annotations

import email.policy
from email.headerregistry import BaseHeader, HeaderRegistry

_CACHED_HEADERS = 4096  # distinct (name, value) pairs kept; the cache is emptied past this


class CachingHeaderRegistry(HeaderRegistry):
    """A header registry that returns the same parsed header for the same name and value."""

    def __init__(self) -> None:
        super().__init__()
        self._parsed: dict[tuple[str, str], BaseHeader] = {}
        self._classes: dict[str, type[BaseHeader]] = {}

    def __getitem__(self, name: str) -> type[BaseHeader]:
        # The stdlib builds a new class for every header it parses; one per header name will do.
        key = name.lower()
        header_class = self._classes.get(key)
        if header_class is None:
            header_class = self._classes[key] = super().__getitem__(name)
        return header_class

    def __call__(self, name: str, value: object) -> BaseHeader:
        if type(value) is not str:  # an Address, a Header, a list of addresses: built each time
            return super().__call__(name, value)
        key = (name, value)
        header = self._parsed.get(key)
        if header is None:
            if len(self._parsed) >= _CACHED_HEADERS:
                self._parsed.clear()
            header = self._parsed[key] = super().__call__(name, value)
        return header


HEADERS = CachingHeaderRegistry()
# email.policy.default, with headers parsed once: what every received message is read with.
READ_POLICY = email.policy.default.clone(header_factory=HEADERS)
