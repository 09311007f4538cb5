"""The news desk's review: reporter → section editor → editor-in-chief → published.

Personas (conftest ``newsroom``): Chị Châu the reporter, Chị Trang the section editor, Anh Long
the editor-in-chief, all of the Government Office.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import (
    GroupCollectionPermission,
    GroupPagePermission,
    PageLogEntry,
    TaskState,
    WorkflowState,
)

from vgp.accounts.roles import Role, group_name
from vgp.audit.models import AuditRecord
from vgp.news import editorial
from vgp.news.models import ArticlePage
from vgp.news.tests.admin_forms import page_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _password_only(settings):
    # The second factor has its own tests; here the officials sign in with a password.
    settings.VGP_REQUIRE_2FA = False


def reporter_draft(newsroom, title: str = "Hà Nội mở rộng dịch vụ công trực tuyến") -> ArticlePage:
    """A draft written by the reporter in the politics section, as the editor would save it."""
    article = ArticlePage(
        title=title,
        lead="Thêm 200 thủ tục được giải quyết trực tuyến toàn trình.",
        owner=newsroom.reporter,
        live=False,
    )
    article.body = [("paragraph", "<p>Bản nháp của phóng viên.</p>")]  # type: ignore[assignment]
    newsroom.paper.politics.add_child(instance=article)
    article.save_revision(user=newsroom.reporter)
    return ArticlePage.objects.get(pk=article.pk)


def act(page: ArticlePage, user, action: str, **data) -> ArticlePage:
    """``user`` takes ``action`` ("approve", "reject") on the step the page waits at."""
    page = ArticlePage.objects.get(pk=page.pk)
    task_state = page.current_workflow_task_state
    task_state.task.specific.on_action(task_state, user, action, **data)
    return ArticlePage.objects.get(pk=page.pk)


def recipients(mailoutbox) -> set[str]:
    return {address for message in mailoutbox for address in message.to}


# --- Roles and setup ------------------------------------------------------------------------


def test_each_role_holds_its_page_rights_on_both_home_pages(newsroom):
    homes = {newsroom.paper.home.pk, newsroom.paper.home.get_translations().get().pk}
    for role, actions in {
        Role.PORTAL_REPORTER: {"add"},
        Role.PORTAL_EDITOR: {"add", "change", "lock", "unlock"},
        Role.EDITOR_IN_CHIEF: {"add", "change", "publish", "lock", "unlock"},
    }.items():
        rows = GroupPagePermission.objects.filter(group__name=group_name(role))
        assert set(rows.values_list("page_id", flat=True)) == homes
        assert {
            codename.removesuffix("_page")
            for codename in rows.values_list("permission__codename", flat=True)
        } == actions
        media = GroupCollectionPermission.objects.filter(group__name=group_name(role))
        assert {"add_image", "choose_image", "add_document", "choose_document"} <= set(
            media.values_list("permission__codename", flat=True)
        )


def test_who_may_do_what_on_a_draft(newsroom):
    draft = reporter_draft(newsroom)
    section = newsroom.paper.politics
    reporter, editor, chief = newsroom.reporter, newsroom.section_editor, newsroom.editor_in_chief

    assert section.permissions_for_user(reporter).can_add_subpage()
    assert draft.permissions_for_user(reporter).can_edit()
    assert not draft.permissions_for_user(reporter).can_publish()
    assert not newsroom.paper.egov.permissions_for_user(reporter).can_edit()  # someone else's
    assert newsroom.paper.egov.permissions_for_user(editor).can_edit()
    assert not draft.permissions_for_user(editor).can_publish()
    assert draft.permissions_for_user(chief).can_publish()


def test_wagtails_default_groups_are_left_empty(newsroom):
    for name in ("Editors", "Moderators"):
        group = Group.objects.filter(name=name).first()
        assert group is None or not group.user_set.exists()


def test_the_review_workflow_covers_both_editions_in_order(newsroom):
    english_home = newsroom.paper.home.get_translations().get()
    for page in (newsroom.paper.politics, newsroom.paper.egov, english_home):
        assert page.get_workflow().name == editorial.WORKFLOW_NAME
    steps = [
        (task.name, list(task.specific.groups.values_list("name", flat=True)))
        for task in editorial.news_workflow().tasks
    ]
    assert steps == [
        ("Biên tập viên chuyên mục duyệt", [group_name(Role.PORTAL_EDITOR)]),
        ("Tổng biên tập phê duyệt", [group_name(Role.EDITOR_IN_CHIEF)]),
    ]


def test_setting_up_the_workflow_again_changes_and_records_nothing(newsroom):
    before = AuditRecord.objects.count()

    assert editorial.ensure_news_workflow() == []

    assert AuditRecord.objects.count() == before


# --- The review through Wagtail's API -------------------------------------------------------


def test_submitted_approved_twice_then_live(newsroom, mailoutbox):
    # Given a draft the reporter submits
    draft = reporter_draft(newsroom)
    draft.get_workflow().start(draft, newsroom.reporter)

    # Then the section editors are told, and the reporter has nothing to decide
    assert newsroom.section_editor.email in recipients(mailoutbox)
    assert newsroom.editor_in_chief.email not in recipients(mailoutbox)
    task = draft.current_workflow_task
    assert task.name == "Biên tập viên chuyên mục duyệt"
    assert task.specific.get_actions(draft, newsroom.reporter) == []
    mailoutbox.clear()

    # When the section editor approves, it waits for the editor-in-chief, still a draft
    page = act(draft, newsroom.section_editor, "approve")
    assert page.current_workflow_task.name == "Tổng biên tập phê duyệt"
    assert not page.live
    assert newsroom.editor_in_chief.email in recipients(mailoutbox)

    # When the editor-in-chief approves, it is published
    page = act(page, newsroom.editor_in_chief, "approve")
    assert page.live
    assert page.current_workflow_state is None
    assert WorkflowState.objects.get(
        base_content_type__model="page", object_id=str(page.pk)
    ).status == (WorkflowState.STATUS_APPROVED)
    assert PageLogEntry.objects.filter(page=page, action="wagtail.publish").exists()
    assert newsroom.reporter.email in recipients(mailoutbox)  # "approved" goes to the author


def test_request_changes_returns_the_item_to_its_author_with_the_comment(newsroom, mailoutbox):
    draft = reporter_draft(newsroom)
    draft.get_workflow().start(draft, newsroom.reporter)
    mailoutbox.clear()

    page = act(draft, newsroom.section_editor, "reject", comment="Thiếu nguồn trích dẫn số liệu.")

    state = page.current_workflow_state
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert not page.live
    task_state = TaskState.objects.filter(workflow_state=state).order_by("-pk").first()
    assert task_state.status == TaskState.STATUS_REJECTED
    assert task_state.get_comment() == "Thiếu nguồn trích dẫn số liệu."
    (message,) = [m for m in mailoutbox if newsroom.reporter.email in m.to]
    assert "Thiếu nguồn trích dẫn số liệu." in message.body
    # The author may edit again and resubmit
    assert page.permissions_for_user(newsroom.reporter).can_edit()
    lock = page.get_lock()
    assert lock is None or not lock.for_user(newsroom.reporter)


def test_an_item_in_review_is_locked_for_its_author_but_not_for_the_reviewer(newsroom):
    draft = reporter_draft(newsroom)
    draft.get_workflow().start(draft, newsroom.reporter)
    page = ArticlePage.objects.get(pk=draft.pk)

    assert page.get_lock().for_user(newsroom.reporter)
    assert not page.get_lock().for_user(newsroom.section_editor)


# --- The same through the admin -------------------------------------------------------------


def add_article_data(**overrides):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

    data = {
        "title": "Chính phủ ban hành nghị định mới về dữ liệu",
        "slug": "nghi-dinh-moi-ve-du-lieu",
        "lead": "Nghị định có hiệu lực từ ngày 1/1/2027.",
        "body": streamfield([]),
        "comments": inline_formset([]),
    }
    data.update(overrides)
    return nested_form_data(data)


def test_the_reporter_writes_and_submits_in_the_admin_but_cannot_publish(client, newsroom):
    client.force_login(newsroom.reporter)
    add_url = reverse(
        "wagtailadmin_pages:add", args=("news", "articlepage", newsroom.paper.politics.pk)
    )
    form = client.get(add_url)
    assert form.status_code == 200
    assert 'name="action-publish"' not in form.content.decode()
    assert 'name="action-submit"' in form.content.decode()

    # Publishing is not offered; a forced "publish" only saves a draft
    response = client.post(add_url, add_article_data(**{"action-publish": "publish"}))
    assert response.status_code == 302
    article = ArticlePage.objects.get(slug="nghi-dinh-moi-ve-du-lieu")
    assert not article.live
    assert article.owner == newsroom.reporter

    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[article.pk]),
        page_form_data(article, newsroom.reporter, **{"action-publish": "publish"}),
    )
    assert response.status_code == 302
    assert not ArticlePage.objects.get(pk=article.pk).live

    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[article.pk]),
        page_form_data(article, newsroom.reporter, **{"action-submit": "submit"}),
    )
    assert response.status_code == 302
    article = ArticlePage.objects.get(pk=article.pk)
    assert article.workflow_in_progress
    assert article.current_workflow_task.name == "Biên tập viên chuyên mục duyệt"


def test_reviewers_approve_and_request_changes_in_the_admin(client, newsroom, mailoutbox):
    draft = reporter_draft(newsroom)
    draft.get_workflow().start(draft, newsroom.reporter)

    def workflow_action(user, action: str, **data):
        page = ArticlePage.objects.get(pk=draft.pk)
        client.force_login(user)
        url = reverse(
            "wagtailadmin_pages:workflow_action",
            args=(page.pk, action, page.current_workflow_task_state.pk),
        )
        return client.post(url, data)

    # The reporter cannot take the reviewer's decision
    response = workflow_action(newsroom.reporter, "approve")
    assert ArticlePage.objects.get(pk=draft.pk).current_workflow_task.name == (
        "Biên tập viên chuyên mục duyệt"
    )

    # The section editor requests changes, with a comment the reporter receives
    mailoutbox.clear()
    response = workflow_action(newsroom.section_editor, "reject", comment="Sửa lại tít.")
    assert response.status_code == 302
    page = ArticlePage.objects.get(pk=draft.pk)
    assert page.current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert any("Sửa lại tít." in m.body for m in mailoutbox if newsroom.reporter.email in m.to)

    # The reporter corrects and resubmits; both reviewers approve; it is live
    client.force_login(newsroom.reporter)
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        page_form_data(
            page,
            newsroom.reporter,
            title="Hà Nội mở rộng dịch vụ công trực tuyến toàn trình",
            **{"action-restart-workflow": "restart"},
        ),
    )
    assert response.status_code == 302
    assert ArticlePage.objects.get(pk=draft.pk).current_workflow_task.name == (
        "Biên tập viên chuyên mục duyệt"
    )
    assert workflow_action(newsroom.section_editor, "approve").status_code == 302
    assert workflow_action(newsroom.editor_in_chief, "approve").status_code == 302
    page = ArticlePage.objects.get(pk=draft.pk)
    assert page.live
    assert page.title == "Hà Nội mở rộng dịch vụ công trực tuyến toàn trình"


def test_the_editor_offers_comments(client, newsroom):
    client.force_login(newsroom.section_editor)

    response = client.get(reverse("wagtailadmin_pages:edit", args=[newsroom.paper.egov.pk]))

    assert response.status_code == 200
    assert "comments" in response.context["form"].formsets


def test_an_editor_locks_an_item_against_others(client, newsroom):
    article = newsroom.paper.egov
    client.force_login(newsroom.section_editor)

    response = client.post(reverse("wagtailadmin_pages:lock", args=[article.pk]))

    assert response.status_code == 302
    article = ArticlePage.objects.get(pk=article.pk)
    assert article.locked and article.locked_by == newsroom.section_editor
    assert article.get_lock().for_user(newsroom.editor_in_chief)
    assert not article.permissions_for_user(newsroom.editor_in_chief).can_withdraw()
    assert article.permissions_for_user(newsroom.editor_in_chief).can_unlock()


def test_revision_history_compares_and_reverts_an_article(client, newsroom):
    # Given an article published twice with different bodies
    article = newsroom.paper.egov
    first = article.live_revision
    article.body = [("paragraph", "<p>Bản sửa thứ hai của bài viết.</p>")]  # type: ignore[assignment]
    article.save_revision(user=newsroom.editor_in_chief).publish(user=newsroom.editor_in_chief)
    client.force_login(newsroom.editor_in_chief)

    history = client.get(reverse("wagtailadmin_pages:history", args=[article.pk]))
    compare = client.get(
        reverse(
            "wagtailadmin_pages:revisions_compare",
            kwargs={"pk": article.pk, "revision_id_a": first.pk, "revision_id_b": "live"},
        )
    )
    revert = client.get(reverse("wagtailadmin_pages:revisions_revert", args=[article.pk, first.pk]))

    assert history.status_code == 200
    assert compare.status_code == 200
    html = compare.content.decode()
    assert "Các bộ, ngành cần hoàn thành kết nối dữ liệu." in html
    assert "Bản sửa thứ hai của bài viết." in html
    # The editor opens on the old version, ready to be saved or published again
    assert revert.status_code == 200
    reverted = revert.context["form"].instance
    assert "Các bộ, ngành cần hoàn thành kết nối dữ liệu." in str(reverted.body)
