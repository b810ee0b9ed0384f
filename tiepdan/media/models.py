"""The live room of a hearing and its timeline (the minutes are written from it)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from tiepdan.hearings.models import BridgePoint, Hearing

from .readiness_rules import judge


class RoomState(models.TextChoices):
    OPEN = "open", _("Đang diễn ra")
    ENDED = "ended", _("Đã kết thúc")


class ProcessingState(models.TextChoices):
    NONE = "", _("Chưa kết thúc")
    QUEUED = "queued", _("Đang chờ xử lý")
    PROCESSING = "processing", _("Đang xử lý")
    DONE = "done", _("Đã xử lý xong")
    FAILED = "failed", _("Xử lý lỗi")


class EndCause(models.TextChoices):
    CHAIR = "chair", _("Chủ trì kết thúc trong phòng")
    HELD = "held", _("Văn phòng ghi nhận buổi tiếp đã kết thúc")
    OVERRUN = "overrun", _("Quá giờ kết thúc dự kiến")
    CANCELLED = "cancelled", _("Buổi tiếp bị hủy")


class HearingRoom(models.Model):
    """Phòng tiếp trực tuyến: the Janus videoroom of one hearing."""

    hearing = models.OneToOneField(Hearing, on_delete=models.PROTECT, related_name="room")
    janus_room_id = models.BigIntegerField(unique=True)
    # The Janus node the room is placed on (media.placement); it stays there unless that
    # node dies, when the room is recreated on another one.
    node = models.ForeignKey("JanusNode", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="rooms")
    # Fernet-sealed (see crypto.py): browsers never see it, a database dump does not reveal it.
    sealed_secret = models.TextField()
    state = models.CharField(max_length=8, choices=RoomState.choices, default=RoomState.OPEN)
    started_at = models.DateTimeField(_("bắt đầu ghi hình"))
    # Recording starts when the chair opens the session (first join) and is never stopped;
    # until then started_at is when the room was created (the final check).
    recording_started = models.BooleanField(_("đang ghi hình"), default=False)
    ended_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)
    # Chain of custody (custody.py): the signed manifest of the processed recordings.
    manifest = models.JSONField(null=True, blank=True)
    # "cms:" + base64 of a detached CMS signature by the commune's organisation certificate
    # (documents.seal), or the base64 Ed25519 signature of the deployment key when the commune
    # has no certificate configured.
    manifest_signature = models.TextField(blank=True)
    end_cause = models.CharField(_("cách kết thúc"), max_length=10, choices=EndCause.choices,
                                 blank=True)
    # Post-processing of the recordings (media.tasks.process_recordings), shown on the page.
    processing_state = models.CharField(_("xử lý bản ghi"), max_length=10,
                                        choices=ProcessingState.choices, blank=True,
                                        default=ProcessingState.NONE)
    processing_error = models.TextField(_("lỗi xử lý"), blank=True)
    processing_updated_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.hearing} · {self.janus_room_id}"


class EventKind(models.TextChoices):
    JOIN = "join", _("Vào phòng")
    LEAVE = "leave", _("Rời phòng")
    ADMIT = "admit", _("Được cho vào phòng")
    PUBLISH = "publish", _("Bắt đầu phát hình")
    IDENTITY_CHECKED = "identity_checked", _("Đã kiểm tra danh tính")
    GRANT = "grant", _("Được phát biểu")
    REVOKE = "revoke", _("Thu hồi quyền phát biểu")
    HAND_RAISE = "hand_raise", _("Xin phát biểu")
    MUTE_ALL = "mute_all", _("Tắt tiếng tất cả")
    ALERT = "alert", _("Cảnh báo")
    RECORDING_ALERT = "recording_alert", _("Cảnh báo ghi hình")
    JANUS_RESTART = "janus_restart", _("Khởi động lại máy chủ truyền hình")
    REFUSED = "refused", _("Yêu cầu bị từ chối")
    END = "end", _("Kết thúc buổi tiếp")


class RoomEvent(models.Model):
    """One entry of the room's timeline, with its offset into the recording."""

    room = models.ForeignKey(HearingRoom, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(db_index=True)
    offset_seconds = models.FloatField(_("thời điểm trong bản ghi (giây)"))
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    actor = models.CharField(_("người thực hiện"), max_length=200, blank=True)
    bridge_point = models.ForeignKey(BridgePoint, on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="+")
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"+{self.offset_seconds:.1f}s {self.kind} {self.actor}"


class RoomSeat(models.Model):
    """One connected device per join link (or staff account): a second device is refused."""

    room = models.ForeignKey(HearingRoom, on_delete=models.CASCADE, related_name="seats")
    key = models.CharField(max_length=40)  # "p<participant id>" or "u<user id>"
    channel_name = models.CharField(max_length=200)
    # The process serving the device: a seat left by a process that died is stale.
    process_id = models.CharField(max_length=32)
    connected_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["room", "key"], name="one_device_per_seat")]

    def __str__(self) -> str:
        return self.key


def _recording_path(instance: RecordingFile, filename: str) -> str:
    return f"recordings/{instance.room.hearing_id}/{filename}"


class RecordingFile(models.Model):
    """One playable file per bridge point (and per publishing segment), made from Janus's raw
    streams without transcoding."""

    room = models.ForeignKey(HearingRoom, on_delete=models.PROTECT, related_name="recordings")
    bridge_point = models.ForeignKey(BridgePoint, on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="+")
    feed_id = models.BigIntegerField()
    segment = models.PositiveSmallIntegerField(default=0)
    label = models.CharField(max_length=200)
    file = models.FileField(upload_to=_recording_path, max_length=300)
    sha256 = models.CharField(max_length=64)
    size_bytes = models.BigIntegerField()
    duration_seconds = models.FloatField()
    has_audio = models.BooleanField()
    # Where the file starts on the hearing's timeline (seconds after the room's start, like
    # RoomEvent.offset_seconds), and what was cut from a crash-damaged end.
    offset_seconds = models.FloatField(default=0.0)
    trimmed_seconds = models.FloatField(default=0.0)
    # The whole hearing, every point side by side with the voices mixed (encoded for viewing;
    # the per-point files are the untouched evidence).
    is_combined = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["room", "feed_id", "segment"],
                                               name="one_file_per_feed_segment")]

    def __str__(self) -> str:
        return self.label


class ReadinessResult(models.Model):
    """Kết quả kiểm tra sẵn sàng: one run of a bridge point's test page (camera, microphone,
    speakers and the path to the media server), kept as evidence for the technical milestones.

    Who ran it: a participant with their personal link, or a staff member (chair or operator)
    at the central point."""

    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE,
                                related_name="readiness_results")
    bridge_point = models.ForeignKey(BridgePoint, on_delete=models.CASCADE,
                                     related_name="readiness_results")
    participant = models.ForeignKey("hearings.Participant", on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                             blank=True, related_name="+")
    tester = models.CharField(_("người kiểm tra"), max_length=200)
    at = models.DateTimeField(_("thời điểm"), db_index=True)
    passed = models.BooleanField(_("đạt"))
    # camera_ok, camera_width/height, microphone_ok/level, speakers_confirmed, rtt_ms,
    # jitter_ms, loss_pct, bitrate_kbps: see readiness.clean_metrics.
    metrics = models.JSONField(default=dict)
    problems = models.JSONField(_("vấn đề"), default=list)  # Vietnamese sentences
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["bridge_point", "at"])]

    def __str__(self) -> str:
        return f"{self.bridge_point} · {self.at:%H:%M %d/%m/%Y} · {self.passed}"

    @property
    def problems_for_reader(self) -> list[str]:
        """The stored (Vietnamese) problems for a Vietnamese reader; for another language the
        same measurements judged again in it (readiness_rules.judge)."""
        if self.passed or translation.get_language() == settings.LANGUAGE_CODE:
            return list(self.problems)
        return judge(self.metrics)

class JanusNode(models.Model):
    """Máy chủ truyền hình: one Janus instance the app drives over its HTTP API.

    The embedded one (``tiepdan serve`` starts it) is seeded from settings; others are
    registered by the deployment (``tiepdan janusnodes add``).  Its secrets are never stored
    here: ``secrets_ref`` names where they are (see ``janus_nodes.endpoint``)."""

    EMBEDDED = "embedded"

    name = models.CharField(_("tên"), max_length=60, unique=True)
    api_url = models.URLField(_("địa chỉ Janus API"), max_length=300)
    admin_url = models.URLField(_("địa chỉ Janus admin API"), max_length=300)
    # "embedded" (the secrets of the Janus `tiepdan serve` runs) or "file:<path>" of a JSON
    # file with api_secret, admin_secret and room_admin_key (mode 0600 on the web machines).
    secrets_ref = models.CharField(_("nơi giữ khóa bí mật"), max_length=300)
    capacity_rooms = models.PositiveIntegerField(_("số phòng đồng thời tối đa"), default=20)
    enabled = models.BooleanField(_("đang dùng"), default=True)
    # Written by the health check (janus_nodes.check_all, every minute) and by placement.
    healthy = models.BooleanField(_("hoạt động bình thường"), default=False)
    last_checked = models.DateTimeField(null=True, blank=True)
    last_seen = models.DateTimeField(_("lần cuối trả lời"), null=True, blank=True)
    sessions = models.PositiveIntegerField(_("số phiên Janus"), default=0)
    janus_rooms = models.PositiveIntegerField(_("số phòng trên Janus"), default=0)
    last_error = models.CharField(_("lỗi gần nhất"), max_length=300, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
