"""Báo cáo kết quả công tác tiếp công dân: the office writes what was achieved, the difficulties
and its proposals next to the generated figures, and issues them as one "BC" report to the city
People's Committee (Kế hoạch Lạc Phượng asks communes to report results and difficulties),
numbered in the commune's BC sequence and signed by its Chairman.

``issue_results_report`` runs outside any transaction (``documents.services.issue_document``
takes its number durably).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.utils import translation
from django.utils.translation import gettext as _

from tiepdan.core import access
from tiepdan.core.access import Perm
from tiepdan.core.errors import InvalidInput
from tiepdan.core.models import Commune
from tiepdan.documents.models import DocType, IssuedDocument
from tiepdan.documents.services import issue_document
from tiepdan.intake.register.refusal_notice import signer_for

from .figures import UNCLASSIFIED, Report, commune_report
from .periods import Period
from .selectors import ISSUE_DENIED

TEMPLATE_KEY = "results_report"
MAX_LENGTH = 8000


@dataclass(frozen=True)
class Narrative:
    achievements: str  # Kết quả đạt được
    difficulties: str  # Khó khăn, vướng mắc
    proposals: str  # Đề xuất, kiến nghị

    def clean(self) -> Narrative:
        """The three parts stripped; ``InvalidInput`` with field errors if one is missing or
        too long."""
        errors = {}
        labels = {"achievements": _("Kết quả đạt được"),
                  "difficulties": _("Khó khăn, vướng mắc"),
                  "proposals": _("Đề xuất, kiến nghị")}
        for name, label in labels.items():
            text = getattr(self, name).strip()
            if not text:
                errors[name] = [{"code": "required", "message": _(
                    "Nhập phần \"%(part)s\" (ghi \"Không có\" nếu không có).") % {
                    "part": label}}]
            elif len(text) > MAX_LENGTH:
                errors[name] = [{"code": "max_length", "message": _(
                    "Phần \"%(part)s\" dài quá %(max)s ký tự.") % {
                    "part": label, "max": MAX_LENGTH}}]
        if errors:
            raise InvalidInput(_("Báo cáo chưa đủ nội dung."), field_errors=errors)
        return Narrative(self.achievements.strip(), self.difficulties.strip(),
                         self.proposals.strip())


def _n(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _percent(share: float) -> str:
    return f"{share * 100:.1f}%".replace(".", ",")


def figure_sentences(report: Report) -> dict[str, str]:
    """The figures of ``report`` as the sentences of section I (in Vietnamese: the document
    goes to the city whatever language the officer reads)."""
    total = report.total
    with translation.override("vi"):
        kinds = ", ".join(f"{label.lower()} {_n(n)}" for _code, label, n in total.kinds())
        fields = [f"{name} {_n(n)}" for name, n in total.fields()[:5] if name != UNCLASSIFIED]
        partial = (f" (số liệu tính đến ngày {report.today:%d/%m/%Y})"
                   if report.is_partial else "")
        texts = {
            "received_text": f"Tổng số đơn tiếp nhận: {_n(total.received)} đơn{partial}, "
                             f"trong đó {kinds}.",
            "channel_text": f"Theo hình thức tiếp nhận: trực tuyến {_n(total.online)} đơn; "
                            f"trực tiếp (cán bộ tiếp nhận) {_n(total.in_person)} đơn.",
            "fields_text": f"Các lĩnh vực chủ yếu: {', '.join(fields)}." if fields else "",
            "hearings_text": f"Số buổi tiếp công dân trực tuyến đã tổ chức: "
                             f"{_n(total.hearings_held)} buổi.",
        }
        if total.met_share is None:
            texts["deadlines_text"] = "Trong kỳ không có thời hạn xử lý nào đến hạn."
        else:
            texts["deadlines_text"] = (
                f"Thời hạn xử lý đến hạn trong kỳ: {_n(total.deadlines_counted)}, bảo đảm "
                f"đúng hạn {_n(total.deadlines_met)} ({_percent(total.met_share)}); quá hạn "
                f"chưa xử lý: {_n(total.deadlines_overdue)}.")
        follow = total.follow_up
        if not follow.available:
            texts["follow_up_text"] = ("Theo dõi, đôn đốc thực hiện kết luận: chưa có số liệu "
                                       "trên hệ thống.")
        elif not follow.total:
            texts["follow_up_text"] = ("Theo dõi, đôn đốc thực hiện kết luận: không có nhiệm "
                                       "vụ nào đến hạn trong kỳ.")
        else:
            texts["follow_up_text"] = (
                f"Theo dõi, đôn đốc thực hiện kết luận: {_n(follow.total)} nhiệm vụ đến hạn, "
                f"đã hoàn thành {_n(follow.done)} ({_percent(follow.completion or 0)}); quá "
                f"hạn {_n(follow.overdue)}.")
    return texts


def report_data(report: Report, narrative: Narrative) -> dict[str, str]:
    with translation.override("vi"):
        return {"period_label": report.period.label, "period_range": report.period.range_text,
                **figure_sentences(report), "achievements": narrative.achievements,
                "difficulties": narrative.difficulties, "proposals": narrative.proposals}


def issue_results_report(commune: Commune, period: Period, narrative: Narrative, *,
                         actor: User) -> IssuedDocument:
    """Issue the commune's results report for ``period`` (outside any transaction). Raises
    ``Forbidden``, ``InvalidInput`` or ``DomainError``; nothing is issued then."""
    access.check(actor, Perm.ISSUE_REPORTS, commune, ISSUE_DENIED)
    narrative = narrative.clean()
    report = commune_report(commune, period)
    return issue_document(commune, DocType.REPORT, report_data(report, narrative), actor=actor,
                          signer=signer_for(commune), template_key=TEMPLATE_KEY)


def issued_reports(commune: Commune) -> list[IssuedDocument]:
    return list(IssuedDocument.objects.filter(commune=commune, doc_type=DocType.REPORT,
                                              template_key=TEMPLATE_KEY)
                .order_by("-created_at")[:20])
