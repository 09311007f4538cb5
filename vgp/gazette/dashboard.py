"""The gazette editors' dashboard panel: received documents overdue or due soon."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from wagtail.admin.ui.components import Component

from vgp.accounts import permissions

from . import deadlines


class DeadlinesPanel(Component):
    """Never silent about a deadline: listed until the document is in a published issue."""

    name = "gazette_deadlines"
    template_name = "gazette/admin/deadlines_panel.html"
    order = 30

    def __init__(self, report: deadlines.DeadlineReport) -> None:
        self.report = report

    def get_context_data(self, parent_context: Any) -> dict[str, Any]:
        index = reverse("gazette_submissions:index")
        return {
            "report": self.report,
            "overdue_url": f"{index}?state={deadlines.OVERDUE}",
            "due_soon_url": f"{index}?state={deadlines.DUE_SOON}",
            "new_issue_url": reverse("gazette_issues:add"),
            "can_assemble": permissions.can(
                parent_context["request"].user, "gazette.add_gazetteissue"
            ),
        }


def panels_for(request: Any) -> list[Component]:
    if not permissions.can(request.user, "gazette.view_gazettesubmission"):
        return []
    report = deadlines.report()
    return [DeadlinesPanel(report)] if report.anything_due else []
