"""The English edition: translating an item keeps its link to the Vietnamese original, and the
admin shows which translations lag behind their original.

Personas (conftest ``newsroom``): Chị Trang the section editor translates and keeps the English
edition in line; Chị Châu the reporter may translate only what she may edit.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Locale

from vgp.audit.models import AuditRecord
from vgp.news import editorial, translations
from vgp.news.models import ArticlePage, NewsItemPage, SectionPage
from vgp.news.testing import make_article
from vgp.news.tests.admin_forms import page_form_data

pytestmark = pytest.mark.django_db

HOUR = dt.timedelta(hours=1)


@pytest.fixture(autouse=True)
def _password_only(settings):
    settings.VGP_REQUIRE_2FA = False


@pytest.fixture
def t0() -> dt.datetime:
    """A time after the fixtures' own publishing (done at the real time), in whole seconds.
    Tests step on by hours, which keeps the signed-in session (one working day) alive."""
    return (timezone.now() + HOUR).replace(microsecond=0)


@pytest.fixture
def english():
    return Locale.objects.get(language_code="en")


@pytest.fixture
def english_politics(newsroom, english) -> SectionPage:
    """The politics section in the English edition (its articles not yet translated)."""
    section = newsroom.paper.politics.copy_for_translation(english).specific
    section.title = "Politics"
    section.save_revision().publish()
    return SectionPage.objects.get(pk=section.pk)


def translate(page: ArticlePage, locale: Locale) -> ArticlePage:
    """A published English translation, as a translator leaves it."""
    copy = page.copy_for_translation(locale).specific
    copy.title = f"EN: {page.title}"
    copy.save_revision().publish()
    return ArticlePage.objects.get(pk=copy.pk)


def republish(page: ArticlePage, title: str) -> ArticlePage:
    page = ArticlePage.objects.get(pk=page.pk)
    page.title = title
    page.save_revision().publish()
    return ArticlePage.objects.get(pk=page.pk)


def report_url() -> str:
    return reverse("news_editorial:translations_to_update")


# --- Creating a translation -----------------------------------------------------------------


def test_translate_a_section_with_its_items_in_the_admin(t0, client, newsroom, english):
    client.force_login(newsroom.section_editor)
    section = newsroom.paper.politics
    url = reverse("simple_translation:submit_page_translation", args=[section.pk])

    with time_machine.travel(t0, tick=False):
        response = client.post(url, {"locales": [english.pk], "include_subtree": "on"})

    assert response.status_code == 302
    english_article = ArticlePage.objects.get(
        translation_key=newsroom.paper.egov.translation_key, locale=english
    )
    assert english_article.get_parent().specific.get_translation(section.locale) == section
    assert not english_article.live  # a draft until the translator publishes it
    assert english_article.translation_synced_at == t0
    assert translations.original_of(english_article).pk == newsroom.paper.egov.pk
    assert AuditRecord.objects.filter(
        action="wagtail.copy_for_translation", object_id=str(english_article.pk)
    ).exists()


def test_translate_one_article_in_the_admin_keeps_the_link(
    client, newsroom, english, english_politics
):
    client.force_login(newsroom.section_editor)
    article = newsroom.paper.egov
    url = reverse("simple_translation:submit_page_translation", args=[article.pk])

    response = client.post(url, {"locales": [english.pk]})

    translated = article.get_translation(english)
    assert response.url == reverse("wagtailadmin_pages:edit", args=[translated.pk])
    assert translated.get_parent().pk == english_politics.pk
    assert translated.translation_key == article.translation_key
    assert translated.specific.translation_synced_at is not None
    assert translated.specific.withdrawn_at is None


def test_the_reporter_translates_only_what_she_may_edit(client, newsroom, english_politics):
    client.force_login(newsroom.reporter)
    url = reverse("simple_translation:submit_page_translation", args=[newsroom.paper.egov.pk])

    response = client.get(url)

    assert response.status_code == 302  # refused: the article is someone else's
    assert ArticlePage.objects.filter(locale=english_politics.locale).count() == 0


# --- Out of date ----------------------------------------------------------------------------


def test_republishing_the_original_puts_the_translation_in_the_report(
    t0, client, newsroom, english, english_politics
):
    with time_machine.travel(t0, tick=False):
        translated = translate(newsroom.paper.egov, english)
    client.force_login(newsroom.section_editor)
    assert not translations.out_of_date_translations().exists()

    # When the Vietnamese original changes the next day
    with time_machine.travel(t0 + HOUR, tick=False):
        original = republish(newsroom.paper.egov, "Chính phủ điện tử phục vụ người dân tốt hơn")

    # Then the report lists the translation, with its original, dates and edit links
    assert list(translations.out_of_date_translations()) == [
        NewsItemPage.objects.get(pk=translated.pk)
    ]
    html = client.get(report_url()).content.decode()
    assert translated.title in html
    assert original.title in html
    assert reverse("wagtailadmin_pages:edit", args=[translated.pk]) in html
    assert reverse("wagtailadmin_pages:edit", args=[original.pk]) in html
    # And the translation's editor says so, with a link to what changed
    editor = client.get(reverse("wagtailadmin_pages:edit", args=[translated.pk]))
    panel = editor.content.decode()
    assert 'data-translation-status="out-of-date"' in panel
    assert (
        reverse(
            "wagtailadmin_pages:revisions_compare",
            kwargs={
                "pk": original.pk,
                "revision_id_a": newsroom.paper.egov.live_revision_id,
                "revision_id_b": "live",
            },
        )
        in panel
    )


def test_the_translator_confirms_in_the_editor_and_it_leaves_the_report(
    t0, client, newsroom, english, english_politics
):
    with time_machine.travel(t0, tick=False):
        translated = translate(newsroom.paper.egov, english)
    with time_machine.travel(t0 + HOUR, tick=False):
        republish(newsroom.paper.egov, "Chính phủ điện tử phục vụ người dân tốt hơn")
    client.force_login(newsroom.section_editor)
    edit_url = reverse("wagtailadmin_pages:edit", args=[translated.pk])
    assert 'name="translation_up_to_date"' in client.get(edit_url).content.decode()

    # When she saves her corrected translation with the box ticked (publishing is the
    # editor-in-chief's; confirming the translation is not)
    with time_machine.travel(t0 + 2 * HOUR, tick=False):
        response = client.post(
            edit_url,
            page_form_data(
                translated,
                newsroom.section_editor,
                title="E-government serves people better",
                translation_up_to_date="on",
            ),
        )

    assert response.status_code == 302
    translated = ArticlePage.objects.get(pk=translated.pk)
    assert translated.get_latest_revision_as_object().title == "E-government serves people better"
    assert translated.translation_synced_at == t0 + 2 * HOUR
    assert not translations.out_of_date_translations().exists()
    assert translated.title not in client.get(report_url()).content.decode()
    record = AuditRecord.objects.get(action="news.translation_up_to_date")
    assert record.actor_username == "trang"
    panel = client.get(edit_url).content.decode()
    assert 'data-translation-status="up-to-date"' in panel


def test_saving_without_the_checkbox_leaves_it_out_of_date(
    t0, client, newsroom, english, english_politics
):
    with time_machine.travel(t0, tick=False):
        translated = translate(newsroom.paper.egov, english)
    with time_machine.travel(t0 + HOUR, tick=False):
        republish(newsroom.paper.egov, "Chính phủ điện tử phục vụ người dân tốt hơn")
    client.force_login(newsroom.section_editor)

    client.post(
        reverse("wagtailadmin_pages:edit", args=[translated.pk]),
        page_form_data(translated, newsroom.section_editor, **{"action-publish": "publish"}),
    )

    assert translations.out_of_date_translations().filter(pk=translated.pk).exists()


def test_the_checkbox_is_offered_on_translations_only(client, newsroom):
    client.force_login(newsroom.section_editor)

    html = client.get(
        reverse("wagtailadmin_pages:edit", args=[newsroom.paper.egov.pk])
    ).content.decode()

    assert 'name="translation_up_to_date"' not in html


def test_an_original_cannot_be_marked_as_a_translation(newsroom):
    with pytest.raises(ValidationError):
        editorial.mark_translation_up_to_date(
            actor=newsroom.section_editor, page=newsroom.paper.egov
        )


def test_the_confirmation_survives_publishing_an_older_draft(
    t0, newsroom, english, english_politics
):
    with time_machine.travel(t0, tick=False):
        translated = translate(newsroom.paper.egov, english)
        draft = translated.save_revision()  # saved before the original changed
    with time_machine.travel(t0 + HOUR, tick=False):
        republish(newsroom.paper.egov, "Chính phủ điện tử phục vụ người dân tốt hơn")
    with time_machine.travel(t0 + 2 * HOUR, tick=False):
        editorial.mark_translation_up_to_date(actor=newsroom.section_editor, page=translated)

    draft.publish()

    assert ArticlePage.objects.get(pk=translated.pk).translation_synced_at == (t0 + 2 * HOUR)


def test_the_report_costs_a_fixed_number_of_queries(
    t0, client, newsroom, english, english_politics, django_assert_max_num_queries
):
    with time_machine.travel(t0, tick=False):
        originals = [make_article(newsroom.paper.politics, f"Tin số {n}") for n in range(6)]
        for original in originals:
            translate(original, english)
    with time_machine.travel(t0 + HOUR, tick=False):
        for original in originals:
            republish(original, f"{original.title} (sửa)")
    client.force_login(newsroom.section_editor)
    client.get(report_url())  # warm caches (content types, site, permissions)

    with django_assert_max_num_queries(30):
        response = client.get(report_url())

    assert response.status_code == 200
    assert len(response.context["object_list"]) == 6
