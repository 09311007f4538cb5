"""The legal database desk: draft → check → published, through Wagtail's admin.

Personas (conftest): Chị Ngọc the legal database editor and Anh Vinh the checker, both of the
Government Office; Chị Hà the IT administrator (root conftest).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import GroupApprovalTask, ModelLogEntry, TaskState, WorkflowState

from vgp.accounts.role_sync import sync_roles
from vgp.accounts.roles import Role, group_name
from vgp.audit.models import AuditRecord
from vgp.audit.verification import verify_chain
from vgp.legal import editorial
from vgp.legal.models import LegalDocument, Provision, ProvisionKind, Validity
from vgp.legal.testing import SAMPLE_BODY, document_type, make_document
from vgp.legal.tests.admin_forms import action, edit_document_data, new_document_data, url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _password_only(settings):
    # The second factor has its own tests; here the officials sign in with a password.
    settings.VGP_REQUIRE_2FA = False


def decree_values(agency, **overrides):
    """A decree as the editor types it (the number in lower case, without Đ)."""
    values = {
        "number_symbol": "15/2024/nd-cp",
        "doc_type": document_type("Nghị định").pk,
        "category": "legal",
        "issuer": agency.pk,
        "signer_name": "Trần Lưu Quang",
        "signer_position": "Phó Thủ tướng",
        "title": "Quy định chi tiết một số điều của Luật Bảo vệ môi trường",
        "issued_date": dt.date(2024, 2, 20),
        "effective_date": dt.date(2024, 4, 5),
        "body": SAMPLE_BODY,
    }
    values.update(overrides)
    return values


def editor_creates_draft(client, editor, agency, **overrides) -> LegalDocument:
    client.force_login(editor)
    data = new_document_data(client, **decree_values(agency, **overrides))
    response = client.post(url("add"), data)
    assert response.status_code == 302, response.context["form"].errors
    return LegalDocument.objects.get(symbol_key="15/2024/nd-cp")


def submit(client, editor, document: LegalDocument) -> LegalDocument:
    client.force_login(editor)
    data = action(edit_document_data(client, document), "submit")
    response = client.post(url("edit", document.pk), data)
    assert response.status_code == 302
    return LegalDocument.objects.get(pk=document.pk)


def workflow_action(client, user, document: LegalDocument, name: str, **data):
    document = LegalDocument.objects.get(pk=document.pk)
    client.force_login(user)
    address = url("workflow_action", document.pk, name, document.current_workflow_task_state.pk)
    return client.post(address, data)


def refused(response) -> bool:
    """Wagtail answers a forbidden admin page by sending the user back to the dashboard."""
    if response.status_code == 403:
        return True
    return response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


def public_status(client, document: LegalDocument) -> int:
    client.logout()
    return client.get(reverse("legal_document_short", args=[document.pk]), follow=True).status_code


# --- Roles and setup ------------------------------------------------------------------------


def test_the_checking_workflow_is_assigned_to_legal_documents():
    workflow = LegalDocument.get_default_workflow()

    assert workflow is not None and workflow.name == editorial.WORKFLOW_NAME
    steps = [
        (t.name, list(t.specific.groups.values_list("name", flat=True))) for t in workflow.tasks
    ]
    assert steps == [("Kiểm tra văn bản", [group_name(Role.LEGAL_CHECKER)])]


def test_setting_up_the_workflow_again_changes_and_records_nothing():
    before = AuditRecord.objects.count()

    assert editorial.ensure_legal_workflow() == []
    assert sync_roles() == []

    assert AuditRecord.objects.count() == before


def test_a_removed_reviewer_group_is_put_back_by_the_next_sync():
    task = GroupApprovalTask.objects.get(name=editorial.CHECK_STEP_NAME)
    task.groups.set([Group.objects.get(name=group_name(Role.LEGAL_EDITOR))])

    changes = sync_roles()

    assert any("reviewers" in change for change in changes)
    assert list(task.groups.values_list("name", flat=True)) == [group_name(Role.LEGAL_CHECKER)]
    assert AuditRecord.objects.filter(action="legal.workflow_synced").exists()


@pytest.mark.parametrize(
    ("role", "granted", "refused"),
    [
        (
            Role.LEGAL_EDITOR,
            {"add", "change", "view", "lock"},
            {"publish", "unpublish", "unlock", "delete"},
        ),
        (
            Role.LEGAL_CHECKER,
            {"add", "change", "view", "lock", "publish", "unpublish", "unlock"},
            {"delete"},
        ),
        (Role.IT_ADMIN, {"view", "unpublish"}, {"add", "change", "publish", "delete"}),
    ],
)
def test_what_each_role_may_do_with_legal_documents(role, granted, refused):
    from vgp.legal.admin_views import legal_document_permission_policy as policy
    from vgp.testing.factories import UserFactory

    user = UserFactory(roles=[role])

    assert {a for a in granted | refused if policy.user_has_permission(user, a)} == granted


def test_editors_and_checkers_may_upload_and_choose_files():
    from wagtail.models import GroupCollectionPermission

    for role in (Role.LEGAL_EDITOR, Role.LEGAL_CHECKER):
        codenames = set(
            GroupCollectionPermission.objects.filter(group__name=group_name(role)).values_list(
                "permission__codename", flat=True
            )
        )
        assert codenames == {"add_document", "choose_document"}


# --- Draft → check → published --------------------------------------------------------------


def test_a_draft_entered_by_the_editor_is_not_public(client, legal_editor, government_office):
    document = editor_creates_draft(client, legal_editor, government_office)

    # The number is stored in its official spelling, with its parts
    assert document.number_symbol == "15/2024/NĐ-CP"
    assert (document.number, document.year, document.type_code, document.issuer_code) == (
        "15",
        2024,
        "NĐ",
        "CP",
    )
    assert not document.live
    assert not Provision.objects.filter(document=document).exists()
    assert public_status(client, document) == 404
    assert AuditRecord.objects.filter(
        action="wagtail.create", object_type="legal.legaldocument", object_id=str(document.pk)
    ).exists()


def test_the_editor_is_offered_submit_not_publish(client, legal_editor, government_office):
    document = editor_creates_draft(client, legal_editor, government_office)

    html = client.get(url("edit", document.pk)).content.decode()

    assert 'name="action-submit"' in html
    assert 'name="action-publish"' not in html
    assert 'name="action-unpublish"' not in html


def test_a_forced_publish_by_the_editor_only_saves_a_draft(client, legal_editor, government_office):
    document = editor_creates_draft(client, legal_editor, government_office)

    data = action(edit_document_data(client, document, title="Tiêu đề đã sửa"), "publish")
    response = client.post(url("edit", document.pk), data)

    assert response.status_code == 302
    document = LegalDocument.objects.get(pk=document.pk)
    assert not document.live
    assert document.get_latest_revision_as_object().title == "Tiêu đề đã sửa"
    assert not ModelLogEntry.objects.filter(action="wagtail.publish").exists()


def test_checker_approves_and_the_document_is_published_with_its_structure(
    client, legal_editor, legal_checker, government_office, mailoutbox
):
    # Given a draft the editor submits
    document = editor_creates_draft(client, legal_editor, government_office)
    document = submit(client, legal_editor, document)
    assert document.workflow_in_progress
    assert document.current_workflow_task.name == "Kiểm tra văn bản"
    assert legal_checker.email in {address for m in mailoutbox for address in m.to}
    # The editor has nothing to decide
    assert document.current_workflow_task.specific.get_actions(document, legal_editor) == []

    # When the checker approves
    response = workflow_action(client, legal_checker, document, "approve")

    # Then it is published, its articles have their rows and anchors, its validity is set
    assert response.status_code == 302
    document = LegalDocument.objects.get(pk=document.pk)
    assert document.live
    assert document.current_workflow_state is None
    articles = Provision.objects.filter(document=document, kind=ProvisionKind.ARTICLE)
    assert list(articles.values_list("number", "anchor")) == [
        ("1", "dieu-1"),
        ("2", "dieu-2"),
        ("3", "dieu-3"),
        ("4", "dieu-4"),
    ]
    assert Provision.objects.filter(document=document, kind=ProvisionKind.CHAPTER).count() == 2
    assert document.status == Validity.IN_FORCE
    assert public_status(client, document) == 200

    # And the audit chain holds Wagtail's steps and the rebuild, by the checker
    trail = AuditRecord.objects.filter(
        object_type="legal.legaldocument", object_id=str(document.pk)
    )
    actions = set(trail.values_list("action", flat=True))
    assert {
        "wagtail.create",
        "wagtail.workflow.start",
        "wagtail.workflow.approve",
        "wagtail.publish",
        "legal.structure_rebuilt",
    } <= actions
    rebuilt = trail.get(action="legal.structure_rebuilt")
    assert rebuilt.actor_id == legal_checker.pk
    assert rebuilt.changes["articles"] == 4
    assert verify_chain() is None


def test_checker_requests_changes_and_the_editor_resubmits(
    client, legal_editor, legal_checker, government_office, mailoutbox
):
    document = submit(
        client, legal_editor, editor_creates_draft(client, legal_editor, government_office)
    )
    mailoutbox.clear()

    # The editor cannot take the checker's decision
    workflow_action(client, legal_editor, document, "approve")
    assert LegalDocument.objects.get(pk=document.pk).workflow_in_progress

    # The checker requests changes with a comment, which reaches the editor
    response = workflow_action(
        client, legal_checker, document, "reject", comment="Sai ngày có hiệu lực."
    )
    assert response.status_code == 302
    document = LegalDocument.objects.get(pk=document.pk)
    state = document.current_workflow_state
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert not document.live
    task_state = TaskState.objects.filter(workflow_state=state).order_by("-pk").first()
    assert task_state.get_comment() == "Sai ngày có hiệu lực."
    assert any("Sai ngày có hiệu lực." in m.body for m in mailoutbox if legal_editor.email in m.to)

    # The editor corrects and resubmits; the checker approves; it is live with the correction
    client.force_login(legal_editor)
    html = client.get(url("edit", document.pk)).content.decode()
    assert 'name="action-restart-workflow"' in html
    data = action(
        edit_document_data(client, document, effective_date=dt.date(2024, 4, 10)),
        "restart-workflow",
    )
    assert client.post(url("edit", document.pk), data).status_code == 302
    assert LegalDocument.objects.get(pk=document.pk).workflow_in_progress
    assert workflow_action(client, legal_checker, document, "approve").status_code == 302
    document = LegalDocument.objects.get(pk=document.pk)
    assert document.live
    assert document.effective_date == dt.date(2024, 4, 10)


def test_while_in_check_the_document_is_locked_for_its_editor(
    client, legal_editor, legal_checker, government_office
):
    document = submit(
        client, legal_editor, editor_creates_draft(client, legal_editor, government_office)
    )

    lock = LegalDocument.objects.get(pk=document.pk).get_lock()

    assert lock is not None and lock.for_user(legal_editor)
    assert not lock.for_user(legal_checker)


def test_a_checker_may_publish_a_correction_directly(client, legal_checker, government_office):
    document = make_document("08/2022/NĐ-CP", issuer=government_office, body=SAMPLE_BODY)
    client.force_login(legal_checker)

    data = action(
        edit_document_data(client, document, body=SAMPLE_BODY + "Điều 5. Tổ chức thực hiện\n"),
        "publish",
    )
    response = client.post(url("edit", document.pk), data)

    assert response.status_code == 302
    assert Provision.objects.filter(
        document=document, kind=ProvisionKind.ARTICLE, anchor="dieu-5"
    ).exists()


# --- Taking a document off line -------------------------------------------------------------


def test_the_it_administrator_unpublishes_but_cannot_publish(client, it_admin, government_office):
    document = make_document("08/2022/NĐ-CP", issuer=government_office, body=SAMPLE_BODY)
    client.force_login(it_admin)

    listing = client.get(url("list")).content.decode()
    assert url("unpublish", document.pk) in listing
    assert refused(client.get(url("edit", document.pk)))

    response = client.post(url("unpublish", document.pk))

    assert response.status_code == 302
    document = LegalDocument.objects.get(pk=document.pk)
    assert not document.live
    assert not Provision.objects.filter(document=document).exists()
    assert AuditRecord.objects.filter(
        action="legal.withdrawn_from_index", object_id=str(document.pk), actor_id=it_admin.pk
    ).exists()
    assert AuditRecord.objects.filter(action="wagtail.unpublish", actor_id=it_admin.pk).exists()


def test_the_editor_cannot_unpublish(client, legal_editor, government_office):
    document = make_document("08/2022/NĐ-CP", issuer=government_office, body=SAMPLE_BODY)
    client.force_login(legal_editor)

    assert url("unpublish", document.pk) not in client.get(url("list")).content.decode()
    assert refused(client.post(url("unpublish", document.pk)))
    assert LegalDocument.objects.get(pk=document.pk).live


def test_the_bridge_passes_wagtails_publications_to_the_action(government_office):
    from vgp.legal import signal_handlers

    document = make_document(
        "08/2022/NĐ-CP", issuer=government_office, body=SAMPLE_BODY, live=False
    )

    document.save_revision().publish()

    assert Provision.objects.filter(document=document, kind=ProvisionKind.ARTICLE).count() == 4
    assert signal_handlers.DISPATCH_UIDS  # connected once, by LegalConfig.ready
    record = AuditRecord.objects.get(action="legal.structure_rebuilt", object_id=str(document.pk))
    assert record.actor_id is None  # no request: a command or the scheduler
