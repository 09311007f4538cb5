"""Wagtail's own admin log is copied into the audit chain."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from django.urls import reverse
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry, Page, PageLogEntry

from vgp.audit.models import AuditRecord
from vgp.audit.verification import verify_chain


def newest() -> AuditRecord:
    entry = AuditRecord.objects.order_by("-seq").first()
    assert entry is not None
    return entry


@pytest.mark.django_db
class TestMirroring:
    def test_a_model_log_entry_becomes_a_record(self, it_admin):
        group = Group.objects.create(name="Tổ công tác")
        with transaction.atomic():
            entry = log(group, "wagtail.edit", user=it_admin, data={"ghi_chú": "đổi tên"})

        assert isinstance(entry, ModelLogEntry)
        mirrored = newest()
        assert mirrored.action == "wagtail.edit"
        assert (mirrored.actor_username, mirrored.agency_code) == ("ha", "000.00.00.G22")
        assert (mirrored.object_type, mirrored.object_id) == ("auth.group", str(group.pk))
        assert mirrored.object_repr == "Tổ công tác"
        assert mirrored.changes["data"] == {"ghi_chú": "đổi tên"}
        assert mirrored.changes["wagtail_log_entry"] == f"wagtailcore.modellogentry#{entry.pk}"
        assert verify_chain() is None

    def test_a_page_log_entry_becomes_a_record(self, it_admin):
        page = Page.objects.get(depth=2)
        with transaction.atomic():
            entry = log(page, "wagtail.publish", user=it_admin)

        assert isinstance(entry, PageLogEntry)
        mirrored = newest()
        assert mirrored.action == "wagtail.publish"
        assert (mirrored.object_type, mirrored.object_id) == (
            entry.content_type.app_label + "." + entry.content_type.model,
            str(page.pk),
        )
        assert mirrored.summary  # Wagtail's own message, e.g. "Đã xuất bản"

    def test_a_rolled_back_wagtail_change_leaves_no_record(self, it_admin):
        group = Group.objects.create(name="Tổ tạm")
        before = AuditRecord.objects.count()

        def failing_view() -> None:
            with transaction.atomic():
                log(group, "wagtail.edit", user=it_admin)
                raise RuntimeError("the view failed after logging")

        with pytest.raises(RuntimeError):
            failing_view()

        assert AuditRecord.objects.count() == before
        assert not ModelLogEntry.objects.filter(object_id=str(group.pk)).exists()

    def test_a_change_made_in_wagtails_admin_is_in_the_chain(
        self, client, settings, django_user_model
    ):
        settings.VGP_REQUIRE_2FA = False
        boss = django_user_model.objects.create_superuser("root", "root@example.gov.vn", "x" * 12)
        client.force_login(boss)

        response = client.post(
            reverse("wagtailsites:add"),
            {
                "hostname": "english.vgp.test",
                "port": "80",
                "site_name": "Cổng tiếng Anh",
                "root_page": Page.objects.get(depth=2).pk,
            },
        )

        assert response.status_code == 302
        mirrored = newest()
        assert mirrored.action == "wagtail.create"
        assert mirrored.actor_username == "root"
        assert mirrored.object_type == "wagtailcore.site"
        assert mirrored.via == "web"
        assert mirrored.ip == "127.0.0.1"
