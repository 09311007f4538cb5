"""The public search form of the legal documents database (a GET form; every field optional).

Filters arrive as repeated parameters (``?type=7&type=9``), the values the facets show: ids of
document types and sectors, index keys of issuers, years, validity and category values. A value
that cannot be read is reported on its field and left out of the search; the rest still runs, so
a mistyped address (``?page=abc``) shows results and says what was ignored, never an error page.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from . import queries
from .models import Category, Validity
from .numbering import FIRST_YEAR, max_year

MAX_QUERY_LENGTH = 200
MAX_VALUES = 50  # per filter: more than anyone ticks; bounds the work a crafted URL can ask

KIND_DOCUMENTS = "documents"
KIND_ARTICLES = "articles"
KINDS = {KIND_DOCUMENTS: queries.KIND_DOCUMENT, KIND_ARTICLES: queries.KIND_ARTICLE}


class MultipleValuesField(forms.Field):
    """Repeated query parameters (``?type=1&type=2``), each checked by ``convert``."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "invalid": _("Choose a value from the list."),
        "too_many": _("Choose at most %(limit)d values."),
    }

    def __init__(self, *, convert: Any, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.convert = convert

    def to_python(self, value: Any) -> list[Any]:
        if not value:
            return []
        values = [value] if isinstance(value, str) else list(value)
        values = [v.strip() for v in values if v and v.strip()]
        if len(values) > MAX_VALUES:
            raise forms.ValidationError(
                self.error_messages["too_many"], code="too_many", params={"limit": MAX_VALUES}
            )
        found: list[Any] = []
        for raw in values:
            try:
                converted = self.convert(raw)
            except (TypeError, ValueError):
                raise forms.ValidationError(
                    self.error_messages["invalid"], code="invalid"
                ) from None
            if converted not in found:
                found.append(converted)
        return found


def _positive_int(raw: str) -> int:
    value = int(raw)
    if value < 1:
        raise ValueError(raw)
    return value


def _year(raw: str) -> int:
    value = int(raw)
    if not FIRST_YEAR <= value <= max_year():
        raise ValueError(raw)
    return value


def _choice(values: list[str]) -> Any:
    def convert(raw: str) -> str:
        if raw not in values:
            raise ValueError(raw)
        return raw

    return convert


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Number, title or words of the text"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        strip=True,
        help_text=_(
            "For example 83/2008/QĐ-TTg, or “bảo vệ môi trường”. Diacritics are optional; put a "
            "phrase in quotation marks to find it exactly."
        ),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        error_messages={"max_length": _("Type at most %(limit_value)d characters.")},
    )
    kind = forms.ChoiceField(
        label=_("Search in"),
        required=False,
        choices=[
            (KIND_DOCUMENTS, _("Whole documents")),
            (KIND_ARTICLES, _("Articles (Điều)")),
        ],
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose documents or articles.")},
    )
    type = MultipleValuesField(
        label=_("Type"),
        convert=_positive_int,
        error_messages={"invalid": _("Choose document types from the list.")},
    )
    issuer = MultipleValuesField(
        label=_("Issuer"),
        convert=_positive_int,
        error_messages={"invalid": _("Choose issuing bodies from the list.")},
    )
    year = MultipleValuesField(
        label=_("Year of issue"),
        convert=_year,
    )
    status = MultipleValuesField(
        label=_("Validity"),
        convert=_choice(list(Validity.values)),
        error_messages={"invalid": _("Choose a validity status from the list.")},
    )
    category = MultipleValuesField(
        label=_("Category"),
        convert=_choice(list(Category.values)),
        error_messages={"invalid": _("Choose a category from the list.")},
    )
    sector = MultipleValuesField(
        label=_("Sector"),
        convert=_positive_int,
        error_messages={"invalid": _("Choose sectors from the list.")},
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=list(queries.SORTS.items()),
        error_messages={"invalid_choice": _("Choose an order from the list.")},
    )
    page = forms.IntegerField(
        label=_("Page"),
        required=False,
        min_value=1,
        max_value=queries.MAX_PAGE,
        widget=forms.HiddenInput,
        error_messages={
            "invalid": _("The page number must be a whole number: 1, 2, 3…"),
            "min_value": _("The page number must be a whole number: 1, 2, 3…"),
            "max_value": _(
                "Results are listed up to page %(limit_value)s; add words or filters to narrow "
                "the search."
            ),
        },
    )

    FILTERS = ("type", "issuer", "year", "status", "category", "sector")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The year's bounds move with the calendar: read them when the form is made.
        self.fields["year"].error_messages["invalid"] = _(
            "Enter a year between %(first)d and %(last)d."
        ) % {"first": FIRST_YEAR, "last": max_year()}

    def value(self, name: str, default: Any = None) -> Any:
        """A field's cleaned value, or ``default`` when it was missing or invalid."""
        data = getattr(self, "cleaned_data", {})
        found = data.get(name)
        return default if found in (None, "", []) else found

    @property
    def query(self) -> str:
        return str(self.value("q", ""))

    @property
    def kind_value(self) -> str:
        return str(self.value("kind", KIND_DOCUMENTS))

    @property
    def sort_value(self) -> str:
        """Relevance for a query; newest first when listing without one."""
        return str(self.value("sort", "relevance" if self.query else "newest"))

    @property
    def has_filters(self) -> bool:
        return any(self.value(name) for name in self.FILTERS)

    def search_params(self) -> queries.SearchParams:
        """What to ask the index, from the fields that could be read (call after is_valid)."""
        return queries.SearchParams(
            q=self.query,
            kind=KINDS.get(self.kind_value, queries.KIND_DOCUMENT),
            types=self.value("type", []),
            issuers=self.value("issuer", []),
            years=self.value("year", []),
            statuses=self.value("status", []),
            categories=self.value("category", []),
            sectors=self.value("sector", []),
            sort=self.sort_value,
            page=int(self.value("page", 1)),
        )

    def describe_errors(self) -> None:
        """Tie each field's error message to its input for screen readers."""
        for name in self.errors:
            if name in self.fields:
                field_id = self[name].auto_id
                described_by = [f"{field_id}_error"]
                if self.fields[name].help_text:
                    described_by.insert(0, f"{field_id}_helptext")
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = " ".join(described_by)
