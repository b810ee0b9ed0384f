"""A web process keeps the communes it read (core.selectors.commune_get) for COMMUNE_TTL
seconds: a second read costs no query, each caller gets its own copy, a change saved in this
process is seen at once, and nothing read inside a transaction (which may still roll back) is
kept."""

import pytest
from django.db import transaction

from tiepdan.core import selectors
from tiepdan.core.errors import NotFound


def test_a_second_read_costs_no_query_and_hands_out_a_copy(transactional_db, an_lao,
                                                           django_assert_num_queries):
    first = selectors.commune_get(11629)
    with django_assert_num_queries(0):
        second = selectors.commune_get(11629)
    assert second == first and second is not first
    second.name = "Đã sửa trong một biểu mẫu"
    assert selectors.commune_get(11629).name == "Xã An Lão"  # nobody else's copy changed


def test_a_change_saved_here_is_seen_at_once(transactional_db, an_lao):
    assert selectors.commune_get(11629).is_active
    an_lao.is_active = False
    an_lao.save()
    with pytest.raises(NotFound):
        selectors.commune_get(11629)


def test_a_commune_of_another_process_is_seen_after_the_ttl(transactional_db, an_lao,
                                                            monkeypatch):
    selectors.commune_get(11629)
    type(an_lao).objects.filter(pk=an_lao.pk).update(name="Xã An Lão Mới")  # no signal here
    assert selectors.commune_get(11629).name == "Xã An Lão"  # still trusted
    monkeypatch.setattr(selectors, "COMMUNE_TTL", 0.0)
    assert selectors.commune_get(11629).name == "Xã An Lão Mới"


def test_nothing_read_inside_a_transaction_is_kept(transactional_db, an_lao,
                                                   django_assert_num_queries):
    with transaction.atomic():
        selectors.commune_get(11629)
    with django_assert_num_queries(1):
        selectors.commune_get(11629)
