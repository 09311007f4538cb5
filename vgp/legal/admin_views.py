"""The legal documents database in the back office (/quan-tri/van-ban-phap-luat/).

- **Documents**: a Wagtail snippet with drafts, revisions, locking, preview and the workflow
  "Kiểm tra văn bản" (``editorial.py``). The form is the model's: ``LegalDocument.clean`` and
  ``DocumentRelation.clean`` give the field errors. The list stays fast on 200,000 documents:
  one page of rows with their type and issuer joined, the workflow states of that page in one
  query, and the long text columns left unread.
- **Document types** and **sectors**: plain lists for IT administrators (and sectors for the
  legal editors).
- **Import runs**: what each ``import_legal`` did, read-only.

Search in the lists and in the document chooser (:func:`search_documents`) matches the number
in any spelling ("83/2008/qd-ttg", "QĐ-TTg") and every word of the title; a query typed without
diacritics also finds published documents through the full-text index.
"""

from __future__ import annotations

import logging
from typing import Any, cast

import django_filters
from django import forms
from django.contrib.admin.utils import quote
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import InvalidPage
from django.db.models import CharField, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    Panel,
    TabbedInterface,
)
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, StatusTagColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.models import Revision, WorkflowState
from wagtail.snippets.views import chooser as snippet_chooser_views
from wagtail.snippets.views import snippets as snippet_views

from vgp.accounts.permissions import ScopedPermissionPolicy, can
from vgp.agencies import queries as agency_queries
from vgp.agencies.models import Agency, AgencyQuerySet
from vgp.core.readonly_admin import ReadOnlyModelViewSet
from vgp.core.text import fold, terms

from . import editorial
from .models import (
    REVERSE_LABELS,
    Category,
    DocumentRelation,
    DocumentType,
    ImportRun,
    LegalDocument,
    RelationKind,
    Sector,
    Validity,
)
from .numbering import VN_TZ, normalize_spelling

logger = logging.getLogger(__name__)

# How many published documents a search typed without diacritics may add from the index.
FOLDED_SEARCH_LIMIT = 200


# --- Permissions ----------------------------------------------------------------------------


class LegalDocumentPermissionPolicy(ScopedPermissionPolicy):
    """The roles' permissions, plus "unpublish": publish rights, or the right to take off line.

    Wagtail asks for "publish" to unpublish; IT administrators may take a document off line
    (``legal.unpublish_legaldocument``) without being able to publish one.
    """

    def _can_unpublish(self, user: Any, instance: Any = None) -> bool:
        return can(user, self._perm("publish"), instance) or can(
            user, editorial.UNPUBLISH_PERMISSION, instance
        )

    def user_has_permission(self, user: Any, action: str) -> bool:
        if action == "unpublish":
            return self._can_unpublish(user)
        return super().user_has_permission(user, action)

    def user_has_permission_for_instance(self, user: Any, action: str, instance: Any) -> bool:
        if action == "unpublish":
            return self._can_unpublish(user, instance)
        return super().user_has_permission_for_instance(user, action, instance)


class ReadOnlyPermissionPolicy(ScopedPermissionPolicy):
    """Records written by commands (import runs): listed and inspected, never edited here."""

    def user_has_permission(self, user: Any, action: str) -> bool:
        return action == "view" and super().user_has_permission(user, action)

    def user_has_permission_for_instance(self, user: Any, action: str, instance: Any) -> bool:
        return action == "view" and super().user_has_permission_for_instance(user, action, instance)

    def instances_user_has_permission_for(self, user: Any, action: str) -> Any:
        if action != "view":
            return self.model._default_manager.none()
        return super().instances_user_has_permission_for(user, action)


legal_document_permission_policy = LegalDocumentPermissionPolicy(LegalDocument)
document_type_permission_policy = ScopedPermissionPolicy(DocumentType)
sector_permission_policy = ScopedPermissionPolicy(Sector)
import_run_permission_policy = ReadOnlyPermissionPolicy(ImportRun)


# --- Search ---------------------------------------------------------------------------------


def search_documents(queryset: QuerySet[LegalDocument], query: str) -> QuerySet[LegalDocument]:
    """Documents whose number matches ``query`` or whose title holds each of its words."""
    text = " ".join((query or "").split())
    if not text:
        return queryset
    # The number in any spelling: the stored key is folded ("83/2008/qd-ttg") and indexed.
    number = Q(symbol_key__contains=normalize_spelling(text))
    if " " not in text and ("/" in text or "-" in text):
        return queryset.filter(number)  # a number or symbol alone: only the key's index is read
    words = Q()
    for word in text.split():
        words &= Q(title__icontains=word) | Q(symbol_key__contains=fold(word))
    condition = number | words
    if text.isascii() and terms(text) and any(ch.isalpha() for ch in text):
        # The database cannot ignore diacritics ("nghi dinh" for "Nghị định"); the index can.
        condition |= Q(pk__in=_folded_matches(text))
    return queryset.filter(condition)


def _folded_matches(text: str) -> list[int]:
    from vgp.search.engine import Query, get_index

    from . import search_index

    try:
        result = get_index(search_index.DOCUMENTS).search(
            Query(text=text, limit=FOLDED_SEARCH_LIMIT)
        )
    except Exception:  # an index being rebuilt must not break the list
        logger.warning("Legal documents index unavailable for the admin search", exc_info=True)
        return []
    return [hit.id for hit in result.hits]


class DocumentSearchForm(BaseFilterForm):
    """The chooser's search box (documents are not in Wagtail's search backend)."""

    q = forms.CharField(
        label=_("Number or title"),
        widget=forms.TextInput(attrs={"placeholder": _("e.g. 83/2008/QĐ-TTg or land")}),
        required=False,
    )

    def filter(self, objects: QuerySet[Any]) -> QuerySet[Any]:
        objects = super().filter(objects)
        query = (self.cleaned_data.get("q") or "").strip()
        if query:
            objects = search_documents(objects, query)
            self.is_searching = True
            self.search_query = query
        return objects


class AgencySearchForm(BaseFilterForm):
    q = forms.CharField(
        label=_("Code, name or abbreviation"),
        widget=forms.TextInput(attrs={"placeholder": _("e.g. Bộ Tài chính or BTC")}),
        required=False,
    )

    def filter(self, objects: QuerySet[Any]) -> QuerySet[Any]:
        objects = super().filter(objects)
        query = (self.cleaned_data.get("q") or "").strip()
        if query:
            objects = agency_queries.search(cast(AgencyQuerySet, objects), query)
            self.is_searching = True
            self.search_query = query
        return objects


# --- Listing --------------------------------------------------------------------------------


def _publication_status(document: LegalDocument) -> str:
    """Wagtail's ``status_string`` from what the list query loaded (no query per row)."""
    scheduled = getattr(document, "_scheduled", False)
    in_moderation = document.workflow_in_progress  # reads the prefetched states
    if not document.live:
        if document.expired:
            return gettext("expired")
        if scheduled:
            return gettext("scheduled")
        return gettext("in moderation") if in_moderation else gettext("draft")
    if scheduled:
        return gettext("live + scheduled")
    if in_moderation:
        return gettext("live + in moderation")
    return gettext("live + draft") if document.has_unpublished_changes else gettext("live")


def publication_status_column() -> StatusTagColumn:
    return StatusTagColumn(
        "publication",
        label=_("Status"),
        accessor=_publication_status,
        sort_key="live",
        primary=lambda document: document.live,
    )


def with_list_data(queryset: QuerySet[LegalDocument]) -> QuerySet[LegalDocument]:
    """What a list of documents shows, in a fixed number of queries whatever its length."""
    content_type = ContentType.objects.get_for_model(LegalDocument, for_concrete_model=False)
    scheduled = Revision.objects.filter(
        content_type=content_type,
        object_id=Cast(OuterRef("pk"), output_field=CharField()),
        approved_go_live_at__isnull=False,
    )
    return (
        queryset.select_related("doc_type", "issuer")
        .defer("body", "summary", "title_en", "source_url")
        .annotate(_scheduled=Exists(scheduled))
        .prefetch_related(
            Prefetch(
                "_workflow_states",
                queryset=WorkflowState.objects.active().select_related("current_task_state__task"),
                to_attr="_current_workflow_states",
            )
        )
    )


def page_of_ids(queryset: QuerySet[LegalDocument]) -> QuerySet[Any]:
    """The ids of ``queryset`` in its order: what the paginator walks.

    Ordering 200,000 full rows means reading every long text (SQLite keeps them in the row);
    ordering their ids by date reads the index ``legal_live_issued`` only. The rows of the one
    page shown are then loaded by :func:`rows_in_order`.
    """
    return queryset.prefetch_related(None).values_list("pk", flat=True)


def rows_in_order(queryset: QuerySet[LegalDocument], ids: Any) -> list[LegalDocument]:
    wanted = list(ids)
    found = {document.pk: document for document in queryset.order_by().filter(pk__in=wanted)}
    return [found[pk] for pk in wanted if pk in found]


def _number_label(document: LegalDocument) -> str:
    return document.number_symbol or gettext("(no number)")


def _short_title(document: LegalDocument) -> str:
    return Truncator(document.title).chars(140)


def _issued(document: LegalDocument) -> str:
    return document.issued_date.strftime("%d/%m/%Y") if document.issued_date else ""


class LegalDocumentFilterSet(WagtailFilterSet):
    doc_type = django_filters.ModelChoiceFilter(
        label=_("Type"), queryset=DocumentType.objects.order_by("rank", "name")
    )
    status = django_filters.ChoiceFilter(label=_("Validity"), choices=Validity.choices)
    category = django_filters.ChoiceFilter(label=_("Category"), choices=Category.choices)
    live = django_filters.ChoiceFilter(
        label=_("Publication"),
        choices=[("true", _("Published")), ("false", _("Not published"))],
        method="filter_live",
    )

    class Meta:
        model = LegalDocument
        fields = ["doc_type", "status", "category", "live"]

    def filter_live(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(live=value == "true")


class LegalDocumentIndexView(snippet_views.IndexView):
    default_ordering = "-issued_date"

    def get_base_queryset(self) -> QuerySet[LegalDocument]:
        return with_list_data(super().get_base_queryset())

    def order_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        queryset = super().order_queryset(queryset)
        # Pages must not overlap: documents of the same date keep the newest first.
        return queryset.order_by(*queryset.query.order_by, "-pk")

    def search_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if not self.is_searching:
            return queryset
        return search_documents(queryset, self.search_query)

    def paginate_queryset(self, queryset: QuerySet[Any], page_size: int) -> Any:
        paginator, page, ids, is_paginated = super().paginate_queryset(
            page_of_ids(queryset), page_size
        )
        page.object_list = rows_in_order(queryset, ids)
        return paginator, page, page.object_list, is_paginated

    def _get_title_column(
        self, field_name: str, column_class: Any = TitleColumn, **kwargs: Any
    ) -> Any:
        kwargs.setdefault("accessor", _number_label)
        return super()._get_title_column(field_name, column_class, **kwargs)

    def get_list_more_buttons(self, instance: LegalDocument) -> list[Any]:
        buttons = list(super().get_list_more_buttons(instance))
        if instance.live:
            buttons.append(
                MenuItem(
                    gettext("View live"),
                    url=instance.get_absolute_url(),
                    icon_name="doc-empty",
                    priority=15,
                )
            )
            if legal_document_permission_policy.user_has_permission_for_instance(
                self.request.user, "unpublish", instance
            ):
                buttons.append(
                    MenuItem(
                        gettext("Unpublish"),
                        url=reverse(
                            LegalDocument.snippet_viewset.get_url_name("unpublish"),
                            args=(quote(instance.pk),),
                        ),
                        icon_name="download",
                        priority=40,
                    )
                )
        return buttons


class LegalDocumentUnpublishView(snippet_views.UnpublishView):
    """Unpublish for those who may publish, and for those who may only take off line."""

    permission_required = "unpublish"


# --- Choosers -------------------------------------------------------------------------------


class DocumentChooserMixin:
    """The chooser's list: searched like the admin list, paged by id (see page_of_ids)."""

    filter_form_class = DocumentSearchForm
    per_page: int
    paginator_class: Any

    def get_object_list(self) -> QuerySet[LegalDocument]:
        return with_list_data(LegalDocument.objects.order_by("-issued_date", "-pk"))

    def get_results_page(self, request: Any) -> Any:
        objects = self.filter_object_list(self.get_object_list())  # type: ignore[attr-defined]
        self.paginator = self.paginator_class(page_of_ids(objects), per_page=self.per_page)
        try:
            page = self.paginator.page(request.GET.get("p", 1))
        except InvalidPage as error:
            raise Http404 from error
        page.object_list = rows_in_order(objects, page.object_list)
        return page

    @property
    def columns(self) -> list[Any]:
        return [self.title_column, publication_status_column()]  # type: ignore[attr-defined]


class DocumentChooseView(DocumentChooserMixin, snippet_chooser_views.ChooseView):
    pass


class DocumentChooseResultsView(DocumentChooserMixin, snippet_chooser_views.ChooseResultsView):
    pass


class DocumentChooserViewSet(snippet_chooser_views.SnippetChooserViewSet):
    choose_view_class = DocumentChooseView
    choose_results_view_class = DocumentChooseResultsView
    choose_one_text = _("Choose a legal document")
    choose_another_text = _("Choose another document")


class AgencyChooseView(chooser_views.ChooseView):
    filter_form_class = AgencySearchForm


class AgencyChooseResultsView(chooser_views.ChooseResultsView):
    filter_form_class = AgencySearchForm


class AgencyChooserViewSet(ChooserViewSet):
    """The issuing agency, chosen from the registry (searched like the registry's list)."""

    model = Agency
    icon = "site"
    choose_view_class = AgencyChooseView
    choose_results_view_class = AgencyChooseResultsView
    choose_one_text = _("Choose the issuing agency")
    choose_another_text = _("Choose another agency")
    per_page = 20
    # Only the issuer field uses this chooser; other agency fields keep their own widgets.
    register_widget = False

    def get_object_list(self) -> QuerySet[Agency]:
        return Agency.objects.order_by("code")


agency_chooser_viewset = AgencyChooserViewSet("legal_agency_chooser", url_prefix="co-quan-ban-hanh")


# --- The document's form --------------------------------------------------------------------


class IncomingRelationsPanel(Panel):
    """Read-only: the documents that amend, replace, repeal, guide or build on this one."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "legal/admin/incoming_relations.html"

        def is_shown(self) -> bool:
            return bool(self.instance.pk)  # a new document has no one referring to it yet

        def get_context_data(self, parent_context: Any = None) -> Any:
            context = super().get_context_data(parent_context)
            rows = []
            if self.instance.pk:
                incoming = (
                    DocumentRelation.objects.filter(target_id=self.instance.pk)
                    .select_related("source__doc_type")
                    .order_by("-source__issued_date", "source_id", "pk")
                )
                for relation in incoming:
                    rows.append(
                        {
                            "label": REVERSE_LABELS.get(
                                RelationKind(relation.kind), relation.get_kind_display()
                            ),
                            "source": relation.source,
                            "partial": relation.partial,
                            "note": relation.note,
                            "url": reverse(
                                LegalDocument.snippet_viewset.get_url_name("edit"),
                                args=(quote(relation.source_id),),
                            ),
                        }
                    )
            context["incoming"] = rows
            return context


# The full text is plain text, one unit per line: a fixed-width face keeps numbering aligned.
_BODY_WIDGET = forms.Textarea(
    attrs={
        "rows": 32,
        "class": "vgp-legal-body",
        "spellcheck": "false",
        "style": (
            # Faces that draw Vietnamese letters with two marks (ố, ề) whole come first.
            'font-family: ui-monospace, Consolas, "Cascadia Mono", "Noto Sans Mono", '
            '"Courier New", "DejaVu Sans Mono", monospace; '
            "font-size: 0.875rem; line-height: 1.5; min-height: 40rem"
        ),
    }
)


class Tab(ObjectList):
    """A tab whose anchor (``#tab-<name>``) stays the same in every language.

    Wagtail derives a tab's anchor from its heading, which is translated; links to a tab and
    the editor's remembered tab would change with the language.
    """

    def __init__(self, *args: Any, name: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.name = name

    def clone_kwargs(self) -> dict[str, Any]:
        return {**super().clone_kwargs(), "name": self.name}

    @property
    def clean_name(self) -> str:
        return self.name


LEGAL_DOCUMENT_EDIT_HANDLER = TabbedInterface(
    [
        Tab(
            [
                FieldPanel("number_symbol"),
                FieldRowPanel([FieldPanel("doc_type"), FieldPanel("category")]),
                MultiFieldPanel(
                    [
                        FieldPanel("issuer", widget=agency_chooser_viewset.widget_class),
                        FieldPanel("issuer_name"),
                        FieldRowPanel([FieldPanel("signer_name"), FieldPanel("signer_position")]),
                    ],
                    heading=_("Issuer and signer"),
                ),
                FieldPanel("title", widget=forms.Textarea(attrs={"rows": 2})),
                FieldPanel("title_en", widget=forms.Textarea(attrs={"rows": 2})),
                FieldPanel("summary", widget=forms.Textarea(attrs={"rows": 4})),
                FieldRowPanel(
                    [
                        FieldPanel("issued_date"),
                        FieldPanel("effective_date"),
                        FieldPanel("expiry_date"),
                    ],
                    heading=_("Dates"),
                ),
                FieldPanel("sectors", widget=forms.CheckboxSelectMultiple),
                FieldPanel("source_url"),
            ],
            heading=_("Metadata"),
            name="metadata",
        ),
        Tab([FieldPanel("body", widget=_BODY_WIDGET)], heading=_("Full text"), name="full_text"),
        Tab(
            [
                InlinePanel(
                    "relations",
                    heading=_("This document…"),
                    label=_("Relation"),
                    panels=[
                        FieldRowPanel([FieldPanel("kind"), FieldPanel("partial")]),
                        FieldPanel("target"),
                        FieldPanel("target_reference"),
                        FieldPanel("note"),
                    ],
                ),
                IncomingRelationsPanel(heading=_("Other documents about this one")),
            ],
            heading=_("Relations"),
            name="relations",
        ),
        Tab(
            [
                InlinePanel(
                    "attachments",
                    heading=_("Files"),
                    label=_("File"),
                    panels=[
                        FieldPanel("file"),
                        FieldPanel("title"),
                        FieldPanel("is_original"),
                    ],
                )
            ],
            heading=_("Attachments"),
            name="attachments",
        ),
    ]
)


# --- Viewsets -------------------------------------------------------------------------------


class LegalDocumentViewSet(snippet_views.SnippetViewSet):
    model = LegalDocument
    icon = "doc-full"
    menu_label = pgettext_lazy("legal documents menu", "Documents")
    menu_order = 100
    base_url_path = "van-ban-phap-luat/van-ban"
    admin_url_namespace = "legal_documents"
    chooser_base_url_path = "van-ban-phap-luat/chon-van-ban"
    chooser_admin_url_namespace = "legal_document_chooser"
    chooser_viewset_class = DocumentChooserViewSet
    chooser_per_page = 20
    index_view_class = LegalDocumentIndexView
    unpublish_view_class = LegalDocumentUnpublishView
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_fields = [
        "number_symbol",
        "doc_type",
        "category",
        "issuer",
        "issuer_name",
        "title",
        "issued_date",
        "effective_date",
        "expiry_date",
        "status",
        "live",
        "source_url",
    ]
    list_per_page = 30
    filterset_class = LegalDocumentFilterSet
    search_fields = ["number_symbol", "title"]
    search_backend_name = None
    list_display = [
        "number_symbol",
        Column("title", label=_("Title"), accessor=_short_title, sort_key="title"),
        Column("doc_type", label=_("Type"), accessor="doc_type.name", sort_key="doc_type__rank"),
        Column("issuer", label=_("Issuer"), accessor="issuer_label"),
        Column("issued_date", label=_("Issued"), accessor=_issued, sort_key="issued_date"),
        StatusTagColumn(
            "status",
            label=_("Validity"),
            accessor="get_status_display",
            primary=lambda document: document.status == Validity.IN_FORCE,
            sort_key="status",
        ),
        # Wagtail's own live/draft column asks the database twice per row; this one does not.
        publication_status_column(),
    ]
    list_export = [
        "number_symbol",
        "title",
        "doc_type",
        "issuer_label",
        "issued_date",
        "effective_date",
        "expiry_date",
        "status",
        "live",
    ]
    edit_handler = LEGAL_DOCUMENT_EDIT_HANDLER


class DocumentTypeViewSet(ModelViewSet):
    model = DocumentType
    icon = "tag"
    menu_label = _("Document types")
    menu_order = 200
    url_prefix = "van-ban-phap-luat/loai-van-ban"
    url_namespace = "legal_document_types"
    copy_view_enabled = False
    form_fields = ["name", "name_en", "abbreviation", "category", "rank"]
    list_display = ["name", "abbreviation", "name_en", "category", "rank"]
    search_fields = ["name", "name_en", "abbreviation"]
    search_backend_name = None
    list_per_page = 50


class SectorViewSet(ModelViewSet):
    model = Sector
    icon = "folder-open-inverse"
    menu_label = _("Sectors")
    menu_order = 300
    url_prefix = "van-ban-phap-luat/linh-vuc"
    url_namespace = "legal_sectors"
    copy_view_enabled = False
    form_fields = ["name", "name_en", "slug"]
    list_display = ["name", "name_en", "slug"]
    search_fields = ["name", "name_en"]
    search_backend_name = None
    list_per_page = 50


def _run_when(run: ImportRun) -> str:
    return run.started_at.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M")


def _problem_count(run: ImportRun) -> int:
    return len(run.problems or [])


class ImportRunIndexView(generic.IndexView):
    def get_base_queryset(self) -> QuerySet[ImportRun]:
        return super().get_base_queryset().select_related("started_by")


class ImportRunInspectView(generic.InspectView):
    template_name = "legal/admin/import_run_inspect.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["problems"] = self.object.problems or []
        return context

    def get_files_display_value(self) -> str:
        return ", ".join(str(name) for name in self.object.files or []) or "—"

    def get_started_by_display_value(self) -> str:
        user = self.object.started_by
        return user.get_full_name() or user.get_username() if user else gettext("a command")


class ImportRunViewSet(ReadOnlyModelViewSet):
    model = ImportRun
    icon = "download"
    menu_label = _("Import runs")
    menu_order = 400
    url_prefix = "van-ban-phap-luat/nhap"
    url_namespace = "legal_import_runs"
    index_view_class = ImportRunIndexView
    inspect_view_class = ImportRunInspectView
    list_display = [
        Column("started_at", label=_("Started"), accessor=_run_when, sort_key="started_at"),
        Column("started_by", label=_("By"), accessor="started_by"),
        "created",
        "updated",
        "rejected",
        "articles",
        Column("problems", label=_("Problems"), accessor=_problem_count),
    ]
    inspect_view_fields = [
        "started_at",
        "finished_at",
        "started_by",
        "files",
        "created",
        "updated",
        "rejected",
        "articles",
    ]
    list_per_page = 50


class LegalAdminGroup(snippet_views.SnippetViewSetGroup):
    """The "Legal documents" menu: documents, types, sectors and import runs."""

    menu_label = _("Legal documents")
    menu_icon = "doc-full"
    menu_order = 250
    items = (LegalDocumentViewSet, DocumentTypeViewSet, SectorViewSet, ImportRunViewSet)
