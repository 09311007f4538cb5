"""November 2026 in the Government Office's registers: the data of the register and report tests.

Made through ``vgp.documents.actions`` (as the clerk, the leader, the unit heads and the
handlers of conftest.py would), each step at its own moment in Hà Nội time:

- ``answered``: Công văn 1925/BNV-TCBC, urgent, arrived 03/11 09:00; directed 04/11 to the
  General Affairs Department (due 10/11), anh Nam handles it, reported 06/11, closed 07/11; its
  reply ``reply`` is drafted by anh Nam, issued and dispatched on 06/11 to the Legal Affairs
  Department (internally) and to the Ministry of Home Affairs (on paper);
- ``late``: Quyết định 15/QĐ-BNV, arrived 10/11; directed the same day to the Legal Affairs
  Department (due 13/11); chị Thu reports it done on 16/11: late, and not closed;
- ``waiting``: Thông báo 88/TB-BTC, arrived 20/11; directed to the Legal Affairs Department
  (due 25/11), nobody assigned yet: overdue on 01/12;
- ``unassigned``: 42/BYT-KH, arrived 24/11, registered only (not in the tracking register);
- ``secret``: 07/BQP-TM, confidential, arrived 12/11, readable by chị Lan who registered it and
  by ông Hùng (named), by no role;
- ``edge_before``: arrived 31/10 23:30 Hà Nội time (16:30 UTC): October, not November;
- ``edge_first``: arrived 01/11 00:30 Hà Nội time (31/10 17:30 UTC): November;
- ``foreign``: the Ministry of Home Affairs' own incoming document of 10/11.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import time_machine

from vgp.documents import actions
from vgp.documents.models import Delivery, Document, Secrecy, Urgency
from vgp.documents.testing import doc_type, incoming
from vgp.workdays.deadlines import VN_TZ

NOVEMBER = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
# When the registers are read: after every deadline of November.
READ_AT = dt.datetime(2026, 12, 1, 10, 0, tzinfo=VN_TZ)


def at(month: int, day: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=VN_TZ)


@contextmanager
def on(moment: dt.datetime) -> Iterator[None]:
    with time_machine.travel(moment, tick=False):
        yield


@dataclass
class Book:
    answered: Document
    reply: Document
    late: Document
    waiting: Document
    unassigned: Document
    secret: Document
    edge_before: Document
    edge_first: Document
    foreign: Document


def approve_all(document: Document, *reviewers: Any) -> None:
    """Each reviewer in turn approves the steps waiting for them."""
    for reviewer in reviewers:
        document.refresh_from_db()
        for step in actions.pending_steps(reviewer, document):
            actions.review(reviewer, step, decision="approve")


def approved_draft(
    handler: Any, unit_head: Any, leader: Any, *, summary: str, **extra: Any
) -> Document:
    """A Công văn drafted by ``handler`` to the Ministry of Home Affairs (on paper) and any
    ``recipients``, approved along the default chain and ready to issue."""
    draft = actions.create_draft(
        handler,
        document_type=doc_type("CV"),
        summary=summary,
        content="Văn phòng Chính phủ thống nhất với dự thảo.",
        signer=leader,
        external_recipients=["Bộ Nội vụ"],
        **extra,
    )
    actions.submit_for_review(handler, draft)
    approve_all(draft, unit_head, leader, leader)
    return fresh(draft)


def issue_and_send(clerk: Any, draft: Document) -> Document:
    """Issued by the clerk and dispatched: on paper to the recipients outside the system."""
    document = actions.issue(clerk, draft)
    paper = Delivery.objects.filter(document=document, recipient__isnull=True)
    return actions.dispatch(clerk, document, on_paper=list(paper.values_list("pk", flat=True)))


def write_book(
    *,
    clerk: Any,
    leader: Any,
    unit_head: Any,
    handler: Any,
    legal_head: Any,
    legal_handler: Any,
    general: Any,
    legal_unit: Any,
    outsider: Any,
) -> Book:
    with on(at(10, 31, 23, 30)):
        edge_before = incoming(clerk, number_symbol="301/UBND-VP", issuer_name="UBND tỉnh Bắc Ninh")
    with on(at(11, 1, 0, 30)):
        edge_first = incoming(clerk, number_symbol="302/UBND-VP", issuer_name="UBND tỉnh Bắc Ninh")

    with on(at(11, 3)):
        answered = incoming(clerk, urgency=Urgency.URGENT)
    with on(at(11, 4)):
        actions.direct(leader, answered, lead_unit=general, due_on=dt.date(2026, 11, 10))
        task = actions.lead_task(answered)
        assert task is not None
        actions.assign_handler(unit_head, task, handler)
    with on(at(11, 5)):
        reply = approved_draft(
            handler,
            unit_head,
            leader,
            summary="Về việc tham gia ý kiến dự thảo Nghị định",
            recipients=[legal_unit],
            in_reply_to=answered,
        )
    with on(at(11, 6)):
        reply = issue_and_send(clerk, reply)
        actions.report_done(handler, answered, result="Đã trả lời bằng công văn.")
    with on(at(11, 7)):
        actions.close(leader, answered)

    with on(at(11, 10)):
        late = incoming(
            clerk,
            document_type=doc_type("QĐ"),
            number_symbol="15/QĐ-BNV",
            summary="Về việc giao chỉ tiêu biên chế năm 2027",
        )
        actions.direct(leader, late, lead_unit=legal_unit, due_on=dt.date(2026, 11, 13))
        task = actions.lead_task(late)
        assert task is not None
        actions.assign_handler(legal_head, task, legal_handler)
    with on(at(11, 16)):
        actions.report_done(legal_handler, late, result="Đã góp ý.")

    with on(at(11, 12)):
        secret = incoming(
            clerk,
            number_symbol="07/BQP-TM",
            issuer_name="Bộ Quốc phòng",
            summary="Về việc phối hợp bảo đảm an ninh",
            secrecy=Secrecy.CONFIDENTIAL,
            readers=[leader],
            secret_roles=(),
        )

    with on(at(11, 20)):
        waiting = incoming(
            clerk,
            document_type=doc_type("TB"),
            number_symbol="88/TB-BTC",
            issuer_name="Bộ Tài chính",
            summary="Về việc công khai ngân sách",
        )
        actions.direct(leader, waiting, lead_unit=legal_unit, due_on=dt.date(2026, 11, 25))

    with on(at(11, 24)):
        unassigned = incoming(
            clerk,
            number_symbol="42/BYT-KH",
            issuer_name="Bộ Y tế",
            summary="Về việc báo cáo tình hình",
        )

    with on(at(11, 10)):
        foreign = incoming(
            outsider,
            number_symbol="99/VPCP-TH",
            issuer_name="Văn phòng Chính phủ",
            summary="Văn bản của Bộ Nội vụ",
        )

    return Book(
        answered=fresh(answered),
        reply=fresh(reply),
        late=fresh(late),
        waiting=fresh(waiting),
        unassigned=fresh(unassigned),
        secret=fresh(secret),
        edge_before=fresh(edge_before),
        edge_first=fresh(edge_first),
        foreign=fresh(foreign),
    )


def fresh(document: Document) -> Document:
    return Document.objects.get(pk=document.pk)


def fresh_user(user: Any) -> Any:
    """The same official without the caches a request would not have (roles, agencies)."""
    return type(user).objects.get(pk=user.pk)
