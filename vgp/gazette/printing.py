"""A legal document as the gazette prints it: header fields and numbered units, as plain data.

At publication each entry keeps this copy (``GazetteEntry.printed``, a JSON dict); the PDF, the
issue's HTML view and the gazette's search index are all made from it, so the three always say
the same thing, and keep saying it when the document is later edited in the legal database.

The units come from the document's stored provisions (parts, chapters, sections, articles) with
each article's clauses and points parsed back by ``legal.structure.parse_article_body``; a
document without provisions (a Công văn) is printed as its plain text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from vgp.agencies.models import Agency
from vgp.legal.models import LegalDocument, Provision, ProvisionKind
from vgp.legal.numbering import SymbolError, parse_symbol
from vgp.legal.structure import CLAUSE, Node, parse_article_body

from .models import GazetteIssue
from .pdf import GazetteDocument, GazetteIssueData, GazetteProvision, RenderedIssue, render_issue

# The publisher printed on the cover: data, in the installation's language.
DEFAULT_PUBLISHER = "Văn phòng Chính phủ"

# Bump when the shape of ``GazetteEntry.printed`` changes (readers check it).
FORMAT = 1

# "Phần thứ nhất": parts numbered with an ordinal word are stored as Arabic digits.
_ORDINALS = {
    1: "nhất",
    2: "hai",
    3: "ba",
    4: "tư",
    5: "năm",
    6: "sáu",
    7: "bảy",
    8: "tám",
    9: "chín",
    10: "mười",
}
_DIVISION_WORDS = {
    ProvisionKind.CHAPTER: "Chương",
    ProvisionKind.SECTION: "Mục",
    ProvisionKind.SUBSECTION: "Tiểu mục",
}
_DIVISION_KINDS = frozenset({"part", "chapter", "section", "subsection"})


@dataclass(frozen=True)
class PrintedUnit:
    """One unit of a printed document; ``anchor`` is the legal page's anchor ("dieu-32-khoan-1")."""

    kind: str
    label: str
    heading: str
    text: str
    depth: int
    anchor: str = ""

    @property
    def lines(self) -> list[str]:
        """The text's non-empty lines (each a paragraph on the page)."""
        return [line.strip() for line in self.text.splitlines() if line.strip()]

    def as_provision(self) -> GazetteProvision:
        return GazetteProvision(self.kind, self.label, self.heading, self.text, self.depth)


@dataclass(frozen=True)
class PrintedDocument:
    document_id: int
    number_symbol: str
    type_name: str
    issuer_name: str
    title: str
    issued_date: dt.date | None
    signer_name: str
    signer_position: str
    units: list[PrintedUnit]
    plain_text: str = ""

    @property
    def reference(self) -> str:
        """ "Nghị định 08/2022/NĐ-CP" — type and number, or the type alone."""
        return " ".join(part for part in (self.type_name, self.number_symbol) if part)

    @property
    def has_divisions(self) -> bool:
        """Whether the text has parts, chapters or sections (articles are a level below them)."""
        return any(unit.kind in _DIVISION_KINDS for unit in self.units)

    @property
    def plain_lines(self) -> list[str]:
        """The paragraphs of a document printed as plain text (none when it has units)."""
        if self.units:
            return []
        return [line.strip() for line in self.plain_text.splitlines() if line.strip()]

    def as_gazette_document(self) -> GazetteDocument:
        return GazetteDocument(
            number_symbol=self.number_symbol,
            type_name=self.type_name,
            issuer_name=self.issuer_name,
            title=self.title,
            issued_date=self.issued_date,
            signer_name=self.signer_name,
            signer_position=self.signer_position,
            provisions=[unit.as_provision() for unit in self.units],
            plain_text=self.plain_text,
        )

    def full_text(self) -> str:
        """Everything printed, as plain text with labels (for the search index and snippets)."""
        lines: list[str] = []
        for unit in self.units:
            head = " ".join(part for part in (unit.label, unit.heading) if part)
            lines.append(" ".join(part for part in (head, unit.text) if part))
        if not self.units and self.plain_text:
            lines.append(self.plain_text)
        return "\n".join(line for line in lines if line)

    def identifiers(self) -> list[str]:
        """The document number's search terms ("83/2008/qd-ttg", "83/2008", …)."""
        if not self.number_symbol:
            return []
        try:
            return parse_symbol(self.number_symbol).search_terms()
        except SymbolError:
            return []

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["issued_date"] = self.issued_date.isoformat() if self.issued_date else None
        data["format"] = FORMAT
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PrintedDocument:
        issued = data.get("issued_date")
        return cls(
            document_id=int(data.get("document_id") or 0),
            number_symbol=data.get("number_symbol", ""),
            type_name=data.get("type_name", ""),
            issuer_name=data.get("issuer_name", ""),
            title=data.get("title", ""),
            issued_date=dt.date.fromisoformat(issued) if issued else None,
            signer_name=data.get("signer_name", ""),
            signer_position=data.get("signer_position", ""),
            units=[PrintedUnit(**unit) for unit in data.get("units", [])],
            plain_text=data.get("plain_text", ""),
        )


def division_label(kind: str, number: str) -> str:
    """ "Chương II", "Mục 1", "Phần thứ hai", "Phần I"."""
    if kind == ProvisionKind.PART:
        if number.isdigit() and int(number) in _ORDINALS:
            return f"Phần thứ {_ORDINALS[int(number)]}"
        return f"Phần {number}".strip()
    word = _DIVISION_WORDS.get(ProvisionKind(kind)) if kind in ProvisionKind.values else None
    return f"{word} {number}".strip() if word else number


def _article_units(article: Provision, depth: int) -> list[PrintedUnit]:
    """The article and its clauses and points, parsed back from its stored text."""
    node = parse_article_body(article.number, article.heading, article.text)
    units = [
        PrintedUnit(
            kind=ProvisionKind.ARTICLE,
            label=f"Điều {article.number}.",
            heading=node.heading,
            text=node.text,
            depth=depth,
            anchor=article.anchor,
        )
    ]

    def anchor_of(child: Node) -> str:
        # The parser numbers anchors from "dieu-<n>"; the stored article may carry a suffix
        # ("dieu-5-2" for a repeated number), which its clauses must share.
        return article.anchor + child.anchor[len(node.anchor) :]

    def walk(children: Iterable[Node], level: int) -> None:
        for child in children:
            units.append(
                PrintedUnit(
                    kind=child.kind,
                    label=child.label or (f"{child.number}." if child.kind == CLAUSE else ""),
                    heading=child.heading,
                    text=child.text,
                    depth=level,
                    anchor=anchor_of(child),
                )
            )
            walk(child.children, level + 1)

    walk(node.children, depth + 1)
    return units


def printed_units(provisions: Sequence[Provision]) -> list[PrintedUnit]:
    """Units of a document from its provisions (in ``position`` order, parents first)."""
    depth_of: dict[int, int] = {}
    units: list[PrintedUnit] = []
    for provision in provisions:
        depth = depth_of[provision.parent_id] + 1 if provision.parent_id in depth_of else 0
        depth_of[provision.pk] = depth
        if provision.kind == ProvisionKind.ARTICLE:
            units.extend(_article_units(provision, depth))
        elif provision.kind == ProvisionKind.PREAMBLE:
            units.append(
                PrintedUnit(ProvisionKind.PREAMBLE, "", "", provision.text, depth, provision.anchor)
            )
        else:
            units.append(
                PrintedUnit(
                    kind=provision.kind,
                    label=division_label(provision.kind, provision.number),
                    heading=provision.heading,
                    text=provision.text,
                    depth=depth,
                    anchor=provision.anchor,
                )
            )
    return units


def printed_document(document: LegalDocument, provisions: Sequence[Provision]) -> PrintedDocument:
    """``document`` as the gazette prints it (``provisions``: its rows, in position order)."""
    units = printed_units(provisions)
    plain = "" if units else (document.body or document.summary or document.title)
    return PrintedDocument(
        document_id=document.pk,
        number_symbol=document.number_symbol,
        type_name=document.doc_type.name,
        issuer_name=document.issuer_label,
        title=document.title,
        issued_date=document.issued_date,
        signer_name=document.signer_name,
        signer_position=document.signer_position,
        units=units,
        plain_text=plain,
    )


def printed_documents(documents: Sequence[LegalDocument]) -> list[PrintedDocument]:
    """Each document as printed, their provisions read in one query."""
    by_document: dict[int, list[Provision]] = {}
    for provision in Provision.objects.filter(document__in=[d.pk for d in documents]).order_by(
        "document_id", "position"
    ):
        by_document.setdefault(provision.document_id, []).append(provision)
    return [printed_document(d, by_document.get(d.pk, [])) for d in documents]


def issue_data(
    *,
    year: int,
    number: int,
    issue_date: dt.date,
    title: str,
    publisher: str,
    site_url: str,
    documents: Sequence[PrintedDocument],
) -> GazetteIssueData:
    return GazetteIssueData(
        year=year,
        number=number,
        issue_date=issue_date,
        title=title,
        publisher=publisher,
        site_url=site_url,
        documents=[document.as_gazette_document() for document in documents],
    )


def publisher() -> str:
    return str(getattr(settings, "GAZETTE_PUBLISHER", DEFAULT_PUBLISHER))


def publisher_agency() -> Agency | None:
    """The agency that publishes the gazette, whose seal signs each issue: the one coded
    ``GAZETTE_PUBLISHER_CODE`` when set, else the installation's own agency
    (``VGP_HOME_AGENCY_CODE``: the Government Office publishes the Công báo)."""
    code = getattr(settings, "GAZETTE_PUBLISHER_CODE", "") or settings.VGP_HOME_AGENCY_CODE
    return Agency.objects.filter(code=code).first() if code else None


def issue_url(issue: GazetteIssue) -> str:
    """The issue's public address in the installation's language (printed on every page)."""
    base = str(getattr(settings, "GAZETTE_SITE_URL", settings.WAGTAILADMIN_BASE_URL))
    with translation.override(settings.LANGUAGE_CODE):
        return base.rstrip("/") + issue.get_absolute_url()


def render_pdf(
    issue: GazetteIssue, documents: Sequence[PrintedDocument], *, preview: bool = False
) -> RenderedIssue:
    """The issue's PDF, in the installation's language; ``preview`` says so on the cover."""
    language = settings.LANGUAGE_CODE
    with translation.override(language):
        if preview:
            title = _("Preview of Official Gazette No. %(number)s/%(year)s: not published") % (
                issue.number_kwargs()
            )
        else:
            title = _("Official Gazette No. %(number)s/%(year)s") % issue.number_kwargs()
    data = issue_data(
        year=issue.year,
        number=issue.number,
        issue_date=issue.issue_date,
        title=title,
        publisher=publisher(),
        site_url=issue_url(issue),
        documents=documents,
    )
    return render_issue(data, language=language)
