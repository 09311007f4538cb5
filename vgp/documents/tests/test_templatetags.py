"""The "My work" and "Tracking" rows written in Python give the markup their templates gave."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.template import Context, Template
from django.utils import timezone

from vgp.documents import worklists
from vgp.documents.admin_views import TrackedRow, WorkRow
from vgp.documents.models import Secrecy, Urgency
from vgp.documents.testing import incoming

pytestmark = pytest.mark.django_db

# The loop of documents/admin/_work_table.html before the rows moved to Python (with the
# phone labels of each cell).
ROW_TEMPLATE = """{% load i18n %}            {% for row in rows %}
                <tr class="{% if row.document.urgency %}documents-row--urgent{% endif %}{% if row.due_state.0 == 'overdue' %} documents-row--overdue{% endif %}">
                    <th scope="row" class="documents-nowrap"><a href="{% url 'documents:document' row.document.pk %}">{% if row.document.is_incoming and row.document.arrival_number %}{{ row.document.reference }}{% elif row.document.number_symbol %}{{ row.document.number_symbol }}{% elif row.document.is_incoming %}{% translate "Not registered yet" %}{% else %}{% translate "Draft" %}{% endif %}</a><br><small>{% if row.document.is_incoming %}{% translate "Incoming" %}{% else %}{% translate "Outgoing" %}{% endif %}</small></th>
                    <td data-label="{% translate "Type · summary" %}"><small class="documents-muted">{{ row.document.document_type.name_vi }}</small><br>{{ row.document.summary|truncatechars:160 }}</td>
                    <td data-label="{% translate "Urgency · secrecy" %}">{% if row.document.urgency %}<span class="documents-tag documents-tag--urgency documents-tag--urgency-{{ row.document.urgency }}">{{ row.document.get_urgency_display }}</span>{% endif %} {% if row.document.secrecy %}<span class="documents-tag documents-tag--secrecy">{{ row.document.get_secrecy_display }}</span>{% endif %}{% if not row.document.urgency and not row.document.secrecy %}—{% endif %}</td>
                    <td data-label="{{ what_label }}">{{ row.what }}</td>
                    <td data-label="{% translate "Deadline" context "documents deadline" %}" class="documents-nowrap">{% if row.due %}{{ row.due|date:"SHORT_DATE_FORMAT" }}{% if row.due_state and row.due_state.0 != "later" %}<br><strong class="documents-{{ row.due_state.0 }}">{{ row.due_state.1 }}</strong>{% endif %}{% else %}—{% endif %}</td>
                </tr>
            {% endfor %}
"""


def squeeze(html: str) -> str:
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


def test_work_rows_write_what_the_template_wrote(clerk):
    today = timezone.localdate()
    states = worklists.DueStates(today)
    plain = incoming(clerk, summary="Về việc <b>báo cáo</b> & tổng hợp " + "dài " * 60)
    urgent = incoming(
        clerk, number_symbol="12/BNV-VP", urgency=Urgency.FLASH, secrecy=Secrecy.CONFIDENTIAL
    )
    late = today - dt.timedelta(days=9)
    soon = today + dt.timedelta(days=1)
    rows = [
        WorkRow(plain, "Chủ trì <TH>", None, None),
        WorkRow(urgent, "Đang xử lý", late, states(late)),
        WorkRow(plain, "x", soon, states(soon)),
        WorkRow(urgent, "y", today + dt.timedelta(days=60), states(today + dt.timedelta(days=60))),
    ]
    context = Context({"rows": rows, "what_label": "Việc <cần> làm"})
    expected = Template(ROW_TEMPLATE).render(context)
    written = Template("{% load documents_admin %}{% work_rows rows what_label %}").render(context)
    assert squeeze(written) == squeeze(expected)
    assert "&lt;b&gt;báo cáo&lt;/b&gt;" in written and "documents-row--overdue" in written


# The loop of documents/admin/tracking.html before its rows moved to Python.
TRACKING_TEMPLATE = """{% load i18n %}{% for row in rows %}
    <tr{% if row.due_state.0 == "overdue" %} class="documents-row--overdue"{% endif %}>
        <th scope="row" class="documents-nowrap"><a href="{% url 'documents:document' row.document.pk %}">{{ row.document.reference }}</a>{% if row.document.urgency %}<br><span class="documents-tag documents-tag--urgency documents-tag--urgency-{{ row.document.urgency }}">{{ row.document.get_urgency_display }}</span>{% endif %}</th>
        <td data-label="{% translate "Summary" context "official documents" %}">{{ row.document.summary|truncatechars:120 }}</td>
        <td data-label="{% translate "Unit" %}">{{ row.unit.abbreviation|default:row.unit.name|default:"—" }}</td>
        <td data-label="{% translate "Person" %}">{% if row.handler %}{{ row.handler.get_full_name|default:row.handler.get_username }}{% else %}—{% endif %}</td>
        <td data-label="{% translate "What" %}">{{ row.what }}</td>
        <td data-label="{% translate "Deadline" context "documents deadline" %}" class="documents-nowrap">{{ row.due|date:"SHORT_DATE_FORMAT" }}<br><strong class="documents-{{ row.due_state.0 }}">{{ row.due_state.1 }}</strong></td>
    </tr>
{% endfor %}"""


def test_tracking_rows_write_what_the_template_wrote(clerk, handler, office):
    today = timezone.localdate()
    states = worklists.DueStates(today)
    plain = incoming(clerk, summary="Về việc <b>đôn đốc</b> " + "dài " * 50)
    urgent = incoming(clerk, number_symbol="13/BNV-VP", urgency=Urgency.VERY_URGENT)
    late = today - dt.timedelta(days=9)
    soon = today + dt.timedelta(days=1)
    rows = [
        TrackedRow(plain, office, handler, "Chủ trì <task>", late, states(late)),
        TrackedRow(urgent, office, None, "Đang xử lý", soon, states(soon)),
    ]
    context = Context({"rows": rows})
    expected = Template(TRACKING_TEMPLATE).render(context)
    written = Template("{% load documents_admin %}{% tracking_rows rows %}").render(context)
    assert squeeze(written) == squeeze(expected)
    assert "&lt;b&gt;đôn đốc&lt;/b&gt;" in written and "documents-row--overdue" in written
