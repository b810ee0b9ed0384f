"""Migration core 0007 copies the untyped trail into per-commune chains that verify; on
PostgreSQL two communes' appends never wait on each other."""

import importlib
import threading
from datetime import UTC, datetime

import pytest
from django.apps import apps
from django.db import connection, connections, transaction

from tiepdan.core import audit
from tiepdan.core.models import AuditEntry, LegacyAuditEntry

MIGRATION = importlib.import_module("tiepdan.core.migrations.0007_typed_audit_chains")


def _legacy(rows):
    prev = audit.GENESIS
    for seq, (commune, action, summary) in enumerate(rows, start=1):
        entry = LegacyAuditEntry(seq=seq, at=datetime(2026, 11, 1, 8, seq, tzinfo=UTC),
                                 commune=commune, action=action, summary=summary,
                                 actor_name="", actor_roles="", object_type="t",
                                 object_id=str(seq), reason="", prev_hash=prev)
        entry.hash = audit.legacy_hash(entry)
        entry.save(force_insert=True)
        prev = entry.hash


@pytest.mark.django_db
def test_old_entries_are_copied_into_chains_per_commune_that_verify(an_lao, lac_phuong):
    _legacy([(an_lao, "create", "Tiếp nhận A"), (None, "configure", "Lịch"),
             (lac_phuong, "view", "Xem B"), (an_lao, "transition", "A → mới")])

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection
    MIGRATION.copy_legacy_entries(apps, editor)
    copied = list(AuditEntry.objects.filter(chain="commune:11629").order_by("seq"))
    assert [(e.seq, e.type, e.data["text"]) for e in copied] == [
        (1, "legacy.create", "Tiếp nhận A"), (2, "legacy.transition", "A → mới")]
    assert copied[1].data["legacy_seq"] == 4 and copied[1].text.endswith("A → mới")
    assert AuditEntry.objects.get(chain="system").type == "legacy.configure"
    report = audit.verify_chain()
    assert report.ok and report.checked == 8  # 4 copies + the 4 legacy rows, still verified


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks of PostgreSQL")
def test_two_communes_do_not_wait_on_each_other(transactional_db, an_lao, lac_phuong):
    held, release, results = threading.Event(), threading.Event(), {}

    def hold_an_lao():
        try:
            with transaction.atomic():
                audit.record("core.step.retried", actor=None, commune=an_lao,
                             data={"label": "giữ khóa"})
                held.set()
                release.wait(10)
        finally:
            connections.close_all()

    def append(commune, key):
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '500ms'")
                audit.record("core.step.retried", actor=None, commune=commune,
                             data={"label": key})
            results[key] = "ok"
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test reads
            results[key] = type(exc).__name__
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_an_lao)
    holder.start()
    assert held.wait(10)
    for commune, key in ((lac_phuong, "other"), (an_lao, "same")):
        worker = threading.Thread(target=append, args=(commune, key))
        worker.start()
        worker.join(10)
    release.set()
    holder.join(10)
    assert results["other"] == "ok"  # Lạc Phượng appended while An Lão's chain was locked
    assert results["same"] != "ok"  # the lock is real: An Lão's own chain waited and gave up
    assert audit.verify_chain().ok
