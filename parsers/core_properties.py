"""The keywords of an Office Open XML file's core properties (File > Properties): where the
robot's templates, .xlsx and .docx alike, carry their code."""

from __future__ import annotations

import zipfile

from lxml import etree

CORE_PART = "docProps/core.xml"  # where Office puts it; a .docx names its own in the package relationships
_KEYWORDS = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}keywords"
_PLAIN = etree.XMLParser(resolve_entities=False, no_network=True)


def core_keywords(archive: zipfile.ZipFile, part: str = CORE_PART) -> str | None:
    """The keywords, None when the part or its keywords are absent; a damaged part raises (lxml's
    or the zip's error), for the reader to decide what that means."""
    if part not in archive.namelist():
        return None
    found = etree.fromstring(archive.read(part), _PLAIN).find(_KEYWORDS)
    return "".join(found.itertext()) if found is not None else None
