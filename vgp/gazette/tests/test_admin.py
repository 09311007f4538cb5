"""The gazette desk in the back office: issues and received documents, for editors only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from vgp.gazette import actions
from vgp.gazette.models import GazetteEntry, GazetteIssue, GazetteSubmission, IssueStatus
from vgp.gazette.testing import make_issue

pytestmark = pytest.mark.django_db

XHR = {"x-requested-with": "XMLHttpRequest"}


@pytest.fixture(autouse=True)
def _password_only(settings):
    # The second factor has its own tests; here the officials sign in with a password.
    settings.VGP_REQUIRE_2FA = False


def issue_form(year: int, number: int, issue_date: dt.date, documents=(), pending=()) -> dict:
    data = nested_form_data(
        {
            "year": year,
            "number": number,
            "issue_date": issue_date.strftime("%d/%m/%Y"),
            "entries": inline_formset(
                [{"document": d.pk, "ORDER": str(i + 1)} for i, d in enumerate(documents)]
            ),
        }
    )
    data["pending"] = [str(s.pk) for s in pending]
    return data


def test_an_editor_sees_the_issues_with_filters(client, gazette_editor, published_issue):
    client.force_login(gazette_editor)

    response = client.get(reverse("gazette_issues:index"))
    filtered = client.get(reverse("gazette_issues:index"), {"status": IssueStatus.DRAFT})

    assert response.status_code == 200
    assert reverse("gazette_issues:inspect", args=[published_issue.pk]) in response.content.decode()
    assert list(filtered.context["object_list"]) == []
    menu = client.get("/quan-tri/").content.decode()
    assert reverse("gazette_issues:index") in menu
    assert reverse("gazette_submissions:index") in menu


def test_the_new_issue_form_suggests_the_next_number_and_lists_pending_documents_first(
    client, gazette_editor, documents, draft_issue
):
    actions.receive_for_gazette(
        gazette_editor, document=documents.letter, received_on=timezone.localdate()
    )
    client.force_login(gazette_editor)

    response = client.get(reverse("gazette_issues:add"))

    assert response.status_code == 200
    form = response.context["form"]
    assert form["number"].value() == 2
    assert form["year"].value() == timezone.localdate().year
    html = response.content.decode()
    assert "Công văn 1925/VPCP-KGVX" in html
    assert html.index('name="pending"') < html.index("entries-TOTAL_FORMS")


def test_an_editor_creates_an_issue_from_the_form_through_the_action(
    client, gazette_editor, documents
):
    submission = actions.receive_for_gazette(
        gazette_editor, document=documents.letter, received_on=timezone.localdate()
    )
    client.force_login(gazette_editor)
    today = timezone.localdate()

    response = client.post(
        reverse("gazette_issues:add"),
        issue_form(
            today.year,
            3,
            today,
            documents=[documents.decision, documents.decree],
            pending=[submission],
        ),
    )

    assert response.status_code == 302, response.context["form"].errors
    issue = GazetteIssue.objects.get(year=today.year, number=3)
    assert response["Location"] == reverse("gazette_issues:inspect", args=[issue.pk])
    assert list(
        GazetteEntry.objects.filter(issue=issue)
        .order_by("sort_order")
        .values_list("document_id", flat=True)
    ) == [documents.decision.pk, documents.decree.pk, documents.letter.pk]


def test_the_form_shows_what_the_action_refuses(client, gazette_editor, documents):
    client.force_login(gazette_editor)
    today = timezone.localdate()

    response = client.post(
        reverse("gazette_issues:add"), issue_form(today.year, 4, today, documents=[documents.draft])
    )

    assert response.status_code == 200
    assert "chưa được xuất bản trong cơ sở dữ liệu văn bản" in response.content.decode()
    assert not GazetteIssue.objects.filter(number=4).exists()


def test_editing_a_draft_changes_its_documents(client, gazette_editor, documents, draft_issue):
    client.force_login(gazette_editor)
    url = reverse("gazette_issues:edit", args=[draft_issue.pk])
    assert client.get(url).status_code == 200

    response = client.post(
        url,
        issue_form(draft_issue.year, 1, draft_issue.issue_date, documents=[documents.letter]),
    )

    assert response.status_code == 302
    assert list(
        GazetteEntry.objects.filter(issue=draft_issue).values_list("document_id", flat=True)
    ) == [documents.letter.pk]


def test_an_issue_in_review_or_published_opens_on_its_summary(
    client, gazette_editor, published_issue
):
    client.force_login(gazette_editor)

    response = client.get(reverse("gazette_issues:edit", args=[published_issue.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("gazette_issues:inspect", args=[published_issue.pk])
    summary = client.get(response["Location"])
    assert summary.status_code == 200
    html = summary.content.decode()
    assert published_issue.get_pdf_url() in html and published_issue.pdf_sha256 in html


def test_submit_then_publish_by_another_editor(client, gazette_editor, second_editor, draft_issue):
    client.force_login(gazette_editor)
    inspect = reverse("gazette_issues:inspect", args=[draft_issue.pk])
    assert (
        reverse("gazette_issues:submit", args=[draft_issue.pk])
        in client.get(inspect).content.decode()
    )

    response = client.post(
        reverse("gazette_issues:submit", args=[draft_issue.pk]), {"confirm": "on"}
    )
    assert response.status_code == 302
    draft_issue.refresh_from_db()
    assert draft_issue.status == IssueStatus.IN_REVIEW

    # The submitter is sent back with the four-eyes rule; the publish screen does not open.
    publish = reverse("gazette_issues:publish", args=[draft_issue.pk])
    refused = client.get(publish, follow=True)
    assert "một biên tập viên Công báo khác" in refused.content.decode()

    client.force_login(second_editor)
    assert client.get(publish).status_code == 200
    assert client.post(publish, {}).status_code == 200  # the confirmation box is required
    response = client.post(publish, {"confirm": "on"})
    assert response.status_code == 302
    draft_issue.refresh_from_db()
    assert draft_issue.status == IssueStatus.PUBLISHED
    assert draft_issue.published_by == second_editor


def test_a_reviewer_returns_an_issue_with_a_reason(
    client, gazette_editor, second_editor, draft_issue
):
    actions.submit_for_review(gazette_editor, draft_issue)
    client.force_login(second_editor)
    url = reverse("gazette_issues:return", args=[draft_issue.pk])

    without = client.post(url, {"reason": ""})
    response = client.post(url, {"reason": "Sắp xếp lại theo thứ tự ban hành."})

    assert without.status_code == 200 and "Hãy nêu lý do" in without.content.decode()
    assert response.status_code == 302
    draft_issue.refresh_from_db()
    assert draft_issue.status == IssueStatus.DRAFT
    client.force_login(gazette_editor)
    summary = client.get(reverse("gazette_issues:inspect", args=[draft_issue.pk]))
    assert "Sắp xếp lại theo thứ tự ban hành." in summary.content.decode()


def test_the_preview_is_a_pdf_not_stored(client, gazette_editor, draft_issue):
    client.force_login(gazette_editor)

    response = client.get(reverse("gazette_issues:preview", args=[draft_issue.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    draft_issue.refresh_from_db()
    assert not draft_issue.pdf


def test_the_received_documents_list_and_form(
    client, gazette_editor, documents, ministry_of_finance
):
    client.force_login(gazette_editor)
    today = timezone.localdate()

    response = client.post(
        reverse("gazette_submissions:add"),
        {
            "document": documents.decree.pk,
            "received_on": today.strftime("%d/%m/%Y"),
            "sending_agency": ministry_of_finance.pk,
            "note": "Bản giấy kèm theo.",
        },
    )

    assert response.status_code == 302
    submission = GazetteSubmission.objects.get()
    assert submission.due_on == today + dt.timedelta(days=15)
    assert submission.received_by == gazette_editor
    listing = client.get(reverse("gazette_submissions:index"), {"state": "waiting"})
    assert listing.status_code == 200
    assert "Nghị định 08/2022/NĐ-CP" in listing.content.decode()
    published = client.get(reverse("gazette_submissions:index"), {"state": "published"})
    assert list(published.context["object_list"]) == []
    edit = client.get(reverse("gazette_submissions:edit", args=[submission.pk]))
    assert edit.status_code == 200


@pytest.mark.parametrize(
    "name",
    ["gazette_issues:index", "gazette_issues:add", "gazette_submissions:index"],
)
def test_a_citizen_is_turned_away(client, citizen, name):
    client.force_login(citizen)

    assert client.get(reverse(name), headers=XHR).status_code == 403
    response = client.get(reverse(name))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_an_official_without_the_gazette_role_is_refused(client, clerk, draft_issue):
    client.force_login(clerk)

    for url in (
        reverse("gazette_issues:index"),
        reverse("gazette_issues:inspect", args=[draft_issue.pk]),
        reverse("gazette_issues:submit", args=[draft_issue.pk]),
        reverse("gazette_issues:preview", args=[draft_issue.pk]),
        reverse("gazette_submissions:index"),
    ):
        assert client.get(url, headers=XHR).status_code == 403, url


@pytest.fixture
def published_issue_2(gazette_editor, second_editor, documents):
    """Issue 2 of this year, published, with the letter."""
    return make_issue(
        [documents.letter],
        submitter=gazette_editor,
        publisher=second_editor,
        issue_date=timezone.localdate(),
        number=2,
    )


def test_a_draft_is_deleted_through_the_action_and_a_published_issue_is_not(
    client, gazette_editor, draft_issue, published_issue_2
):
    client.force_login(gazette_editor)

    response = client.post(reverse("gazette_issues:delete", args=[draft_issue.pk]))
    refused = client.post(reverse("gazette_issues:delete", args=[published_issue_2.pk]))

    assert response.status_code == 302
    assert not GazetteIssue.objects.filter(pk=draft_issue.pk).exists()
    assert refused.status_code == 302
    assert GazetteIssue.objects.filter(pk=published_issue_2.pk).exists()
