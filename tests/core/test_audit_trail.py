"""The audit trail: typed entries, one hash chain per commune, append-only, tamper-evident."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import translation

from tiepdan.core import access_log, audit, audit_types
from tiepdan.core.models import AppendOnlyError, AuditEntry, PersonalDataAccess

pytestmark = pytest.mark.django_db


def _entries(commune, n=3):
    for i in range(n):
        audit.record("core.step.retried", actor=None, commune=commune, object_type="test",
                     object_id=str(i), data={"label": f"mục {i}"})


@pytest.mark.parametrize("name", sorted(audit_types.REGISTRY))
def test_every_type_renders_in_vietnamese_and_english(name):
    kind = audit_types.REGISTRY[name]
    data = {key: f"<{key}>" for key in kind.keys}
    with translation.override("vi"):
        vi = kind.render(data)
    with translation.override("en"):
        en = kind.render(data)
    for key in kind.keys:
        if key != "legacy_seq":  # kept for tracing, not shown
            assert f"<{key}>" in vi and f"<{key}>" in en
    assert vi != en, "no English translation"


def test_it_refuses_an_unknown_type(an_lao):
    with pytest.raises(audit_types.UnknownEntryType):
        audit.record("intake.matter.teleported", actor=None, commune=an_lao, data={})


def test_it_refuses_missing_or_unexpected_data(an_lao):
    with pytest.raises(audit_types.BadEntryData):
        audit.record("hearings.hearing.rescheduled", actor=None, commune=an_lao,
                     data={"old": "08:00 01/03/2027"})
    with pytest.raises(audit_types.BadEntryData):
        audit.record("core.step.retried", actor=None, commune=an_lao,
                     data={"label": "x", "summary": "tự do"})
    assert not AuditEntry.objects.exists()


def test_reads_of_personal_data_go_to_the_access_log_only(an_lao):
    with pytest.raises(audit_types.UnknownEntryType):
        audit.record("intake.identity.revealed", actor=None, commune=an_lao,
                     data={"tracking_code": "X"})
    row = access_log.log_access("intake.identity.revealed", actor=None, commune=an_lao,
                                object_type="intake.matter", object_id="7", reason="Giải quyết",
                                data={"tracking_code": "ABCD"})
    assert row.text == "Xem danh tính người tố cáo của hồ sơ ABCD"
    with pytest.raises(audit_types.UnknownEntryType):
        access_log.log_access("core.step.retried", actor=None, data={"label": "x"})


def test_each_commune_has_its_own_chain(an_lao, lac_phuong):
    _entries(an_lao, 2)
    _entries(lac_phuong, 1)
    _entries(None, 1)
    rows = {(e.chain, e.seq): e for e in AuditEntry.objects.all()}
    assert set(rows) == {("commune:11629", 1), ("commune:11629", 2), ("commune:11140", 1),
                         ("system", 1)}
    assert rows["commune:11140", 1].prev_hash == audit.GENESIS
    assert rows["commune:11629", 2].prev_hash == rows["commune:11629", 1].hash
    report = audit.verify_chain()
    assert report.ok and report.checked == 4 and report.chains == 3


def test_the_text_is_rendered_not_stored(an_lao):
    entry = audit.record("hearings.hearing.rescheduled", actor=None, commune=an_lao,
                         data={"old": "08:00 01/03/2027", "new": "09:00 02/03/2027"})
    assert entry.data == {"old": "08:00 01/03/2027", "new": "09:00 02/03/2027"}
    with translation.override("vi"):
        assert entry.text == "Dời buổi tiếp từ 08:00 01/03/2027 sang 09:00 02/03/2027"
    with translation.override("en"):
        assert entry.text.startswith("Hearing moved from 08:00 01/03/2027")


def test_the_model_refuses_updates_and_deletes(an_lao):
    _entries(an_lao)
    entry = AuditEntry.objects.get(seq=2)
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()


@pytest.mark.parametrize("model", [AuditEntry, PersonalDataAccess])
def test_the_database_refuses_updates_and_deletes(an_lao, model):
    _entries(an_lao)
    access_log.log_access("intake.matter.viewed", actor=None, commune=an_lao,
                          data={"tracking_code": "A"})
    with pytest.raises(DatabaseError), transaction.atomic():
        model.objects.update(reason="sửa")
    with pytest.raises(DatabaseError), transaction.atomic():
        model.objects.all().delete()
    assert not model.objects.filter(reason="sửa").exists()


def _tamper(sql, params):
    """What someone with the database owner's rights could do: bypass the triggers."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")  # triggers off
            cursor.execute(sql, params)
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")
        else:
            cursor.execute("DROP TRIGGER core_auditlog_no_update")
            cursor.execute("DROP TRIGGER core_auditlog_no_delete")
            cursor.execute(sql, params)


def test_verify_names_the_chain_with_an_edited_row(an_lao, lac_phuong):
    _entries(an_lao)
    _entries(lac_phuong)
    _tamper("UPDATE core_auditlog SET reason = %s WHERE chain = %s AND seq = %s",
            ["đã sửa", "commune:11140", 2])
    report = audit.verify_chain()
    assert not report.ok
    assert (report.chain, report.first_bad_seq) == ("commune:11140", 2)
    with pytest.raises(CommandError, match="commune:11140.*#2"):
        call_command("audit", "verify")


def test_verify_detects_a_deleted_row(an_lao):
    _entries(an_lao)
    _tamper("DELETE FROM core_auditlog WHERE seq = %s", [2])
    report = audit.verify_chain()
    assert not report.ok and report.first_bad_seq == 2


def test_verify_reports_a_sound_trail(an_lao, capsys):
    _entries(an_lao)
    call_command("audit", "verify")
    assert "3 mục" in capsys.readouterr().out
