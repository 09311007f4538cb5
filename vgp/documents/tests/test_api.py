"""The official documents API as agency systems use it.

Personas (conftest.py): the Government Office's document-management system registers the
letters it receives with the Office's API key (``office_key``); the Legal Affairs Department
has a system and a key of its own (``legal_key``); the Ministry of Home Affairs' system has
another agency's key (``ministry_key``) and must learn nothing of the Office's documents. Chị
Lan (``clerk``) presents a registered letter to ông Hùng (``leader``), who directs it to the
General Affairs Department, whose head chị Mai (``unit_head``) gives it to anh Nam
(``handler``).
"""

from __future__ import annotations

import datetime as dt
import http.client
import io
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import get_args

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfWriter

from vgp.accounts.actions import issue_api_key
from vgp.documents import actions, api
from vgp.documents.models import (
    Attachment,
    AttachmentKind,
    Channel,
    DeliveryStatus,
    Direction,
    Document,
    EventKind,
    Secrecy,
    Status,
    Urgency,
)
from vgp.documents.testing import draft, incoming
from vgp.testing.nginx import needs_nginx, running_nginx

pytestmark = pytest.mark.django_db

URL = "/api/v1/documents"
INCOMING = f"{URL}/incoming"
YEAR = timezone.localdate().year


def make_pdf(pages: int = 2) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def registry(office, general, legal_unit, home_ministry):
    """The agencies the letters name (the Ministry of Home Affairs issues them)."""


@pytest.fixture
def office_key(office) -> str:
    return issue_api_key(None, agency=office, name="Hệ thống quản lý văn bản VPCP")[1]


@pytest.fixture
def legal_key(legal_unit) -> str:
    return issue_api_key(None, agency=legal_unit, name="Phần mềm của Vụ Pháp luật")[1]


@pytest.fixture
def ministry_key(home_ministry) -> str:
    return issue_api_key(None, agency=home_ministry, name="Hệ thống văn bản Bộ Nội vụ")[1]


def letter(**changes) -> dict:
    """Công văn 1925/BNV-TCBC of the Ministry of Home Affairs, as the Office's system sends it."""
    data = {
        "document_type": "CV",
        "number_symbol": "1925/BNV-TCBC",
        "document_date": (timezone.localdate() - dt.timedelta(days=2)).strftime("%d/%m/%Y"),
        "issuer": "000.00.00.G09",
        "summary": "Về việc góp ý dự thảo Nghị định quy định chức năng, nhiệm vụ của các bộ",
        "urgency": "khan",
        "page_count": 3,
        "identifier": "000.00.00.G09.2026.1925",
        "signer_name": "Nguyễn Văn A",
        "signer_position": "Thứ trưởng",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def headers(key: str | None, *, language: str = "") -> dict:
    found = {}
    if key:
        found["HTTP_X_API_KEY"] = key
    if language:
        found["HTTP_ACCEPT_LANGUAGE"] = language
    return found


def post(client, key: str | None, data: dict, *, language: str = ""):
    return client.post(
        INCOMING, data, content_type="application/json", **headers(key, language=language)
    )


def post_form(client, key: str | None, data: dict, *, language: str = "", **files):
    form = {
        name: str(value).lower() if isinstance(value, bool) else value
        for name, value in data.items()
    }
    return client.post(INCOMING, {**form, **files}, **headers(key, language=language))


def get(client, key: str | None, path: str, *, language: str = "", **params):
    return client.get(f"{URL}{path}", params, **headers(key, language=language))


# --- registering ------------------------------------------------------------------------------


def test_a_registration_returns_the_incoming_number_and_is_in_the_register(
    client, office_key, office, home_ministry
):
    response = post(client, office_key, letter())

    assert response.status_code == 201, response.content
    body = response.json()
    document = Document.objects.get()
    assert body["id"] == document.pk
    assert (body["arrival_number"], body["arrival_year"]) == (1, YEAR)
    assert body["reference"] == f"01/{YEAR}"
    assert (body["status"], body["number_symbol"]) == ("registered", "1925/BNV-TCBC")
    assert body["register_of"] == {
        "code": office.code,
        "name": "Văn phòng Chính phủ",
        "name_en": "Government Office",
    }
    assert body["received_at"].endswith("+07:00")
    assert body["links"] == {
        "self": f"http://testserver{URL}/{document.pk}",
        "timeline": f"http://testserver{URL}/{document.pk}/timeline",
    }
    assert response["Location"] == body["links"]["self"]
    # In the Office's incoming register, registered by the agency's system.
    assert (document.direction, document.agency, document.channel) == (
        Direction.INCOMING,
        office,
        Channel.API,
    )
    assert (document.arrival_number, document.arrival_year) == (1, YEAR)
    assert document.registered_by is None
    assert document.issuer == home_ministry and document.issuer_name == "Bộ Nội vụ"
    assert document.urgency == Urgency.URGENT and document.secrecy == Secrecy.NONE
    assert document.document_type.code == "CV" and document.page_count == 3
    assert document.document_date == timezone.localdate() - dt.timedelta(days=2)
    assert document.identifier == "000.00.00.G09.2026.1925"
    assert list(document.events.values_list("kind", flat=True)) == [EventKind.REGISTERED]


def test_incoming_numbers_increase_in_the_register(client, office_key, clerk):
    def register(number: int) -> int:
        data = letter(number_symbol=f"{number}/BNV-TCBC", identifier=None)
        return post(client, office_key, data).json()["arrival_number"]

    numbers = [register(101), register(102)]
    # The clerk registers one by hand in between: the same series.
    incoming(clerk, number_symbol="5/QĐ-BTC", issuer_name="Bộ Tài chính")
    numbers.append(register(103))

    assert numbers == [1, 2, 4]
    assert sorted(Document.objects.values_list("arrival_number", flat=True)) == [1, 2, 3, 4]


def test_a_multipart_registration_stores_the_document_and_its_annexes(client, office_key):
    main = SimpleUploadedFile("1925-BNV-TCBC.pdf", make_pdf(3), content_type="application/pdf")
    annex = SimpleUploadedFile("phu-luc.pdf", make_pdf(1), content_type="application/pdf")

    response = post_form(
        client, office_key, letter(allow_duplicate=False), main=main, annexes=[annex]
    )

    assert response.status_code == 201, response.content
    assert response.json()["files"] == [
        {
            "name": "1925-BNV-TCBC.pdf",
            "kind": "main",
            "type": "application/pdf",
            "size": len(make_pdf(3)),
            "pages": 3,
        },
        {
            "name": "phu-luc.pdf",
            "kind": "annex",
            "type": "application/pdf",
            "size": len(make_pdf(1)),
            "pages": 1,
        },
    ]
    stored = Attachment.objects.order_by("id")
    assert [a.kind for a in stored] == [AttachmentKind.MAIN, AttachmentKind.ANNEX]
    assert all(storages["private"].exists(a.stored_name) for a in stored)


def test_the_metadata_may_come_as_one_json_part(client, office_key):
    main = SimpleUploadedFile("cv.pdf", make_pdf(), content_type="application/pdf")

    response = client.post(
        INCOMING,
        {"metadata": json.dumps(letter(urgency=3)), "main": main},
        **headers(office_key),
    )

    assert response.status_code == 201, response.content
    document = Document.objects.get()
    assert document.urgency == Urgency.FLASH
    assert document.attachments.get().kind == AttachmentKind.MAIN


def test_a_file_refused_by_its_content_is_named_and_nothing_is_registered(client, office_key):
    program = SimpleUploadedFile(
        "cong-van.pdf",
        b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200,
        content_type="application/pdf",
    )

    response = post_form(client, office_key, letter(), main=program, language="en")

    assert response.status_code == 400
    assert any("cong-van.pdf" in message for message in response.json()["errors"]["files"])
    assert not Document.objects.exists()
    assert not Attachment.objects.exists()


def test_unknown_file_parts_and_two_main_files_are_refused(client, office_key):
    one = SimpleUploadedFile("a.pdf", make_pdf(), content_type="application/pdf")
    two = SimpleUploadedFile("b.pdf", make_pdf(), content_type="application/pdf")

    response = post_form(client, office_key, letter(), main=[one, two], language="en")

    assert response.status_code == 400
    assert response.json()["errors"]["files"] == ["Send one “main” file; annexes go as “annexes”."]
    other = SimpleUploadedFile("c.pdf", make_pdf(), content_type="application/pdf")
    response = post_form(client, office_key, letter(), files=other, language="en")
    assert response.status_code == 400
    assert "“files”" in response.json()["errors"]["files"][0]
    assert not Document.objects.exists()


def test_levels_and_dates_are_read_in_either_form(client, office_key):
    response = post(
        client,
        office_key,
        letter(urgency="thượng khẩn", document_date=timezone.localdate().isoformat(), due_on=None),
    )

    assert response.status_code == 201, response.content
    document = Document.objects.get()
    assert document.urgency == Urgency.VERY_URGENT
    assert document.document_date == timezone.localdate()
    for value, level in (("hoa_toc", 3), ("1", 1), (0, 0)):
        assert api.read_level(value, api.URGENCY_CODES) == level


def test_the_type_is_read_from_the_symbol_when_not_given(client, office_key):
    decision = post(client, office_key, letter(document_type=None, number_symbol="15/QD-BNV"))
    official_letter = post(client, office_key, letter(document_type=None, identifier=None))
    ascii_code = post(
        client, office_key, letter(document_type="qd", number_symbol="16/QĐ-BNV", identifier="x")
    )

    assert [r.status_code for r in (decision, official_letter, ascii_code)] == [201, 201, 201]
    types = dict(Document.objects.values_list("number_symbol", "document_type__code"))
    assert types == {"15/QĐ-BNV": "QĐ", "1925/BNV-TCBC": "CV", "16/QĐ-BNV": "QĐ"}


def test_a_unit_register_is_named_by_its_code(client, office_key, legal_key, legal_unit, office):
    response = post(client, office_key, letter(register=legal_unit.code))

    assert response.status_code == 201, response.content
    assert response.json()["register_of"]["code"] == legal_unit.code
    assert response.json()["arrival_number"] == 1
    assert Document.objects.get().agency == legal_unit
    # A unit's system cannot register in its parent's register.
    refused = post(client, legal_key, letter(register=office.code, identifier="y"), language="en")
    assert refused.status_code == 400
    assert refused.json()["errors"]["register"] == [
        "This API key acts for Vụ Pháp luật: register documents in its register or in one of "
        "its units'."
    ]


# --- refusals -----------------------------------------------------------------------------------


def test_an_invalid_symbol_is_named_in_the_callers_language(client, office_key):
    vietnamese = post(client, office_key, letter(number_symbol="Công văn số 1925"))
    english = post(client, office_key, letter(number_symbol="Công văn số 1925"), language="en")

    assert (vietnamese.status_code, english.status_code) == (400, 400)
    assert vietnamese.json()["detail"] == "Yêu cầu không hợp lệ."
    assert vietnamese.json()["errors"] == {
        "number_symbol": [
            "“Công văn số 1925” không phải là số, ký hiệu văn bản. Số, ký hiệu hợp lệ có dạng "
            "như 83/2008/QĐ-TTg, 15/QĐ-BNV hoặc 1925/VPCP-WebCP."
        ]
    }
    assert english.json()["detail"] == "The request is not valid."
    assert english.json()["errors"] == {
        "number_symbol": [
            "“Công văn số 1925” is not a document number and symbol. Expected forms are like "
            "83/2008/QĐ-TTg, 15/QĐ-BNV or 1925/VPCP-WebCP."
        ]
    }
    assert not Document.objects.exists()


def test_refused_values_are_named_per_field(client, office_key):
    response = post(
        client,
        office_key,
        letter(issuer="000.00.00.G99", document_type="XX", register="000.00.00.H99"),
        language="en",
    )

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"issuer", "document_type", "register"}
    assert errors["issuer"] == ["No agency in the registry has the code “000.00.00.G99”."]
    assert errors["document_type"] == ["No document type has the code “XX”."]
    nobody = post(client, office_key, letter(issuer=None), language="en")
    assert nobody.status_code == 400
    assert list(nobody.json()["errors"]) == ["issuer"]
    assert not Document.objects.exists()


def test_the_actions_checks_are_field_errors_too(client, office_key):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = post(client, office_key, letter(document_date=tomorrow.isoformat()), language="en")

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "document_date": ["The document's date cannot be in the future."]
    }


def test_malformed_fields_are_a_422_in_the_callers_language(client, office_key):
    vietnamese = post(client, office_key, letter(urgency="gap"))
    english = post(
        client,
        office_key,
        letter(urgency="gap", document_date="2026.03.15", summary=""),
        language="en",
    )

    assert (vietnamese.status_code, english.status_code) == (422, 422)
    assert vietnamese.json()["fields"]["urgency"][0].startswith("Chọn một trong: 0, 1, 2, 3")
    fields = english.json()["fields"]
    assert fields["urgency"] == ["Choose one of: 0, 1, 2, 3, thuong, khan, thuong_khan, hoa_toc."]
    assert fields["document_date"] == ["Enter a date as dd/mm/yyyy or yyyy-mm-dd, e.g. 15/03/2026."]
    assert fields["summary"] == ["This field cannot be empty."]
    missing = post(client, office_key, {"summary": "Về việc"}, language="en")
    assert missing.json()["fields"] == {"number_symbol": ["This field is required."]}
    assert not Document.objects.exists()


def test_a_duplicate_is_a_conflict_naming_the_first(client, office_key):
    first = post(client, office_key, letter()).json()

    again = post(client, office_key, letter(), language="en")

    assert again.status_code == 409
    body = again.json()
    assert body["detail"].startswith("This register already holds this document")
    assert body["duplicates"] == [
        {
            "id": first["id"],
            "reference": f"01/{YEAR}",
            "arrival_number": 1,
            "arrival_year": YEAR,
            "number_symbol": "1925/BNV-TCBC",
            "issuer_name": "Bộ Nội vụ",
            "status": "registered",
            "received_at": first["received_at"],
            "links": first["links"],
        }
    ]
    assert Document.objects.count() == 1


def test_a_duplicate_is_registered_when_allowed(client, office_key):
    post(client, office_key, letter())

    again = post(client, office_key, letter(allow_duplicate=True))

    assert again.status_code == 201
    assert again.json()["arrival_number"] == 2
    assert Document.objects.count() == 2


@pytest.mark.parametrize("secrecy", [1, "mat", "tuyet_mat"])
def test_a_classified_document_is_never_registered_through_the_api(client, office_key, secrecy):
    main = SimpleUploadedFile("mat.pdf", make_pdf(), content_type="application/pdf")

    response = post_form(client, office_key, letter(secrecy=secrecy), main=main, language="en")

    assert response.status_code == 403
    assert "never travel over the network" in response.json()["detail"]
    assert not Document.objects.exists()
    assert not Attachment.objects.exists()


def test_without_a_valid_key_nothing_happens(client):
    assert post(client, None, letter()).status_code == 401
    assert post(client, "vgp_khong-phai-khoa", letter()).status_code == 401
    assert get(client, None, "").status_code == 401
    assert not Document.objects.exists()


# --- reading ------------------------------------------------------------------------------------


@pytest.fixture
def registered(client, office_key) -> dict:
    main = SimpleUploadedFile("1925-BNV-TCBC.pdf", make_pdf(3), content_type="application/pdf")
    response = post_form(client, office_key, letter(), main=main)
    assert response.status_code == 201, response.content
    return response.json()


def test_the_document_as_its_agency_reads_it(client, office_key, registered, office, home_ministry):
    response = get(client, office_key, f"/{registered['id']}", language="en")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["id"] == registered["id"]
    assert (body["direction"], body["direction_label"]) == ("in", "Incoming")
    assert (body["status"], body["status_label"]) == ("registered", "Registered, to present")
    assert body["document_type"] == {
        "code": "CV",
        "abbreviation": "",
        "name": "Công văn",
        "name_en": "Official letter",
    }
    assert body["number_symbol"] == "1925/BNV-TCBC"
    assert (body["number"], body["notation"]) == ("1925", "BNV-TCBC")
    assert body["issuer"]["code"] == home_ministry.code and body["issuer_name"] == "Bộ Nội vụ"
    assert body["urgency"] == {"level": 1, "code": "khan", "label": "Urgent (khẩn)"}
    assert body["secrecy"] == {"level": 0, "code": "thuong", "label": "Not classified"}
    assert (body["arrival_number"], body["arrival_year"]) == (1, YEAR)
    assert body["reference"] == f"01/{YEAR}"
    assert body["channel"] == {"code": "api", "label": "From an agency system (API)"}
    assert body["holder_unit"]["code"] == office.code and body["holder_name"] is None
    for field in ("received_at", "held_since", "created_at", "updated_at"):
        assert body[field].endswith("+07:00"), field
    assert body["document_date"] == (timezone.localdate() - dt.timedelta(days=2)).isoformat()
    assert body["files"] == registered["files"]
    assert body["deliveries"] == []
    assert body["links"] == registered["links"]


def test_another_agencys_key_learns_nothing(client, registered, ministry_key):
    for path in (f"/{registered['id']}", f"/{registered['id']}/timeline"):
        response = get(client, ministry_key, path, language="en")
        assert response.status_code == 404
        assert response.json() == {
            "detail": f"No document with the id {registered['id']} is in your agency's registers."
        }
    missing = get(client, ministry_key, "/999999", language="en")
    assert missing.status_code == 404
    assert get(client, ministry_key, "").json()["items"] == []


def test_a_units_key_sees_its_register_only(client, office_key, legal_key, legal_unit, registered):
    in_unit = post(client, office_key, letter(register=legal_unit.code)).json()

    assert get(client, legal_key, f"/{in_unit['id']}").status_code == 200
    assert get(client, legal_key, f"/{registered['id']}").status_code == 404
    # The Office's key sees its units' registers too.
    assert get(client, office_key, f"/{in_unit['id']}").status_code == 200


def test_a_classified_document_is_not_found(client, office_key, clerk):
    secret = incoming(clerk, secrecy=Secrecy.CONFIDENTIAL, number_symbol="7/BNV-TCBC")

    for path in (f"/{secret.pk}", f"/{secret.pk}/timeline"):
        assert get(client, office_key, path).status_code == 404
    assert get(client, office_key, "").json()["items"] == []


def test_the_timeline_after_the_clerk_the_leader_and_the_unit_head(
    client, office_key, registered, clerk, leader, unit_head, handler, general
):
    document = Document.objects.get(pk=registered["id"])
    due = timezone.localdate() + dt.timedelta(days=10)
    actions.present(clerk, document, leader=leader, note="Kính trình anh Hùng.")
    actions.direct(
        leader, document, lead_unit=general, due_on=due, instructions="Vụ TH chủ trì, trả lời."
    )
    task = document.tasks.get(role="lead")
    actions.assign_handler(unit_head, task, handler)

    response = get(client, office_key, f"/{document.pk}/timeline", language="en")

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["reference"]) == ("in_progress", f"01/{YEAR}")
    events = body["events"]
    assert [(e["kind"], e["label"]) for e in events] == [
        ("registered", "Registered"),
        ("presented", "Presented to a leader"),
        ("directed", "Direction recorded"),
        ("assigned", "Handler assigned"),
    ]
    assert [e["actor_name"] for e in events] == [
        None,
        "Trần Thị Lan",
        "Nguyễn Văn Hùng",
        "Lê Thị Mai",
    ]
    assert [e["holder_name"] for e in events] == [
        None,
        "Nguyễn Văn Hùng",
        None,
        "Phạm Văn Nam",
    ]
    assert events[2]["holder_unit"]["code"] == general.code
    assert events[2]["message"] == "Vụ TH chủ trì, trả lời."
    assert events[2]["due_on"] == due.isoformat()
    assert all(e["at"].endswith("+07:00") for e in events)
    assert [e["at"] for e in events] == sorted(e["at"] for e in events)
    # The document itself says where it is now.
    detail = get(client, office_key, f"/{document.pk}").json()
    assert detail["holder_unit"]["code"] == general.code
    assert detail["holder_name"] == "Phạm Văn Nam"
    assert detail["due_on"] == due.isoformat()


def test_the_timeline_labels_follow_the_callers_language(client, office_key, registered):
    english = get(client, office_key, f"/{registered['id']}/timeline", language="en").json()

    assert english["events"][0]["label"] == "Registered"
    assert english["status_label"] == "Registered, to present"


@pytest.fixture
def dispatched(handler, unit_head, leader, clerk, legal_unit, home_ministry) -> Document:
    """Anh Nam's letter to Legal Affairs (inside the system) and to the Ministry (outside)."""
    document = draft(handler, signer=leader, recipients=[legal_unit, home_ministry])
    actions.submit_for_review(handler, document)
    for reviewer in (unit_head, leader, leader):
        document.refresh_from_db()
        for step in actions.pending_steps(reviewer, document):
            actions.review(reviewer, step, decision="approve")
    document.refresh_from_db()
    actions.issue(clerk, document)
    document.refresh_from_db()
    return actions.dispatch(clerk, document)


def test_an_outgoing_document_shows_its_deliveries(
    client, office_key, dispatched, legal_unit, home_ministry, general
):
    response = get(client, office_key, f"/{dispatched.pk}", language="en")

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["direction"], body["status"]) == ("out", "dispatched")
    assert body["number_symbol"] == dispatched.number_symbol
    assert body["arrival_number"] is None and body["reference"] == dispatched.number_symbol
    assert body["drafting_unit"]["code"] == general.code
    assert body["issued_at"].endswith("+07:00")
    deliveries = {d["recipient_name"]: d for d in body["deliveries"]}
    inside = deliveries[legal_unit.name_vi]
    assert (inside["channel"], inside["status"]) == ("internal", DeliveryStatus.DELIVERED)
    assert inside["recipient"]["code"] == legal_unit.code
    assert inside["delivered_at"].endswith("+07:00")
    outside = deliveries[home_ministry.name_vi]
    assert (outside["channel"], outside["status"]) == ("exchange", DeliveryStatus.QUEUED)
    assert outside["status_label"] == "Waiting for its channel"
    assert outside["sent_at"] is None
    timeline = get(client, office_key, f"/{dispatched.pk}/timeline").json()
    kinds = [e["kind"] for e in timeline["events"]]
    assert kinds[0] == "drafted"
    assert {"issued", "delivered", "dispatched"} <= set(kinds)


# --- the list -----------------------------------------------------------------------------------


def test_the_list_syncs_with_a_cursor(client, office_key, clerk):
    for n in range(5):
        post(client, office_key, letter(number_symbol=f"{n + 1}/BNV-TCBC", identifier=None))

    first = get(client, office_key, "", limit=2)
    body = first.json()

    assert first.status_code == 200
    assert [i["arrival_number"] for i in body["items"]] == [1, 2]
    assert body["next"] and body["next_cursor"]
    seen = [i["arrival_number"] for i in body["items"]]
    while body["next"]:
        body = client.get(body["next"], **headers(office_key)).json()
        seen += [i["arrival_number"] for i in body["items"]]
    assert seen == [1, 2, 3, 4, 5]
    # Later: only what changed since the last cursor.
    changed = Document.objects.get(arrival_number=2)
    actions.add_note(clerk, changed, text="Đã gọi điện cho Bộ Nội vụ.")
    later = get(client, office_key, "", cursor=body["next_cursor"]).json()
    assert [i["id"] for i in later["items"]] == [changed.pk]
    assert later["next"] is None


def test_the_list_filters(client, office_key, legal_unit, dispatched):
    post(client, office_key, letter())
    post(client, office_key, letter(register=legal_unit.code, identifier="z"))

    arrivals = get(client, office_key, "", direction="in").json()["items"]
    outgoing = get(client, office_key, "", direction="out").json()["items"]
    received = get(client, office_key, "", status="received").json()["items"]
    in_unit = get(client, office_key, "", register=legal_unit.code, direction="in").json()["items"]
    future = (timezone.now() + dt.timedelta(hours=1)).isoformat()
    nothing = get(client, office_key, "", updated_since=future).json()["items"]

    # The Legal Affairs Department has the copy delivered to it and the letter registered.
    assert len(arrivals) == 3
    assert [i["id"] for i in outgoing] == [dispatched.pk]
    assert [i["register_of"]["code"] for i in received] == [legal_unit.code]
    assert len(in_unit) == 2
    assert nothing == []


def test_bad_list_filters_are_named(client, office_key, ministry_key, legal_unit):
    other = get(client, ministry_key, "", register=legal_unit.code, language="en")
    cursor = get(client, office_key, "", cursor="xyz", language="en")
    status = get(client, office_key, "", status="lost", language="en")

    assert (other.status_code, cursor.status_code, status.status_code) == (422, 422, 422)
    assert other.json()["fields"] == {
        "register": [f"“{legal_unit.code}” is not your agency or one of its units."]
    }
    assert cursor.json()["fields"] == {
        "cursor": ["This cursor is not valid; start again without it."]
    }
    assert "status" in status.json()["fields"]


# --- cost ---------------------------------------------------------------------------------------


def test_reading_costs_a_fixed_number_of_queries(
    client, office_key, dispatched, clerk, leader, django_assert_max_num_queries
):
    document = incoming(clerk)
    for n in range(6):
        actions.add_note(clerk, document, text=f"Ghi chú {n}")
    get(client, office_key, "")  # the key's last use is written once

    # The key's registers (one query per level of its tree: two here), then the rows.
    with django_assert_max_num_queries(5):
        assert get(client, office_key, f"/{dispatched.pk}").status_code == 200
    with django_assert_max_num_queries(4):
        assert get(client, office_key, f"/{document.pk}/timeline").status_code == 200
    with django_assert_max_num_queries(3):
        assert len(get(client, office_key, "").json()["items"]) == 3


# --- the contract ---------------------------------------------------------------------------------


def test_the_openapi_document_describes_the_documents_api(client):
    document = client.get("/api/v1/openapi.json").json()

    paths = document["paths"]
    assert {
        "/api/v1/documents",
        "/api/v1/documents/incoming",
        "/api/v1/documents/{document_id}",
        "/api/v1/documents/{document_id}/timeline",
    } <= set(paths)
    register = paths["/api/v1/documents/incoming"]["post"]
    body = register["requestBody"]["content"]
    assert set(body) == {"application/json", "multipart/form-data"}
    assert {"main", "annexes", "metadata", "register"} <= set(
        body["multipart/form-data"]["schema"]["properties"]
    )
    assert {"201", "400", "401", "403", "409", "422"} <= set(register["responses"])
    assert register["security"]
    detail = paths["/api/v1/documents/{document_id}"]["get"]
    assert {"200", "401", "404"} <= set(detail["responses"])
    assert detail["security"]
    assert paths["/api/v1/documents/{document_id}/timeline"]["get"]["security"]
    assert all(op.get("summary") for path in paths.values() for op in path.values())
    assert client.get("/api/v1/docs").status_code == 200


def test_the_schemas_choices_are_the_models(db):
    assert set(get_args(api.StatusValue)) == set(Status.values)
    assert set(get_args(api.DirectionValue)) == set(Direction.values)
    assert set(api.URGENCY_CODES) == set(Urgency.values)
    assert set(api.SECRECY_CODES) == set(Secrecy.values)


def test_a_retry_with_the_same_idempotency_key_gets_the_same_document(client, office_key):
    # given an agency system registering a letter with an Idempotency-Key
    retry = {**headers(office_key), "HTTP_IDEMPOTENCY_KEY": "so-den-2026-0042"}
    first = client.post(INCOMING, letter(), content_type="application/json", **retry)
    assert first.status_code == 201

    # when its retry arrives (the answer was lost)
    again = client.post(INCOMING, letter(), content_type="application/json", **retry)

    # then it gets the same document, and nothing more is registered
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert Document.objects.count() == 1

    # and the same key for another letter is refused
    other = letter(number_symbol="77/BNV-VP", identifier="000.00.00.G09.2026.77")
    conflict = client.post(INCOMING, other, content_type="application/json", **retry)
    assert conflict.status_code == 409
    assert Document.objects.count() == 1


def test_a_classified_document_sent_over_the_api_is_refused_and_audited(client, office_key):
    from vgp.audit.models import AuditRecord

    response = post(client, office_key, letter(secrecy="mat"))
    assert response.status_code == 403
    assert AuditRecord.objects.filter(action="documents.intake_refused").count() == 1
    assert not Document.objects.exists()


# --- rate limits ---------------------------------------------------------------------------------
# Per API key and per minute, in windows on the clock: the clock is stopped ten seconds into a
# minute (a minute from now, so the keys are already valid), fifty seconds before the next.


@pytest.fixture
def clock():
    moment = timezone.now().replace(second=10, microsecond=0) + dt.timedelta(minutes=1)
    with time_machine.travel(moment, tick=False) as traveller:
        yield moment, traveller


def another_letter(n: int) -> dict:
    return letter(number_symbol=f"{n}/BNV-VP", identifier=f"000.00.00.G09.2026.{n}")


def stored_files(folder: str = "") -> list[str]:
    storage = storages["private"]
    folders, files = storage.listdir(folder)
    found = [f"{folder}{name}" for name in files]
    for name in folders:
        found += stored_files(f"{folder}{name}/")
    return found


def test_past_its_registrations_a_minute_a_key_is_told_when_to_come_back_and_nothing_is_stored(
    client, office_key, clock, settings
):
    from vgp.audit.models import AuditRecord

    # Given the Office's system allowed 2 registrations a minute, which it has just used
    settings.DOCUMENTS_API_REGISTRATIONS_PER_MINUTE = 2
    for n in (1, 2):
        assert post(client, office_key, another_letter(n)).status_code == 201
    files, audited = stored_files(), AuditRecord.objects.count()

    # When it sends a third letter, with its file, in the same minute
    main = SimpleUploadedFile("3-BNV-VP.pdf", make_pdf(), content_type="application/pdf")
    third = post_form(client, office_key, another_letter(3), main=main, language="vi")

    # Then it is told to come back when the minute ends, in its language, and nothing is kept
    assert third.status_code == 429, third.content
    assert third["Retry-After"] == "50"
    assert third.json() == {
        "detail": "Bạn đã gửi quá nhiều lần. Hãy thử lại sau 50 giây.",
        "retry_after": 50,
    }
    assert Document.objects.count() == 2
    assert Attachment.objects.count() == 0
    assert stored_files() == files
    assert AuditRecord.objects.count() == audited


def test_reads_are_counted_apart_from_registrations(client, office_key, clock, settings):
    settings.DOCUMENTS_API_REGISTRATIONS_PER_MINUTE = 2
    settings.DOCUMENTS_API_READS_PER_MINUTE = 3
    document_id = post(client, office_key, another_letter(1)).json()["id"]

    # The registration took none of the three reads: the list, the document, its timeline
    for path in ("", f"/{document_id}", f"/{document_id}/timeline"):
        assert get(client, office_key, path).status_code == 200, path

    # The fourth read, whichever it is, waits for the next minute
    for path in ("", f"/{document_id}", f"/{document_id}/timeline"):
        refused = get(client, office_key, path, language="en")
        assert refused.status_code == 429, path
        assert refused["Retry-After"] == "50"
        assert refused.json()["detail"].startswith("Too many requests.")

    # and the reads took none of the registrations
    assert post(client, office_key, another_letter(2)).status_code == 201
    assert post(client, office_key, another_letter(3)).status_code == 429


def test_another_key_is_not_affected(client, office_key, legal_key, clock, settings):
    # Given the Office's key past both of its limits
    settings.DOCUMENTS_API_REGISTRATIONS_PER_MINUTE = 1
    settings.DOCUMENTS_API_READS_PER_MINUTE = 1
    post(client, office_key, another_letter(1))
    get(client, office_key, "")
    assert post(client, office_key, another_letter(2)).status_code == 429
    assert get(client, office_key, "").status_code == 429

    # Then the Legal Affairs Department's system registers and reads as usual
    assert post(client, legal_key, another_letter(3)).status_code == 201
    assert get(client, legal_key, "").status_code == 200


def test_the_limit_resets_when_the_minute_ends(client, office_key, clock, settings):
    moment, traveller = clock
    settings.DOCUMENTS_API_REGISTRATIONS_PER_MINUTE = 1
    assert post(client, office_key, another_letter(1)).status_code == 201

    # Half a minute later, still refused, and told so to the second
    traveller.move_to(moment + dt.timedelta(seconds=30))
    refused = post(client, office_key, another_letter(2))
    assert refused.status_code == 429 and refused["Retry-After"] == "20"

    # From the next minute on, the key registers again
    traveller.move_to(moment + dt.timedelta(seconds=50))
    assert post(client, office_key, another_letter(2)).status_code == 201
    assert Document.objects.count() == 2


def test_a_key_may_be_stopped_and_a_bad_limit_fails_loudly(client, office_key, clock, settings):
    settings.DOCUMENTS_API_REGISTRATIONS_PER_MINUTE = 0
    assert post(client, office_key, another_letter(1)).status_code == 429

    settings.DOCUMENTS_API_READS_PER_MINUTE = -5
    with pytest.raises(ImproperlyConfigured, match="DOCUMENTS_API_READS_PER_MINUTE"):
        api.per_minute(api.READS)


def test_the_openapi_document_describes_the_rate_limits(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    operations = [
        paths["/api/v1/documents/incoming"]["post"],
        paths["/api/v1/documents"]["get"],
        paths["/api/v1/documents/{document_id}"]["get"],
        paths["/api/v1/documents/{document_id}/timeline"]["get"],
    ]
    for operation in operations:
        refusal = operation["responses"]["429"]
        assert "Retry-After" in refusal["headers"]
        assert "a minute" in refusal["description"]
        schema = refusal["content"]["application/json"]["schema"]
        assert schema["$ref"].endswith("/RetryOut")
    assert "registrations" in operations[0]["responses"]["429"]["description"]
    assert "reads" in operations[1]["responses"]["429"]["description"]
    # the descriptions written for the other answers keep their bodies' schemas too
    receipt = operations[0]["responses"]["201"]
    assert receipt["content"]["application/json"]["schema"]["$ref"].endswith("/ReceiptOut")
    assert "Location" in receipt["headers"]


# --- nginx in front ------------------------------------------------------------------------------


class FastApp(BaseHTTPRequestHandler):
    """Stands for gunicorn: every call answered at once."""

    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        body = b'{"items": [], "next_cursor": null, "next": null}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def _nginx_get(port: int, key: str) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", URL, headers={"X-API-Key": key, "Accept-Language": "vi"})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


@needs_nginx
def test_nginx_stops_a_runaway_client_and_only_that_one(tmp_path):
    app = ThreadingHTTPServer(("127.0.0.1", 0), FastApp)
    threading.Thread(target=app.serve_forever, daemon=True).start()
    try:
        with (
            running_nginx(tmp_path, app.server_address[1]) as port,
            ThreadPoolExecutor(max_workers=16) as pool,
        ):
            # Given a system sending far more than 20 calls a second with one key
            answers: list[tuple[int, dict[str, str], bytes]] = []
            while len(answers) < 2000 and not any(a[0] == 429 for a in answers):
                answers += pool.map(lambda _n: _nginx_get(port, "vgp_runaway"), range(64))

            # Then nginx answers 429 itself once the burst of 100 is spent, in Django's shape
            statuses = [status for status, _headers, _body in answers]
            assert set(statuses) == {200, 429}
            assert statuses.count(200) >= 100
            _status, headers, body = next(a for a in answers if a[0] == 429)
            assert headers["Retry-After"] == "1"
            assert headers["Content-Type"] == "application/json"
            assert json.loads(body) == {
                "detail": "Bạn đã gửi quá nhiều lần. Hãy thử lại sau 1 giây.",
                "retry_after": 1,
            }
            # while another agency's system is served as usual
            assert _nginx_get(port, "vgp_another")[0] == 200
    finally:
        app.shutdown()
