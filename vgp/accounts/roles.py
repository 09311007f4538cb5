"""The roles officials hold. Each role is a Django group with a fixed set of permissions.

A domain app that adds models adds its permissions to ``ROLE_PERMISSIONS`` here; the groups
are brought in line after every ``migrate`` (see ``apps.AccountsConfig.ready``) and by
``manage.py sync_roles``.

Wagtail grants page and media rights per page tree and per collection rather than per model:
``ROLE_PAGE_PERMISSIONS`` lists what each role may do on the page trees that domains register
with ``role_sync.register_page_roots`` (the e-newspaper registers both home pages), and
``ROLE_COLLECTION_PERMISSIONS`` what it may do with images and documents in every collection.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CLERK = "clerk", _("Clerk")
    HANDLER = "handler", _("Handler")
    UNIT_HEAD = "unit_head", _("Unit head")
    LEADER = "leader", _("Leader")
    PORTAL_REPORTER = "portal_reporter", _("Reporter")
    PORTAL_EDITOR = "portal_editor", _("Portal editor")
    EDITOR_IN_CHIEF = "editor_in_chief", _("Editor-in-chief")
    GAZETTE_EDITOR = "gazette_editor", _("Gazette editor")
    MODERATOR = "moderator", _("Moderator")
    LEGAL_EDITOR = "legal_editor", _("Legal database editor")
    LEGAL_CHECKER = "legal_checker", _("Legal database checker")
    FEEDBACK_RECEPTION = "feedback_reception", _("Citizen feedback reception")
    IT_ADMIN = "it_admin", _("IT administrator")
    AUDITOR = "auditor", _("Auditor")


# Roles whose holders act across every agency (the national IT centre and inspection);
# everyone else is limited to their own agency and its units.
NATIONWIDE_ROLES = frozenset({Role.IT_ADMIN, Role.AUDITOR})

_ADMIN_ACCESS = "wagtailadmin.access_admin"
# Start a translation ("Translate" in the page menu); Wagtail also asks for edit rights on the
# page being translated.
_SUBMIT_TRANSLATION = "simple_translation.submit_translation"
# Enter and correct legal documents (drafts, revisions, locks, submission for checking),
# keep the sectors list, read the document types and the import runs.
_LEGAL_EDIT = [
    "legal.add_legaldocument",
    "legal.change_legaldocument",
    "legal.view_legaldocument",
    "legal.lock_legaldocument",
    "legal.add_sector",
    "legal.change_sector",
    "legal.view_sector",
    "legal.view_documenttype",
    "legal.view_importrun",
]

# Citizen feedback (vgp/feedback/actions.py, ADR 0012): reception classifies and routes; in
# the handling agency a clerk accepts or returns, a unit head assigns, a handler drafts the
# reply, a leader approves it. Each sees only the items its agency holds.
_FEEDBACK_VIEW = "feedback.view_feedbackitem"

# Official documents (vgp/documents/actions.py, ADR 0014): the clerk registers incoming
# documents, issues and dispatches outgoing ones and keeps the registers; a leader directs the
# handling and signs; a unit head assigns handlers and reviews drafts; a handler handles and
# drafts. Who may see which document is decided by documents.queries (register, units taking
# part, named readers of a classified document), on top of these permissions.
_DOCUMENTS_VIEW = "documents.view_document"
_DOCUMENTS_REPORT = "documents.report_document"

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.CLERK: [
        _ADMIN_ACCESS,
        _FEEDBACK_VIEW,
        "feedback.accept_feedbackitem",
        _DOCUMENTS_VIEW,
        _DOCUMENTS_REPORT,
        "documents.register_document",
        # The organisation's seal on the documents the clerk issues (ADR 0016).
        "signatures.use_seal",
    ],
    Role.HANDLER: [
        _ADMIN_ACCESS,
        _FEEDBACK_VIEW,
        "feedback.handle_feedbackitem",
        _DOCUMENTS_VIEW,
        "documents.handle_document",
    ],
    Role.UNIT_HEAD: [
        _ADMIN_ACCESS,
        _FEEDBACK_VIEW,
        "feedback.assign_feedbackitem",
        "feedback.handle_feedbackitem",
        _DOCUMENTS_VIEW,
        _DOCUMENTS_REPORT,
        "documents.assign_document",
        "documents.handle_document",
    ],
    Role.LEADER: [
        _ADMIN_ACCESS,
        _FEEDBACK_VIEW,
        "feedback.assign_feedbackitem",
        "feedback.approve_feedbackitem",
        _DOCUMENTS_VIEW,
        _DOCUMENTS_REPORT,
        "documents.direct_document",
        "documents.assign_document",
        "documents.sign_document",
    ],
    Role.FEEDBACK_RECEPTION: [
        _ADMIN_ACCESS,
        _FEEDBACK_VIEW,
        "feedback.receive_feedbackitem",
        "feedback.view_routingrule",
        "feedback.view_sector",
        "feedback.view_deadlinerule",
    ],
    Role.PORTAL_REPORTER: [_ADMIN_ACCESS, _SUBMIT_TRANSLATION],
    Role.PORTAL_EDITOR: [_ADMIN_ACCESS, _SUBMIT_TRANSLATION],
    Role.EDITOR_IN_CHIEF: [_ADMIN_ACCESS, _SUBMIT_TRANSLATION],
    # The gazette desk (ADR 0011): assemble, submit, return and publish issues (another editor
    # than the submitter publishes: four eyes, enforced by the action); register documents
    # received for the gazette; read the legal database to choose documents.
    Role.GAZETTE_EDITOR: [
        _ADMIN_ACCESS,
        "gazette.add_gazetteissue",
        "gazette.change_gazetteissue",
        "gazette.delete_gazetteissue",
        "gazette.view_gazetteissue",
        "gazette.publish_gazetteissue",
        "gazette.add_gazettesubmission",
        "gazette.change_gazettesubmission",
        "gazette.view_gazettesubmission",
        "legal.view_legaldocument",
    ],
    Role.MODERATOR: [_ADMIN_ACCESS],
    # The legal documents database (vgp/legal/editorial.py): the editor enters and corrects
    # documents and submits them; the checker approves (which publishes), requests changes,
    # and may take a document off line.
    Role.LEGAL_EDITOR: [_ADMIN_ACCESS, *_LEGAL_EDIT],
    Role.LEGAL_CHECKER: [
        _ADMIN_ACCESS,
        *_LEGAL_EDIT,
        "legal.publish_legaldocument",
        "legal.unpublish_legaldocument",
        "legal.unlock_legaldocument",
    ],
    Role.IT_ADMIN: [
        _ADMIN_ACCESS,
        "agencies.add_agency",
        "agencies.change_agency",
        "agencies.view_agency",
        "agencies.merge_agency",
        "agencies.retire_agency",
        "accounts.add_user",
        "accounts.change_user",
        "accounts.view_user",
        "accounts.add_apikey",
        "accounts.view_apikey",
        "accounts.revoke_apikey",
        "auth.view_group",
        "workdays.add_calendaroverride",
        "workdays.change_calendaroverride",
        "workdays.delete_calendaroverride",
        "workdays.view_calendaroverride",
        "audit.view_auditrecord",
        "django_tasks_database.view_dbtaskresult",
        "django_tasks_database.change_dbtaskresult",
        # The legal database's lists and its imports; a document can be taken off line, not
        # published (that is the checkers' step).
        "legal.view_legaldocument",
        "legal.unpublish_legaldocument",
        "legal.add_documenttype",
        "legal.change_documenttype",
        "legal.view_documenttype",
        "legal.add_sector",
        "legal.change_sector",
        "legal.view_sector",
        "legal.view_importrun",
        # Citizen feedback's settings: sectors, routing rules, deadlines by kind and sector.
        "feedback.add_sector",
        "feedback.change_sector",
        "feedback.view_sector",
        "feedback.add_routingrule",
        "feedback.change_routingrule",
        "feedback.delete_routingrule",
        "feedback.view_routingrule",
        "feedback.add_deadlinerule",
        "feedback.change_deadlinerule",
        "feedback.delete_deadlinerule",
        "feedback.view_deadlinerule",
        # Official documents' settings: types and review chains (never the documents).
        "documents.add_documenttype",
        "documents.change_documenttype",
        "documents.view_documenttype",
        "documents.add_reviewrule",
        "documents.change_reviewrule",
        "documents.delete_reviewrule",
        "documents.view_reviewrule",
        # The certification authority and the signing certificates (ADR 0016): create the
        # CAs, issue, renew, suspend and revoke certificates, import PKCS#12 for an official.
        "signatures.add_certificateauthority",
        "signatures.view_certificateauthority",
        "signatures.add_signingcertificate",
        "signatures.change_signingcertificate",
        "signatures.view_signingcertificate",
        "signatures.revoke_signingcertificate",
        # Which published content the portal signs (ADR 0016).
        "signatures.change_publicationsigningsettings",
    ],
    Role.AUDITOR: [
        _ADMIN_ACCESS,
        _DOCUMENTS_VIEW,
        _DOCUMENTS_REPORT,
        "audit.view_auditrecord",
        "agencies.view_agency",
        "accounts.view_user",
        "workdays.view_calendaroverride",
    ],
}


# The news desk (see vgp/news/editorial.py): a reporter writes and submits for review; the
# section editor reviews and edits anyone's item; the editor-in-chief approves, publishes and
# withdraws. Wagtail's page actions: "add" = create pages and edit one's own drafts, "change" =
# edit every page, "publish" = publish, withdraw and reinstate, "lock"/"unlock" = lock a page
# against others' edits and lift anyone's lock.
ROLE_PAGE_PERMISSIONS: dict[str, list[str]] = {
    Role.PORTAL_REPORTER: ["add"],
    Role.PORTAL_EDITOR: ["add", "change", "lock", "unlock"],
    Role.EDITOR_IN_CHIEF: ["add", "change", "publish", "lock", "unlock"],
}

# Images and documents (photos, videos, attachments), granted on the root collection and so on
# every collection. "add" lets a reporter upload and edit their own files; "change" lets the
# editors correct anyone's (captions, alternative text, focal point).
_MEDIA_USE = [
    "wagtailimages.add_image",
    "wagtailimages.choose_image",
    "wagtaildocs.add_document",
    "wagtaildocs.choose_document",
]
_MEDIA_EDIT = [*_MEDIA_USE, "wagtailimages.change_image", "wagtaildocs.change_document"]
# The legal database's editors upload the signed originals and annexes of documents.
_DOCUMENTS_USE = ["wagtaildocs.add_document", "wagtaildocs.choose_document"]
ROLE_COLLECTION_PERMISSIONS: dict[str, list[str]] = {
    Role.PORTAL_REPORTER: _MEDIA_USE,
    Role.PORTAL_EDITOR: _MEDIA_EDIT,
    Role.EDITOR_IN_CHIEF: _MEDIA_EDIT,
    Role.LEGAL_EDITOR: _DOCUMENTS_USE,
    Role.LEGAL_CHECKER: _DOCUMENTS_USE,
}


# Group names are data, fixed in Vietnamese (the installation's language), so that renaming a
# translation never breaks the link between a role and its group.
GROUP_NAMES: dict[str, str] = {
    Role.CLERK: "Văn thư",
    Role.HANDLER: "Chuyên viên",
    Role.UNIT_HEAD: "Lãnh đạo đơn vị",
    Role.LEADER: "Lãnh đạo",
    Role.PORTAL_REPORTER: "Phóng viên, cộng tác viên",
    Role.PORTAL_EDITOR: "Biên tập viên Cổng",
    Role.EDITOR_IN_CHIEF: "Tổng biên tập",
    Role.GAZETTE_EDITOR: "Biên tập viên Công báo",
    Role.MODERATOR: "Điều phối viên",
    Role.LEGAL_EDITOR: "Biên tập viên CSDL văn bản",
    Role.LEGAL_CHECKER: "Kiểm tra viên CSDL văn bản",
    Role.FEEDBACK_RECEPTION: "Tiếp nhận phản ánh, kiến nghị",
    Role.IT_ADMIN: "Quản trị CNTT",
    Role.AUDITOR: "Kiểm tra, giám sát",
}
ROLE_BY_GROUP_NAME = {name: role for role, name in GROUP_NAMES.items()}


def group_name(role: str) -> str:
    return GROUP_NAMES[role]
