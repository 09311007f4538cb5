"""A Wagtail viewset that can only list and inspect: for records nobody may change by hand."""

from __future__ import annotations

from typing import Any

from django.urls import path
from wagtail.admin.viewsets.model import ModelViewSet


class ReadOnlyModelViewSet(ModelViewSet):
    """List, results and inspect views only; add/edit/delete URLs are not routed at all.

    ``pk_converter`` is the URL converter of the primary key; ``extra_urlpatterns`` adds the
    viewset's own read-side actions (a verification, a retry).
    """

    inspect_view_enabled = True
    copy_view_enabled = False
    pk_converter = "int"

    def get_common_view_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        # No view may even link to writing.
        for name in ("add", "edit", "delete", "history", "usage", "copy"):
            view_kwargs[f"{name}_url_name"] = None
        return view_kwargs

    def extra_urlpatterns(self) -> list[Any]:
        return []

    def get_urlpatterns(self) -> list[Any]:
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path(f"inspect/<{self.pk_converter}:pk>/", self.inspect_view, name="inspect"),
            *self.extra_urlpatterns(),
        ]
