"""The public site's pages."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import InlinePanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from . import content_cache
from .home import home_panels


class HomePage(Page):
    """The portal's front page: one per language, the Vietnamese one is the site's root."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [
        *Page.content_panels,
        "intro",
        # news.TopStory: the e-newspaper adds the editors' choice of stories to this page.
        InlinePanel("top_stories", label=_("Top stories"), max_num=7),
    ]
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def get_view_restrictions(self) -> Any:
        return content_cache.view_restrictions(self, super().get_view_restrictions)

    def route(self, request: HttpRequest, path_components: list[str]) -> Any:
        # Wagtail loads a child's specific row before routing into it, though only the page
        # finally served needs its own fields. A child that only passes the request on (a news
        # section to its article) is routed with its specific fields left to load on use.
        if not path_components:
            return super().route(request, path_components)
        child = self.get_children().filter(slug=path_components[0]).first()
        if child is None:
            raise Http404
        child._cached_parent_obj = self  # treebeard's get_parent() reads it
        rest = path_components[1:]
        if not rest:
            return child.specific.route(request, rest)
        result = child.specific_deferred.route(request, rest)
        if result.page.pk == child.pk:
            # The child serves a sub-route of its own: load its fields in one query, not one
            # query per field on first use.
            result.page = child.specific
        return result

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["panels"] = home_panels(self, request)
        return context
