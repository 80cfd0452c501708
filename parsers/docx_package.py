"""The parts of a .docx the Word reader needs, found as python-docx finds them, and only those.

``docx.Document()`` unpacks and parses every XML part of the package: styles.xml alone (350 KB
in a document made from python-docx's or Word's default template, with every latent style) is
two thirds of the time of reading a report. The reader needs the document body always, the
keywords of the core properties (the template code), and the styles only when some font in the
document or its styles is an old Vietnamese one: those are the parts read here.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass

from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.oxml.parser import parse_xml
from lxml import etree
from lxml.etree import _Element

from parsers.core_properties import core_keywords
from parsers.legacy_fonts import legacy_font

_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_CONTENT_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_BODY = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}body"
# A font named anywhere in a part (w:rFonts' w:ascii, w:hAnsi): is any an old Vietnamese one? (The
# leading ":" lets the search skip ahead: a pattern starting with \w+ is ten times slower.)
_FONT_NAMES = re.compile(rb':(?:ascii|hAnsi)="([^"]*)"')
_PLAIN = etree.XMLParser(resolve_entities=False, no_network=True)


@dataclass(frozen=True)
class WordPackage:
    """What the reader takes from a .docx."""

    body: _Element  # w:body, with python-docx's element classes
    styles: _Element | None  # w:styles, only when a legacy font may be in use (else None)
    keywords: str | None


def read_package(archive: zipfile.ZipFile) -> WordPackage:
    """The body, the styles if needed and the keywords; ValueError, KeyError or an lxml error
    when the package is not a readable Word document (as ``docx.Document`` would raise)."""
    package = _relations(archive, "_rels/.rels", "")
    main = package[RELATIONSHIP_TYPE.OFFICE_DOCUMENT]
    content_type = _content_type(archive, main)
    if content_type != CONTENT_TYPE.WML_DOCUMENT_MAIN:
        raise ValueError(f"not a Word file, content type is '{content_type}'")
    document = archive.read(main)
    body = parse_xml(document).find(_BODY)
    if body is None:
        raise ValueError(f"{main} has no body")
    styles_part = _relations(archive, _relations_of(main), posixpath.dirname(main)).get(RELATIONSHIP_TYPE.STYLES)
    styles_xml = archive.read(styles_part) if styles_part in archive.namelist() else b""
    legacy = any(legacy_font(name.decode("utf-8", errors="replace"))
                 for part in (document, styles_xml) for name in _FONT_NAMES.findall(part))
    core = package.get(RELATIONSHIP_TYPE.CORE_PROPERTIES)
    return WordPackage(body, parse_xml(styles_xml) if legacy and styles_xml else None,
                       core_keywords(archive, core) if core else None)


def _relations(archive: zipfile.ZipFile, rels_part: str, base: str) -> dict[str, str]:
    """Relationship type → target part name, from a .rels part (empty when there is none)."""
    if rels_part not in archive.namelist():
        return {}
    targets: dict[str, str] = {}
    for relation in etree.fromstring(archive.read(rels_part), _PLAIN).iter(_RELATIONSHIPS):
        if relation.get("TargetMode") == "External":
            continue
        target = relation.get("Target", "")
        name = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
        targets.setdefault(relation.get("Type", ""), name)
    return targets


def _relations_of(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def _content_type(archive: zipfile.ZipFile, part: str) -> str:
    types = etree.fromstring(archive.read("[Content_Types].xml"), _PLAIN)
    for override in types.iter(f"{_CONTENT_TYPES}Override"):
        if override.get("PartName", "").lstrip("/").lower() == part.lower():
            return override.get("ContentType", "")
    extension = posixpath.splitext(part)[1].lstrip(".").lower()
    for default in types.iter(f"{_CONTENT_TYPES}Default"):
        if default.get("Extension", "").lower() == extension:
            return default.get("ContentType", "")
    return ""
