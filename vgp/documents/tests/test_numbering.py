"""Numbers without gaps or duplicates (Decree 30): per register, year and series."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from vgp.documents import numbering
from vgp.documents.models import Document, NumberingSeries, Secrecy
from vgp.documents.testing import doc_type, incoming

pytestmark = pytest.mark.django_db


def test_numbers_below_ten_take_a_leading_zero():
    assert [numbering.format_number(n) for n in (1, 9, 10, 1925)] == ["01", "09", "10", "1925"]


def test_a_series_belongs_to_one_register_and_year(office, general):
    with transaction.atomic():
        assert numbering.draw(office.pk, 2026, "in") == 1
        assert numbering.draw(office.pk, 2026, "in") == 2
        assert numbering.draw(office.pk, 2027, "in") == 1
        assert numbering.draw(general.pk, 2026, "in") == 1
        assert numbering.draw(office.pk, 2026, "in-secret") == 1
    assert NumberingSeries.objects.get(agency=office, year=2026, key="in").last_number == 2


@pytest.mark.django_db(transaction=True)
def test_drawing_outside_a_transaction_is_a_programming_error(office):
    with pytest.raises(RuntimeError):
        numbering.draw(office.pk, 2026, "in")


def test_series_keys():
    decision = doc_type("QĐ")
    assert numbering.incoming_series(Secrecy.NONE) == "in"
    assert numbering.incoming_series(Secrecy.SECRET) == "in-secret"
    assert numbering.outgoing_series(decision, legal_normative=False, secrecy=0) == "out:QĐ"
    assert numbering.outgoing_series(decision, legal_normative=True, secrecy=0) == "legal:QĐ"
    assert numbering.outgoing_series(decision, legal_normative=True, secrecy=1) == "secret"


def test_a_rolled_back_registration_gives_its_number_back(clerk):
    # given a registration whose transaction fails after the number was drawn
    def register_then_fail() -> None:
        with transaction.atomic():
            incoming(clerk)
            raise RuntimeError("the clerk's upload failed after the insert")

    with pytest.raises(RuntimeError):
        register_then_fail()

    # then the next registration takes number 1: no gap
    assert incoming(clerk).arrival_number == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite serialises writers by itself; the race needs PostgreSQL's row locks",
)
def test_concurrent_registrations_get_consecutive_numbers(clerk):
    # given 16 clerks' registrations started at the same instant, three of them failing
    doc_type("CV")
    count = 16
    start = threading.Barrier(count)
    errors: list[BaseException] = []

    def register(i: int) -> None:
        try:
            start.wait()
            with transaction.atomic():
                incoming(clerk, number_symbol=f"{100 + i}/BNV-VP")
                if i % 5 == 4:
                    raise RuntimeError("the clerk's upload failed")
        except RuntimeError:
            pass
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then the 13 that committed hold 1…13 of this year: no gap, no duplicate
    assert errors == []
    year = timezone.localdate().year
    numbers = sorted(
        Document.objects.filter(arrival_year=year).values_list("arrival_number", flat=True)
    )
    assert numbers == list(range(1, count - count // 5 + 1))
