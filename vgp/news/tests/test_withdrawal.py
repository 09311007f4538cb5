"""A published item is withdrawn with a public reason, never silently unpublished (GOV.UK).

Personas (conftest ``newsroom``): Anh Long the editor-in-chief withdraws; Chị Trang the section
editor and Chị Châu the reporter may not.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.models import PageLogEntry

from vgp.audit.models import AuditRecord
from vgp.news import editorial
from vgp.news.models import ArticlePage
from vgp.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

REASON = "Số liệu trong bài đã được Bộ Tài chính đính chính ngày 25/11/2026."


@pytest.fixture(autouse=True)
def _password_only(settings):
    settings.VGP_REQUIRE_2FA = False


def reloaded(page: ArticlePage) -> ArticlePage:
    return ArticlePage.objects.get(pk=page.pk)


def withdraw_url(page) -> str:
    return reverse("news_editorial:withdraw", args=[page.pk])


# --- The action -----------------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_a_reason_is_required(newsroom, reason):
    article = newsroom.paper.egov

    with pytest.raises(ValidationError) as refused:
        editorial.withdraw(actor=newsroom.editor_in_chief, page=article, reason=reason)

    assert "reason" in refused.value.message_dict
    assert reloaded(article).withdrawn_at is None


def test_withdrawing_keeps_the_item_live_and_is_audited(newsroom):
    article = newsroom.paper.egov

    editorial.withdraw(actor=newsroom.editor_in_chief, page=article, reason=REASON)

    article = reloaded(article)
    assert article.live and article.is_withdrawn
    assert article.withdrawal_reason == REASON
    audit = AuditRecord.objects.get(action="news.withdraw", object_id=str(article.pk))
    assert audit.actor_username == "long"
    assert audit.changes["withdrawal_reason"] == ["", REASON]
    entry = PageLogEntry.objects.get(page=article, action=editorial.WITHDRAW_LOG_ACTION)
    assert entry.data == {"reason": REASON}
    # The history entry is not copied into the chain a second time
    assert not AuditRecord.objects.filter(action=editorial.WITHDRAW_LOG_ACTION).exists()


def test_only_those_who_may_publish_withdraw(newsroom):
    for official in (newsroom.reporter, newsroom.section_editor):
        with pytest.raises(PermissionDenied):
            editorial.withdraw(actor=official, page=newsroom.paper.egov, reason=REASON)
    assert reloaded(newsroom.paper.egov).withdrawn_at is None


def test_a_withdrawal_survives_publishing_an_older_revision(newsroom):
    # Given a withdrawn article with an earlier revision
    article = newsroom.paper.egov
    earlier = article.live_revision
    editorial.withdraw(actor=newsroom.editor_in_chief, page=article, reason=REASON)

    # When the editor-in-chief publishes the earlier revision again, or a new one
    earlier.publish(user=newsroom.editor_in_chief)
    edited = reloaded(article)
    edited.title = "Chính phủ điện tử phục vụ người dân (cập nhật)"
    edited.save_revision(user=newsroom.editor_in_chief).publish(user=newsroom.editor_in_chief)

    # Then it is still withdrawn, with the same reason
    article = reloaded(article)
    assert article.title.endswith("(cập nhật)")
    assert article.withdrawal_reason == REASON and article.is_withdrawn


def test_reinstating_removes_the_notice(newsroom):
    article = newsroom.paper.egov
    editorial.withdraw(actor=newsroom.editor_in_chief, page=article, reason=REASON)

    editorial.reinstate(actor=newsroom.editor_in_chief, page=article)

    article = reloaded(article)
    assert not article.is_withdrawn and article.withdrawal_reason == ""
    assert AuditRecord.objects.filter(action="news.reinstate", object_id=str(article.pk)).exists()


# --- The public page ------------------------------------------------------------------------


def test_the_withdrawn_page_still_answers_with_its_reason(
    client, newsroom, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 300
    article = newsroom.paper.egov
    assert client.get(article.url).status_code == 200  # now in the anonymous page cache

    with django_capture_on_commit_callbacks(execute=True):
        editorial.withdraw(actor=newsroom.editor_in_chief, page=article, reason=REASON)

    response = client.get(article.url)
    assert response.status_code == 200
    assert REASON in response.content.decode()


# --- The admin ------------------------------------------------------------------------------


def test_the_editor_offers_withdraw_instead_of_unpublish(client, newsroom):
    article = newsroom.paper.egov
    client.force_login(newsroom.editor_in_chief)

    html = client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])).content.decode()

    assert withdraw_url(article) in html
    assert reverse("wagtailadmin_pages:unpublish", args=[article.pk]) not in html


def test_the_section_editor_is_not_offered_withdraw(client, newsroom):
    article = newsroom.paper.egov
    client.force_login(newsroom.section_editor)

    html = client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])).content.decode()
    response = client.get(withdraw_url(article))

    assert withdraw_url(article) not in html
    assert response.status_code == 302 and reloaded(article).withdrawn_at is None


def test_withdraw_in_the_admin_needs_a_reason_then_confirms(client, newsroom):
    article = newsroom.paper.egov
    client.force_login(newsroom.editor_in_chief)

    form = client.get(withdraw_url(article))
    empty = client.post(withdraw_url(article), {"reason": "  ", "confirm": "on"})
    unconfirmed = client.post(withdraw_url(article), {"reason": REASON})
    done = client.post(withdraw_url(article), {"reason": REASON, "confirm": "on"}, follow=True)

    assert form.status_code == 200
    assert empty.status_code == 200 and empty.context["form"].errors["reason"]
    assert unconfirmed.status_code == 200 and unconfirmed.context["form"].errors["confirm"]
    assert done.redirect_chain[-1][0] == reverse("wagtailadmin_pages:edit", args=[article.pk])
    assert reloaded(article).withdrawal_reason == REASON
    assert [str(m) for m in done.context["messages"]]
    # The editor now shows the withdrawal and offers to reinstate
    html = done.content.decode()
    assert REASON in html
    assert reverse("news_editorial:reinstate", args=[article.pk]) in html


def test_reinstate_in_the_admin(client, newsroom):
    article = newsroom.paper.egov
    editorial.withdraw(actor=newsroom.editor_in_chief, page=article, reason=REASON)
    client.force_login(newsroom.editor_in_chief)
    url = reverse("news_editorial:reinstate", args=[article.pk])

    response = client.post(url, {"confirm": "on"})

    assert response.status_code == 302
    assert not reloaded(article).is_withdrawn


@pytest.mark.parametrize("who", ["editor_in_chief", "superuser"])
def test_wagtails_unpublish_cannot_bypass_the_reason(client, newsroom, who):
    article = newsroom.paper.egov
    user = (
        UserFactory(username="root", is_superuser=True, is_staff=True)
        if who == "superuser"
        else newsroom.editor_in_chief
    )
    client.force_login(user)
    unpublish_url = reverse("wagtailadmin_pages:unpublish", args=[article.pk])

    shown = client.get(unpublish_url)
    posted = client.post(unpublish_url, {"include_descendants": "on"})

    # Refused: Wagtail turns the page away to the dashboard with a message
    assert shown.status_code == 302 and posted.status_code == 302
    assert posted.url == reverse("wagtailadmin_home")
    article = reloaded(article)
    assert article.live and not article.is_withdrawn


def test_unpublishing_a_section_or_in_bulk_leaves_its_items_live(client, newsroom):
    section, article = newsroom.paper.politics, newsroom.paper.egov
    client.force_login(newsroom.editor_in_chief)

    bulk = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "unpublish"))
    client.post(f"{bulk}?id={article.pk}", {"include_descendants": "on"})
    assert reloaded(article).live
    UnpublishPageAction(section, user=newsroom.editor_in_chief, include_descendants=True).execute()

    assert not section.__class__.objects.get(pk=section.pk).live
    assert reloaded(article).live


def test_a_live_item_cannot_be_deleted_in_the_admin_but_a_draft_can(newsroom):
    superuser = UserFactory(username="root", is_superuser=True)
    article = newsroom.paper.egov

    assert not article.permissions_for_user(superuser).can_delete()
    assert article.permissions_for_user(superuser).can_move()
    article.unpublish()  # by code, e.g. scheduled expiry: not the admin's doing
    assert reloaded(article).permissions_for_user(superuser).can_delete()


def test_listings_show_the_withdrawn_status(client, newsroom):
    article = newsroom.paper.egov
    editorial.withdraw(actor=newsroom.editor_in_chief, page=article, reason=REASON)
    client.force_login(newsroom.editor_in_chief)

    listing = client.get(reverse("wagtailadmin_explore", args=[newsroom.paper.politics.pk]))

    assert listing.status_code == 200
    (listed,) = listing.context["pages"]
    assert str(listed.status_string) == str(reloaded(article).status_string)
    assert str(listed.status_string) in listing.content.decode()
    assert reverse("news_editorial:reinstate", args=[article.pk]) in listing.content.decode()
    with translation.override("en"):
        assert listed.status_string == "withdrawn"


def test_scheduled_expiry_withdraws_a_news_item_with_a_public_reason(client, newspaper):
    """Expiry of a news item never makes a silent 404: the item is withdrawn, with a reason."""
    import datetime as dt

    import time_machine
    from django.core.management import call_command
    from django.utils import timezone

    article = newspaper.egov
    expire_at = timezone.now() + dt.timedelta(minutes=5)
    type(article).objects.filter(pk=article.pk).update(expire_at=expire_at)

    with time_machine.travel(expire_at + dt.timedelta(minutes=1), tick=False):
        call_command("run_scheduler", "--once", "--name", "web-1")

    article.refresh_from_db()
    assert article.live and article.withdrawn_at is not None
    assert article.expire_at is None
    assert "kết thúc" in article.withdrawal_reason or "ended" in article.withdrawal_reason
    response = client.get(article.url)
    assert response.status_code == 200
    from django.utils.html import escape

    assert escape(article.withdrawal_reason) in response.content.decode()
