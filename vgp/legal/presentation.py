"""How a legal document reads: on its public page, in the admin's preview, printed, in the API.

- :class:`DocumentView` gives a document's labels in the active language (the English edition
  shows English type, issuer and sector names and ``title_en`` when there is one, and marks
  Vietnamese text with ``lang="vi"``).
- :func:`text_tree` gives the full text as a tree of :class:`structure.Node`: parts, chapters,
  sections and articles from the stored provisions (whose anchors the search index links to),
  each article's clauses and points parsed by :func:`structure.parse_article_body`. A preview
  parses the draft's text instead: its provisions are rebuilt only when it is published.
- :func:`render_text` and :func:`render_toc` write the text and its table of contents as HTML:
  every unit has an ``id`` equal to its anchor and a visible "§" link to itself. They are
  plain functions rather than recursive template includes: a code has thousands of units.
- :func:`register_document_panel`: other apps (the Official Gazette) add a panel to the page
  without this app importing them.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from vgp.agencies.models import Agency

from . import queries, structure
from .models import (
    REVERSE_LABELS,
    Attachment,
    Category,
    DocumentRelation,
    DocumentType,
    LegalDocument,
    Provision,
    ProvisionKind,
    RelationKind,
    Sector,
    Validity,
)
from .structure import Node

logger = logging.getLogger(__name__)

# The depth of a heading inside the full text: the section "Full text" is an h2.
TEXT_HEADING_LEVEL = 3


def is_english() -> bool:
    return (translation.get_language() or "vi").startswith("en")


# --- labels in the active language ------------------------------------------------------------


class DocumentView:
    """A document's labels in the active language, for templates (no queries of its own
    beyond what the document was loaded with: type and issuer selected, sectors prefetched)."""

    def __init__(self, document: LegalDocument, *, english: bool | None = None) -> None:
        self.document = document
        self.english = is_english() if english is None else english

    def __getattr__(self, name: str) -> Any:
        # Anything not given here reads from the document (its number, dates, status…).
        if name == "document":  # not set yet (copying, unpickling): no recursion
            raise AttributeError(name)
        return getattr(self.document, name)

    @property
    def type_name(self) -> str:
        kind = self.document.doc_type
        return (kind.name_en or kind.name) if self.english else kind.name

    @property
    def display_name(self) -> str:
        """'Nghị định 08/2022/NĐ-CP' ('Decree 08/2022/NĐ-CP'); the title when there is no
        number (the Constitution)."""
        if self.document.number_symbol:
            return f"{self.type_name} {self.document.number_symbol}"
        return self.title

    @property
    def title(self) -> str:
        if self.english and self.document.title_en:
            return self.document.title_en
        return self.document.title

    @property
    def title_lang(self) -> str:
        """``"vi"`` when the title shown is Vietnamese on the English edition, else empty."""
        return "vi" if self.english and not self.document.title_en else ""

    @property
    def name_lang(self) -> str:
        """``"vi"`` when ``display_name`` is the Vietnamese title on the English edition."""
        return "" if self.document.number_symbol else self.title_lang

    @property
    def issuer(self) -> str:
        agency = self.document.issuer if self.document.issuer_id else None
        if agency is not None:
            return (agency.name_en or agency.name_vi) if self.english else agency.name_vi
        return self.document.issuer_name

    @property
    def issuer_lang(self) -> str:
        agency = self.document.issuer if self.document.issuer_id else None
        if self.english and not (agency is not None and agency.name_en):
            return "vi"
        return ""

    @property
    def category_label(self) -> str:
        return str(Category(self.document.category).label) if self.document.category else ""

    @property
    def status_label(self) -> str:
        return validity_label(self.document.status)

    @property
    def url(self) -> str:
        return self.document.get_absolute_url() if self.document.pk else ""

    def sectors(self) -> list[tuple[str, str]]:
        """(name, lang) of each sector, in the order of their names."""
        found = list(self.document.sectors.all())
        return [sector_label(sector, english=self.english) for sector in found]


def sector_label(sector: Sector, *, english: bool | None = None) -> tuple[str, str]:
    english = is_english() if english is None else english
    if english and sector.name_en:
        return sector.name_en, ""
    return sector.name, "vi" if english else ""


def validity_label(status: str) -> str:
    try:
        return str(Validity(status).label)
    except ValueError:
        return str(Validity.UNKNOWN.label)


class FacetLabels:
    """Labels of facet values in the active language: ``labels(name, value, fallback,
    counted=…)`` gives (label, lang). ``queries.search`` labels the values it counts in
    Vietnamese; this looks up only what that does not cover (English names, values ticked but
    no longer counted), each table once: no query on a Vietnamese page, three at most."""

    def __init__(
        self,
        facets: dict[str, list[Any]],
        *,
        selected_issuers: Iterable[int] = (),
        english: bool | None = None,
    ) -> None:
        self.english = is_english() if english is None else english
        counted = [int(v.value) for v in facets.get("issuer", [])] if self.english else []
        shown = {int(v.value) for v in facets.get("issuer", [])}
        # Larger keys stand for issuers outside the registry, by name (search_index.issuer_key).
        self.wanted_agencies = {
            key
            for key in [*counted, *(k for k in selected_issuers if k not in shown)]
            if key <= MAX_AGENCY_ID
        }

    @cached_property
    def types(self) -> dict[int, DocumentType]:
        return {kind.pk: kind for kind in DocumentType.objects.all()}

    @cached_property
    def sectors(self) -> dict[int, Sector]:
        return {sector.pk: sector for sector in Sector.objects.all()}

    @cached_property
    def agencies(self) -> dict[int, Agency]:
        if not self.wanted_agencies:
            return {}
        return {a.pk: a for a in Agency.objects.filter(pk__in=self.wanted_agencies)}

    def __call__(
        self, name: str, value: str, fallback: str, *, counted: bool = True
    ) -> tuple[str, str]:
        key = int(value) if value.isdigit() else None
        vietnamese = "vi" if self.english else ""
        if name == "status":
            return validity_label(value), ""
        if name == "category" and value in Category.values:
            return str(Category(value).label), ""
        if counted and not self.english and name in ("type", "sector", "issuer"):
            return fallback, ""
        if name == "type" and key in self.types:
            kind = self.types[key]
            return ((kind.name_en or kind.name) if self.english else kind.name), ""
        if name == "sector" and key in self.sectors:
            return sector_label(self.sectors[key], english=self.english)
        if name == "issuer":
            agency = self.agencies.get(key) if key is not None else None
            if agency is None:
                if not counted and key is not None:
                    # An issuer outside the registry, known by its printed name only. (The
                    # labels are cached by queries; a public accessor there would be nicer.)
                    fallback = queries._issuer_labels().get(key, fallback)
                return fallback, vietnamese
            if self.english and agency.name_en:
                return agency.name_en, ""
            return agency.name_vi, vietnamese
        return fallback, ""


MAX_AGENCY_ID = 2**31 - 1


# --- the full text as a tree -------------------------------------------------------------------

_CONTAINER_WORDS = {
    ProvisionKind.PART: "Phần",
    ProvisionKind.CHAPTER: "Chương",
    ProvisionKind.SECTION: "Mục",
    ProvisionKind.SUBSECTION: "Tiểu mục",
}


def _reanchor(node: Node, old: str, new: str) -> None:
    """Give a re-parsed article the anchors stored for it (``dieu-5-2`` for a repeated number)."""
    for unit in node.iter():
        if unit.anchor == old or unit.anchor.startswith(f"{old}-"):
            unit.anchor = new + unit.anchor[len(old) :]


def nodes_from_provisions(provisions: Iterable[Provision]) -> list[Node]:
    """The tree of stored provisions (in position order), articles with clauses and points."""
    roots: list[Node] = []
    by_id: dict[int, Node] = {}
    for provision in provisions:
        if provision.kind == ProvisionKind.ARTICLE:
            node = structure.parse_article_body(provision.number, provision.heading, provision.text)
            if node.anchor != provision.anchor:
                _reanchor(node, node.anchor, provision.anchor)
        else:
            word = _CONTAINER_WORDS.get(ProvisionKind(provision.kind), "")
            node = Node(
                kind=provision.kind,
                number=provision.number,
                heading=provision.heading,
                text=provision.text,
                anchor=provision.anchor,
                label=f"{word} {provision.number}".strip(),
            )
        by_id[provision.pk] = node
        parent = by_id.get(provision.parent_id) if provision.parent_id else None
        (parent.children if parent is not None else roots).append(node)
    return roots


def text_tree(document: LegalDocument, *, stored: bool) -> list[Node]:
    """The document's full text as a tree: from its provisions (``stored``, a published
    document loaded by ``queries.document_for_page``) or parsed from its text (a preview)."""
    if stored:
        return nodes_from_provisions(document.provisions.all())
    return structure.parse_text(document.body)


# --- names of units, for "§" links ------------------------------------------------------------


def unit_name(node: Node, ancestors: Sequence[Node]) -> str:
    """'Điều 32', 'khoản 1 Điều 32', 'điểm a khoản 1 Điều 32', 'Chương II' (in the active
    language: 'Article 32(1)(a)')."""
    article = next((a for a in ancestors if a.kind == structure.ARTICLE), None)
    clause = next((a for a in ancestors if a.kind == structure.CLAUSE), None)
    if node.kind == structure.ARTICLE:
        return _("Article %(article)s") % {"article": node.number}
    if node.kind == structure.CLAUSE and article is not None:
        return _("clause %(clause)s of Article %(article)s") % {
            "clause": node.number,
            "article": article.number,
        }
    if node.kind == structure.POINT and article is not None:
        if clause is not None:
            return _("point %(point)s of clause %(clause)s of Article %(article)s") % {
                "point": node.number,
                "clause": clause.number,
                "article": article.number,
            }
        return _("point %(point)s of Article %(article)s") % {
            "point": node.number,
            "article": article.number,
        }
    if node.kind == structure.PART:
        return _("Part %(number)s") % {"number": node.number}
    if node.kind == structure.CHAPTER:
        return _("Chapter %(number)s") % {"number": node.number}
    if node.kind == structure.SECTION:
        return _("Section %(number)s") % {"number": node.number}
    if node.kind == structure.SUBSECTION:
        return _("Subsection %(number)s") % {"number": node.number}
    return _("Preamble")


# --- HTML of the full text and its table of contents --------------------------------------------


def _self_link(node: Node, ancestors: Sequence[Node]) -> SafeString:
    return format_html(
        '<a class="legal-anchor" href="#{}"><span aria-hidden="true">§</span>'
        '<span class="visually-hidden">{}</span></a>',
        node.anchor,
        _("Link to %(unit)s") % {"unit": unit_name(node, ancestors)},
    )


def _paragraphs(text: str, css: str = "legal-text__p") -> SafeString:
    lines = [line for line in (text or "").split("\n") if line.strip()]
    return format_html_join("", '<p class="{}">{}</p>', ((css, line) for line in lines))


def _render(node: Node, ancestors: list[Node], level: int, out: list[str]) -> None:
    kind = node.kind
    inner = [*ancestors, node]
    if kind == structure.PREAMBLE:
        out.append(
            format_html(
                '<div class="legal-preamble" id="{}">{}</div>', node.anchor, _paragraphs(node.text)
            )
        )
        return
    if kind in (structure.CLAUSE, structure.POINT):
        lines = [line for line in node.text.split("\n") if line.strip()] or [""]
        out.append(format_html('<div class="legal-{}" id="{}">', kind, node.anchor))
        out.append(
            format_html(
                '<p class="legal-text__p"><span class="legal-marker">{}</span> {} {}</p>',
                node.label
                or (f"{node.number}." if kind == structure.CLAUSE else f"{node.number})"),
                lines[0],
                _self_link(node, ancestors),
            )
        )
        out.append(_paragraphs("\n".join(lines[1:])))
        for child in node.children:
            _render(child, inner, level, out)
        out.append("</div>")
        return
    heading_level = min(6, level)
    if kind == structure.ARTICLE:
        label = node.label or f"Điều {node.number}."
        out.append(format_html('<div class="legal-article" id="{}">', node.anchor))
        out.append(
            format_html(
                '<h{} class="legal-article__title">{} {} {}</h{}>',
                heading_level,
                label,
                node.heading,
                _self_link(node, ancestors),
                heading_level,
            )
        )
        out.append(_paragraphs(node.text))
        for child in node.children:
            _render(child, inner, level + 1, out)
        out.append("</div>")
        return
    # A part, chapter, section or subsection.
    out.append(
        format_html('<div class="legal-division legal-division--{}" id="{}">', kind, node.anchor)
    )
    heading = (
        format_html(' <span class="legal-division__heading">{}</span>', node.heading)
        if node.heading
        else ""
    )
    out.append(
        format_html(
            '<h{} class="legal-division__title"><span class="legal-division__label">{}</span>'
            "{} {}</h{}>",
            heading_level,
            node.label,
            heading,
            _self_link(node, ancestors),
            heading_level,
        )
    )
    out.append(_paragraphs(node.text))
    for child in node.children:
        _render(child, inner, level + 1, out)
    out.append("</div>")


def render_text(nodes: Sequence[Node], *, level: int = TEXT_HEADING_LEVEL) -> SafeString:
    """The full text as HTML; every unit's ``id`` is its anchor. Escaped piece by piece."""
    out: list[str] = []
    for node in nodes:
        _render(node, [], level, out)
    return mark_safe("".join(out))  # noqa: S308 (every piece comes from format_html)


@dataclass
class TocEntry:
    node: Node
    children: list[TocEntry] = field(default_factory=list)


def table_of_contents(nodes: Sequence[Node]) -> list[TocEntry]:
    """Parts, chapters, sections, subsections and articles, nested as in the text."""

    def entries(children: Iterable[Node]) -> list[TocEntry]:
        found = []
        for child in children:
            if child.kind in structure.TOC_KINDS:
                found.append(
                    TocEntry(
                        child, entries(child.children) if child.kind != structure.ARTICLE else []
                    )
                )
        return found

    return entries(nodes)


def _toc_label(node: Node) -> str:
    if node.kind == structure.ARTICLE:
        label = node.label or f"Điều {node.number}."
        return f"{label} {node.heading}".strip()
    if node.heading:
        return f"{node.label}. {node.heading}"
    return node.label


def render_toc(entries: Sequence[TocEntry]) -> SafeString:
    def items(found: Sequence[TocEntry]) -> Iterator[SafeString]:
        for entry in found:
            nested: SafeString | str = ""
            if entry.children:
                inner = mark_safe("".join(items(entry.children)))  # noqa: S308 (format_html)
                nested = format_html('<ol class="legal-toc__list">{}</ol>', inner)
            yield format_html(
                '<li class="legal-toc__item legal-toc__item--{}"><a href="#{}">{}</a>{}</li>',
                entry.node.kind,
                entry.node.anchor,
                _toc_label(entry.node),
                nested,
            )

    if not entries:
        return mark_safe("")
    return format_html(
        '<ol class="legal-toc__list">{}</ol>',
        mark_safe("".join(items(entries))),  # noqa: S308 (each item is format_html)
    )


def article_count(nodes: Sequence[Node]) -> int:
    return sum(1 for root in nodes for node in root.iter() if node.kind == structure.ARTICLE)


# --- relations ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RelationView:
    """One relation as the page shows it: its label and the other document (linked when it is
    published) or the number of a document not in the database."""

    kind: str
    label: str
    other: DocumentView | None
    reference: str
    partial: bool
    note: str

    @property
    def url(self) -> str:
        if self.other is not None and self.other.document.live:
            return self.other.url
        return ""


@dataclass(frozen=True)
class RelationGroup:
    label: str
    relations: list[RelationView]


def _kind_label(kind: str) -> str:
    try:
        return str(RelationKind(kind).label)
    except ValueError:
        return kind


def _reverse_label(kind: str) -> str:
    try:
        return str(REVERSE_LABELS[RelationKind(kind)])
    except (ValueError, KeyError):
        return kind


def outgoing_relations(document: LegalDocument) -> list[RelationView]:
    """What this document does to others ("Amends …"), in the editors' order."""
    english = is_english()
    found = []
    for relation in document.relations.all():
        target = relation.target if relation.target_id else None
        found.append(
            RelationView(
                kind=relation.kind,
                label=_kind_label(relation.kind),
                other=DocumentView(target, english=english) if target is not None else None,
                reference=relation.target_reference,
                partial=relation.partial,
                note=relation.note,
            )
        )
    return found


def incoming_relations(document: LegalDocument, *, stored: bool) -> list[RelationView]:
    """What published documents do to this one ("Amended by …"), newest source first."""
    if not document.pk:
        return []
    english = is_english()
    if stored:  # prefetched by queries.document_for_page, published sources only
        rows: Iterable[DocumentRelation] = document.incoming_relations.all()
    else:
        rows = document.incoming_relations.filter(source__live=True).select_related(
            "source", "source__doc_type"
        )
    found = []
    for relation in rows:
        found.append(
            RelationView(
                kind=relation.kind,
                label=_reverse_label(relation.kind),
                other=DocumentView(relation.source, english=english),
                reference="",
                partial=relation.partial,
                note=relation.note,
            )
        )
    found.sort(key=_source_date, reverse=True)
    return found


def _source_date(relation: RelationView) -> date:
    issued = relation.other.document.issued_date if relation.other is not None else None
    return issued or date.min


def grouped(relations: Sequence[RelationView]) -> list[RelationGroup]:
    """Relations with the same label together, labels in the order first met."""
    groups: dict[str, list[RelationView]] = {}
    for relation in relations:
        groups.setdefault(relation.label, []).append(relation)
    return [RelationGroup(label, items) for label, items in groups.items()]


# --- attachments --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttachmentView:
    title: str
    url: str
    file_type: str
    size: int | None
    is_original: bool


def attachments(document: LegalDocument) -> list[AttachmentView]:
    found = []
    attachment: Attachment
    for attachment in document.attachments.all():
        file = attachment.file
        found.append(
            AttachmentView(
                title=attachment.title or file.title,
                url=file.url,
                file_type=(getattr(file, "file_extension", "") or "").upper(),
                # The stored size only: computing it would read the file (and save the row).
                size=file.file_size,
                is_original=attachment.is_original,
            )
        )
    return found


# --- panels from other apps ---------------------------------------------------------------------

PanelProvider = Callable[[LegalDocument], "tuple[str, str] | None"]
_panel_providers: list[PanelProvider] = []


@dataclass(frozen=True)
class Panel:
    title: str
    html: SafeString


def register_document_panel(provider: PanelProvider) -> PanelProvider:
    """Add a panel to every document's page: ``provider(document)`` returns ``(title, html)``
    (``html`` already escaped, e.g. from ``format_html``) or ``None`` for no panel. Usable as a
    decorator; registering the same provider twice adds it once."""
    if provider not in _panel_providers:
        _panel_providers.append(provider)
    return provider


def unregister_document_panel(provider: PanelProvider) -> None:
    if provider in _panel_providers:
        _panel_providers.remove(provider)


def document_panels(document: LegalDocument) -> list[Panel]:
    """The panels other apps give this document; one that fails is left out (and logged)."""
    panels = []
    for provider in list(_panel_providers):
        try:
            found = provider(document)
        except Exception:
            logger.exception(
                "document panel %r failed for legal document %s", provider, document.pk
            )
            continue
        if found:
            title, html = found
            panels.append(Panel(str(title), mark_safe(html)))  # noqa: S308 (the provider escapes)
    return panels


# --- everything a page needs --------------------------------------------------------------------


def document_context(document: LegalDocument, *, stored: bool = False) -> dict[str, Any]:
    """What ``legal/includes/document.html`` shows. ``stored``: a published document loaded
    by ``queries.document_for_page`` (text from its provisions, relations prefetched); without
    it (the admin's preview of a draft) the text is parsed from the draft itself."""
    nodes = text_tree(document, stored=stored)
    toc = table_of_contents(nodes)
    outgoing = outgoing_relations(document)
    incoming = incoming_relations(document, stored=stored)
    return {
        "document": document,
        "view": DocumentView(document),
        "text_html": render_text(nodes),
        "toc_html": render_toc(toc),
        "has_toc": bool(toc),
        "articles": article_count(nodes),
        "outgoing": grouped(outgoing),
        "incoming": grouped(incoming),
        "has_relations": bool(outgoing or incoming),
        "attachments": attachments(document),
        "panels": document_panels(document) if document.pk else [],
    }


# --- what the page tells crawlers and link previews ----------------------------------------------

OG_LOCALES = {"vi": "vi_VN", "en": "en_US"}
# The ELI ontology's values for schema.org's legislationLegalForce.
LEGAL_FORCE = {
    Validity.IN_FORCE: "https://schema.org/InForce",
    Validity.PARTLY_EXPIRED: "https://schema.org/PartiallyInForce",
    Validity.EXPIRED: "https://schema.org/NotInForce",
    Validity.NOT_YET_IN_FORCE: "https://schema.org/NotInForce",
}
_JSON_SCRIPT_ESCAPES = {
    ord("<"): "\\u003C",
    ord(">"): "\\u003E",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def json_ld(data: dict[str, Any]) -> SafeString:
    """A ``<script type="application/ld+json">`` element that no value can break out of (the
    escapes of Django's ``json_script``)."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text.translate(_JSON_SCRIPT_ESCAPES)),  # noqa: S308 (escaped just above)
    )


def metadata(document: LegalDocument, request: Any) -> dict[str, Any]:
    """Canonical address, Open Graph tags and a schema.org ``Legislation`` in JSON-LD."""
    view = DocumentView(document)
    language = (translation.get_language() or "vi").split("-")[0]
    canonical = request.build_absolute_uri(document.get_absolute_url())
    description = document.summary or view.title
    legislation: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Legislation",
        "name": view.display_name,
        "headline": view.title,
        "alternateName": document.title_en if language == "vi" and document.title_en else None,
        "description": document.summary or None,
        "legislationIdentifier": document.number_symbol or None,
        "legislationType": document.doc_type.name,
        "legislationDate": document.issued_date,
        "legislationDateOfApplicability": document.effective_date,
        "expires": document.expiry_date,
        "legislationJurisdiction": "VN",
        "legislationLegalForce": LEGAL_FORCE.get(Validity(document.status))
        if document.status in Validity.values
        else None,
        "legislationPassedBy": {"@type": "GovernmentOrganization", "name": view.issuer}
        if view.issuer
        else None,
        "legislationResponsible": {
            "@type": "Person",
            "name": document.signer_name,
            "jobTitle": document.signer_position or None,
        }
        if document.signer_name
        else None,
        "inLanguage": "vi",
        "url": canonical,
        "sameAs": document.source_url or None,
        "keywords": [name for name, _lang in view.sectors()] or None,
        "legislationChanges": [
            {
                "@type": "Legislation",
                "name": r.other.display_name,
                "url": request.build_absolute_uri(r.url),
            }
            for r in outgoing_relations(document)
            if r.kind in (RelationKind.AMENDS, RelationKind.REPLACES, RelationKind.REPEALS)
            and r.other is not None
            and r.url
        ]
        or None,
    }
    legislation = {key: value for key, value in legislation.items() if value not in (None, "")}
    return {
        "canonical": canonical,
        "title": f"{view.display_name}: {view.title}" if document.number_symbol else view.title,
        "description": description,
        "og_locale": OG_LOCALES.get(language, language),
        "site_name": str(settings.WAGTAIL_SITE_NAME),
        "published_time": document.issued_date,
        "json_ld": json_ld(legislation),
    }
