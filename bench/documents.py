"""Benchmark: rendering NĐ 30 documents in-process, against a real (temporary SQLite) database.

Renders 100 Giấy mời as DOCX, then 100 as PDF (separately timed, from one composed context),
then issues 100 through ``issue_document`` (number + both renders + files + audit entry), then
signs 100 issued PDFs with the organisation's certificate (PAdES with the visible stamp, through
``documents.seal.apply_seal`` and a PKCS#12 file of a local test CA; issue 15 target: at least
2 signed PDFs/s).

Targets on this 2-core machine, wall-clock in one process (a commune issues a few documents a
day; a session's batch of ~20 invitations must take seconds, not minutes): DOCX at least
10 documents/s, PDF at least 5 documents/s, issue_document (both formats, stored, audited) at
least 2 documents/s. The process's own CPU time per document is printed too: it does not
depend on what else runs on the machine (the load average is printed for that).

Prints ``name: value unit`` lines and ends with ``targets: met`` or
``targets: missed: <which>``. Stops by itself well within 5 minutes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import print_figure, stop_on_sigterm  # noqa: E402 - run as a script

from tiepdan.ops import installation  # noqa: E402 - after the path set-up above

TARGETS = {"docx_render": 10.0, "pdf_render": 5.0, "issue_document_both": 2.0,
           "pdf_seal": 2.0}  # documents/s
PHASE_TIME_LIMIT = 80.0  # seconds; a phase stops early past this and reports what it did


def setup_django(var_dir: Path) -> None:
    os.environ["TIEPDAN_VAR_DIR"] = str(var_dir)
    for name in ("DATABASE_URL", "MEDIA_ROOT", "REDIS_URL"):
        os.environ.pop(name, None)  # the throw-away SQLite database and files under var_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiepdan.settings")
    installation.prepare()  # `tiepdan init` of the bench's installation
    import django

    django.setup()
    # WeasyPrint logs every layout step at INFO; the figures are what matters here.
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def timed(name: str, count: int, work: Callable[[int], object]) -> float:
    """Run ``work(i)`` ``count`` times (or until the time limit); documents per second."""
    work(-1)  # warm-up: imports, font loading, template compilation
    started, cpu_started = time.perf_counter(), time.process_time()
    done = 0
    for index in range(count):
        work(index)
        done += 1
        if time.perf_counter() - started > PHASE_TIME_LIMIT:
            break
    elapsed = time.perf_counter() - started
    rate = done / elapsed
    print_figure(f"{name}_count", done, "documents")
    print_figure(name, rate, "documents/s")
    print_figure(f"{name}_cpu", (time.process_time() - cpu_started) / done * 1000, "ms/document")
    return rate


def run(count: int) -> dict[str, float]:
    from django.utils import timezone

    from tiepdan.core.models import City, Commune
    from tiepdan.documents.composer import active_template, compose
    from tiepdan.documents.layout import Signer
    from tiepdan.documents.models import DocType
    from tiepdan.documents.registry import renderer_for
    from tiepdan.documents.seal import apply_seal
    from tiepdan.documents.services import issue_document

    city = City.objects.create(province_code=31, name="Thành phố Hải Phòng")
    commune = Commune.objects.create(ward_code=11629, name="Xã An Lão", city=city)
    signer = Signer.vice_chair("Nguyễn Phú Trung")
    data = {
        "invitees": "Đại diện Ban Tiếp công dân thành phố Hải Phòng",
        "event": "Buổi tiếp công dân trực tuyến định kỳ tháng 01 năm 2026",
        "chair": "Ông Nguyễn Phú Trung, Phó Chủ tịch UBND xã",
        "start": dt.datetime(2026, 1, 15, 8, 0, tzinfo=timezone.get_current_timezone()),
        "location": "Phòng họp trực tuyến, Trụ sở UBND xã An Lão",
    }
    template = active_template(DocType.INVITATION)
    renderer = renderer_for(DocType.INVITATION)

    def context(index: int) -> dict:
        return compose(
            commune,
            DocType.INVITATION,
            data,
            number=index + 2,
            signer=signer,
            issued_on=dt.date(2026, 1, 5),
            template=template,
        )

    contexts = {i: context(i) for i in range(-1, count)}
    seal, issued_pdf = _seal_fixture(commune, renderer.render_pdf(contexts[-1]))
    rates = {
        "docx_render": timed("docx_render", count, lambda i: renderer.render_docx(contexts[i])),
        "pdf_render": timed("pdf_render", count, lambda i: renderer.render_pdf(contexts[i])),
        "issue_document_both": timed(
            "issue_document_both",
            count,
            lambda i: issue_document(
                commune,
                DocType.INVITATION,
                data,
                actor=None,
                signer=signer,
                issued_on=dt.date(2026, 1, 5),
            ),
        ),
        "pdf_seal": timed("pdf_seal", count,
                          lambda i: apply_seal(issued_pdf, seal, reason="Ban hành văn bản")),
    }
    return rates


def _seal_fixture(commune, pdf: bytes):
    """A PKCS#12 organisation certificate from a throw-away CA, trusted for the run."""
    from django.conf import settings

    from tiepdan.demo import pki
    from tiepdan.documents.models import OrganisationSeal, SealBackend

    folder = Path(settings.VAR_DIR) / "bench-pki"
    folder.mkdir(parents=True, exist_ok=True)
    authority = pki.new_authority("Bench CA")
    root = folder / "root.pem"
    root.write_bytes(authority.pem())
    settings.SIGNATURE_TRUST_ROOTS = [str(root)]
    (folder / "seal.pass").write_text("bench", encoding="utf-8")
    (folder / "seal.p12").write_bytes(
        pki.issue(authority, commune.committee_name, commune.committee_name).pkcs12(b"bench"))
    seal = OrganisationSeal.objects.create(
        commune=commune, backend=SealBackend.PKCS12, pkcs12_path=str(folder / "seal.p12"),
        secret_file=str(folder / "seal.pass"), is_active=False)  # not applied by issue_document
    return seal, pdf


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=100, help="documents per phase")
    args = parser.parse_args()
    stop_on_sigterm()
    print_figure("load_average_before", os.getloadavg()[0], "runnable")
    with tempfile.TemporaryDirectory(prefix="tiepdan-bench-documents-") as var_dir:
        setup_django(Path(var_dir))
        rates = run(args.count)
    print_figure("load_average_after", os.getloadavg()[0], "runnable")
    missed = [name for name, target in TARGETS.items() if rates[name] < target]
    for name, target in TARGETS.items():
        print_figure(f"{name}_target", target, "documents/s")
    print("targets: " + (f"missed: {', '.join(missed)}" if missed else "met"), flush=True)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
