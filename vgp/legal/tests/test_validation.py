"""What a legal document must satisfy before it is saved (``LegalDocument.clean`` and
``DocumentRelation.clean``), seen by the model and as field errors in the admin form.

Persona (conftest): Chị Ngọc, legal database editor of the Government Office.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from vgp.legal.models import Category, DocumentRelation, LegalDocument, RelationKind
from vgp.legal.numbering import SymbolError, parse_symbol
from vgp.legal.testing import SAMPLE_BODY, document_type, make_document
from vgp.legal.tests.admin_forms import add_inline, edit_document_data, new_document_data, url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_and_password_only(settings):
    # Messages are read in English here; officials sign in with a password (the second factor
    # has its own tests).
    settings.VGP_REQUIRE_2FA = False
    with translation.override("en"):
        yield


def document(issuer=None, **values) -> LegalDocument:
    """An unsaved decree as typed; ``values`` override the fields."""
    type_name = values.pop("type_name", "Nghị định")
    kind = document_type(type_name)
    fields = {
        "number_symbol": "15/2024/NĐ-CP",
        "doc_type": kind,
        "category": kind.category,
        "issuer": issuer,
        "issuer_name": "" if issuer else "Chính phủ",
        "title": "Quy định chi tiết một số điều của Luật Bảo vệ môi trường",
        "issued_date": dt.date(2024, 2, 20),
        "effective_date": dt.date(2024, 4, 5),
    }
    fields.update(values)
    return LegalDocument(**fields)


def errors_of(item) -> dict[str, list[str]]:
    try:
        item.clean()
    except ValidationError as error:
        return error.message_dict
    return {}


# --- The number and symbol ------------------------------------------------------------------


def test_a_valid_number_is_stored_in_its_official_spelling_with_its_parts(government_office):
    item = document(government_office, number_symbol="số 5 / 2024 / nd - cp")

    assert errors_of(item) == {}
    assert item.number_symbol == "05/2024/NĐ-CP"
    assert (item.number, item.year, item.type_code, item.issuer_code, item.symbol_key) == (
        "05",
        2024,
        "NĐ",
        "CP",
        "05/2024/nd-cp",
    )


@pytest.mark.parametrize("text", ["abc/QĐ", "15-QĐ-TTg", "0/2024/NĐ-CP", "15/24/NĐ-CP"])
def test_an_unreadable_number_is_refused_with_the_parsers_explanation(government_office, text):
    with pytest.raises(SymbolError) as parser:
        parse_symbol(text)

    assert errors_of(document(government_office, number_symbol=text)) == {
        "number_symbol": [str(parser.value)]
    }


def test_the_type_in_the_number_must_be_the_chosen_type(government_office):
    item = document(government_office, number_symbol="13/2023/NĐ-CP", type_name="Thông tư")

    (message,) = errors_of(item)["doc_type"]

    assert "13/2023/NĐ-CP" in message
    assert "Nghị định (NĐ)" in message and "Thông tư (TT)" in message


def test_a_number_without_a_type_code_fits_any_type(government_office):
    law = document(number_symbol="45/2013/QH13", type_name="Luật", issuer_name="Quốc hội")

    assert errors_of(law) == {}


def test_a_legal_normative_document_needs_the_year_in_its_number(government_office):
    item = document(government_office, number_symbol="15/NĐ-CP")

    (message,) = errors_of(item)["number_symbol"]

    assert "year" in message and "15/NĐ-CP" in message


@pytest.mark.parametrize(
    ("values", "why"),
    [
        ({"category": Category.DIRECTIVE}, "a directive document"),
        ({"issued_date": dt.date(1994, 6, 1), "effective_date": None}, "issued before 2009"),
        (
            {"number_symbol": "01/VBHN-VPQH", "type_name": "Văn bản hợp nhất"},
            "a consolidated text",
        ),
    ],
)
def test_some_documents_are_numbered_without_the_year(government_office, values, why):
    values.setdefault("number_symbol", "15/NĐ-CP")

    assert "number_symbol" not in errors_of(document(government_office, **values)), why


def test_only_the_constitution_may_have_no_number(government_office):
    constitution = document(number_symbol="", type_name="Hiến pháp", issuer_name="Quốc hội")
    decree = document(government_office, number_symbol="")

    assert errors_of(constitution) == {}
    assert list(errors_of(decree)) == ["number_symbol"]


# --- Dates and issuer -----------------------------------------------------------------------


def test_a_document_cannot_take_effect_before_it_is_issued(government_office):
    item = document(government_office, effective_date=dt.date(2024, 2, 1))

    (message,) = errors_of(item)["effective_date"]

    assert "2024-02-01" in message and "2024-02-20" in message


@pytest.mark.parametrize(
    ("effective", "expiry"),
    [(dt.date(2024, 4, 5), dt.date(2024, 4, 5)), (None, dt.date(2024, 1, 1))],
)
def test_a_document_expires_after_it_takes_effect(government_office, effective, expiry):
    item = document(government_office, effective_date=effective, expiry_date=expiry)

    assert list(errors_of(item)) == ["expiry_date"]


def test_an_issuer_is_required_from_the_registry_or_by_name():
    assert list(errors_of(document(None, issuer_name=""))) == ["issuer"]
    assert errors_of(document(None, issuer_name="Ủy ban Thường vụ Quốc hội")) == {}


# --- Duplicates -----------------------------------------------------------------------------


def test_the_same_number_from_the_same_issuer_is_a_duplicate_named_with_a_link(
    government_office,
):
    existing = make_document("15/2024/NĐ-CP", issuer=government_office, body=SAMPLE_BODY)

    (message,) = errors_of(document(government_office, number_symbol="15/2024/nd-cp"))[
        "number_symbol"
    ]

    assert f'href="{url("edit", existing.pk)}"' in message
    assert "15/2024/NĐ-CP" in message


def test_the_same_number_from_another_issuer_or_of_another_type_is_not_a_duplicate(
    government_office, ministry_of_finance
):
    make_document(
        "01/QĐ-UBND", "Quyết định", issuer_name="UBND tỉnh Bắc Ninh", category="directive"
    )
    make_document("12/HĐ-BTC", "Hợp đồng", issuer=ministry_of_finance, category="directive")

    same_number_other_province = document(
        number_symbol="01/QĐ-UBND",
        type_name="Quyết định",
        category=Category.DIRECTIVE,
        issuer_name="UBND tỉnh Lào Cai",
    )
    guidance_not_contract = document(
        ministry_of_finance,
        number_symbol="12/HD-BTC",
        type_name="Hướng dẫn",
        category=Category.DIRECTIVE,
    )

    assert errors_of(same_number_other_province) == {}
    assert errors_of(guidance_not_contract) == {}


def test_a_document_is_not_its_own_duplicate(government_office):
    existing = make_document("15/2024/NĐ-CP", issuer=government_office, body=SAMPLE_BODY)

    assert errors_of(existing) == {}


# --- Relations ------------------------------------------------------------------------------


def test_a_relation_names_a_document_or_its_number(government_office):
    source = make_document("02/2023/TT-BTC", "Thông tư", issuer=government_office)
    relation = DocumentRelation(source=source, kind=RelationKind.AMENDS)

    assert list(errors_of(relation)) == ["target"]


def test_a_number_given_for_a_relation_is_read_and_stored_officially(government_office):
    source = make_document("02/2023/TT-BTC", "Thông tư", issuer=government_office)
    relation = DocumentRelation(
        source=source, kind=RelationKind.BASED_ON, target_reference="14/2019/tt-btc"
    )
    broken = DocumentRelation(source=source, kind=RelationKind.BASED_ON, target_reference="TT 14")

    assert errors_of(relation) == {}
    assert relation.target_reference == "14/2019/TT-BTC"
    assert list(errors_of(broken)) == ["target_reference"]


def test_a_document_cannot_be_related_to_itself(government_office):
    source = make_document("02/2023/TT-BTC", "Thông tư", issuer=government_office)

    by_choice = DocumentRelation(source=source, kind=RelationKind.AMENDS, target=source)
    by_number = DocumentRelation(
        source=source, kind=RelationKind.AMENDS, target_reference="02/2023/TT-BTC"
    )

    assert list(errors_of(by_choice)) == ["target"]
    assert list(errors_of(by_number)) == ["target_reference"]


# --- In the admin form ----------------------------------------------------------------------


def post_new(client, editor, agency, **values):
    client.force_login(editor)
    fields = {
        "number_symbol": "15/2024/NĐ-CP",
        "doc_type": document_type("Nghị định").pk,
        "category": "legal",
        "issuer": agency.pk,
        "title": "Quy định chi tiết một số điều của Luật Bảo vệ môi trường",
        "issued_date": dt.date(2024, 2, 20),
        "effective_date": dt.date(2024, 4, 5),
        "body": SAMPLE_BODY,
    }
    fields.update(values)
    return client.post(url("add"), new_document_data(client, **fields))


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"number_symbol": "abc/QĐ"}, "number_symbol"),
        ({"doc_type": lambda: document_type("Thông tư").pk}, "doc_type"),
        ({"effective_date": dt.date(2024, 1, 1)}, "effective_date"),
        ({"expiry_date": dt.date(2024, 3, 1)}, "expiry_date"),
        ({"issuer": None}, "issuer"),
    ],
)
def test_the_admin_form_shows_each_problem_on_its_field(
    client, legal_editor, government_office, values, field
):
    values = {name: value() if callable(value) else value for name, value in values.items()}

    response = post_new(client, legal_editor, government_office, **values)

    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert not LegalDocument.objects.exists()


def test_the_admin_form_links_to_the_duplicate(client, legal_editor, government_office):
    existing = make_document("15/2024/NĐ-CP", issuer=government_office, body=SAMPLE_BODY)

    response = post_new(client, legal_editor, government_office, number_symbol="15/2024/nd-cp")

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["number_symbol"]
    assert f'<a href="{url("edit", existing.pk)}">' in response.content.decode()
    assert LegalDocument.objects.count() == 1


def test_the_admin_form_shows_relation_problems_on_the_relation(
    client, legal_editor, government_office
):
    client.force_login(legal_editor)
    data = new_document_data(
        client,
        number_symbol="15/2024/NĐ-CP",
        doc_type=document_type("Nghị định").pk,
        category="legal",
        issuer=government_office.pk,
        title="Quy định chi tiết",
        issued_date=dt.date(2024, 2, 20),
    )
    add_inline(data, "relations", kind=RelationKind.AMENDS, target_reference="nghị định cũ")
    add_inline(data, "relations", kind=RelationKind.REPLACES)

    response = client.post(url("add"), data)

    assert response.status_code == 200
    forms = response.context["form"].formsets["relations"].forms
    assert list(forms[0].errors) == ["target_reference"]
    assert list(forms[1].errors) == ["target"]


def test_editing_keeps_the_number_valid(client, legal_editor, government_office):
    existing = make_document("15/2024/NĐ-CP", issuer=government_office, body=SAMPLE_BODY)
    client.force_login(legal_editor)

    response = client.post(
        url("edit", existing.pk),
        edit_document_data(client, existing, number_symbol="15/2024"),
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["number_symbol"]
    assert LegalDocument.objects.get(pk=existing.pk).get_latest_revision() is None
