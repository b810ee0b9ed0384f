"""The audit trail is append-only and tamper-evident."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from tests.factories import staff_user
from tiepdan.core import audit
from tiepdan.core.models import AppendOnlyError, AuditAction, AuditEntry, Role
from tiepdan.intake.models import Matter

pytestmark = pytest.mark.django_db


def _three_entries(commune):
    for i in range(3):
        audit.record(AuditAction.VIEW, actor=None, commune=commune, object_type="test",
                     object_id=str(i), summary=f"mục {i}")


def test_entries_link_to_the_previous_one(an_lao):
    _three_entries(an_lao)
    entries = list(AuditEntry.objects.order_by("seq"))
    assert [e.seq for e in entries] == [1, 2, 3]
    assert entries[0].prev_hash == audit.GENESIS
    assert entries[1].prev_hash == entries[0].hash
    assert audit.verify_chain().ok


def test_the_model_refuses_updates_and_deletes(an_lao):
    _three_entries(an_lao)
    entry = AuditEntry.objects.get(seq=2)
    entry.summary = "sửa"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()


def test_the_database_refuses_updates_and_deletes(an_lao):
    _three_entries(an_lao)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(seq=2).update(summary="sửa")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(seq=2).delete()
    assert AuditEntry.objects.get(seq=2).summary == "mục 1"


def _tamper(sql, params):
    """What someone with the database owner's rights could do: bypass the triggers."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")  # triggers off
            cursor.execute(sql, params)
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")
        else:
            cursor.execute("DROP TRIGGER core_auditentry_no_update")
            cursor.execute("DROP TRIGGER core_auditentry_no_delete")
            cursor.execute(sql, params)


def test_verify_detects_an_edited_row(an_lao):
    _three_entries(an_lao)
    _tamper("UPDATE core_auditentry SET summary = %s WHERE seq = %s", ["đã sửa", 2])
    report = audit.verify_chain()
    assert not report.ok
    assert report.first_bad_seq == 2
    with pytest.raises(CommandError, match="#2"):
        call_command("audit", "verify")


def test_verify_detects_a_deleted_row(an_lao):
    _three_entries(an_lao)
    _tamper("DELETE FROM core_auditentry WHERE seq = %s", [2])
    report = audit.verify_chain()
    assert not report.ok and report.first_bad_seq == 2


def test_verify_reports_a_sound_chain(an_lao, capsys):
    _three_entries(an_lao)
    call_command("audit", "verify")
    assert "3 mục" in capsys.readouterr().out


def test_staff_reads_of_personal_data_are_recorded(client, login_staff, an_lao, form_data):
    client.post(reverse("intake:register", args=[an_lao.ward_code]), form_data)
    matter = Matter.objects.get()
    officer = staff_user(Role.OFFICE_OFFICER, commune=an_lao)
    login_staff(client, officer)
    client.get(reverse("intake:matter", args=[an_lao.ward_code, matter.pk]))
    client.get(f"/api/v1/staff/communes/{an_lao.ward_code}/matters/{matter.pk}")
    views = AuditEntry.objects.filter(action=AuditAction.VIEW, object_id=str(matter.pk))
    assert views.count() == 2
    entry = views.first()
    assert entry.actor == officer
    assert entry.actor_roles == "office_officer"
    assert entry.ip == "127.0.0.1"
    created = AuditEntry.objects.get(action=AuditAction.CREATE, object_id=str(matter.pk))
    assert created.actor is None  # the citizen registered it
    assert audit.verify_chain().ok
