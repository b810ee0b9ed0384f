"""``tiepdan recordings process <hearing>`` and ``tiepdan recordings verify <hearing>``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tiepdan.media import custody, room_service
from tiepdan.media.models import HearingRoom
from tiepdan.media.postprocess import PostProcessError


class Command(BaseCommand):
    help = "Process a hearing's recordings into signed files, or verify them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["process", "verify"])
        parser.add_argument("hearing", type=int, help="the hearing's id")

    def handle(self, *args: Any, **options: Any) -> None:
        hearing_id = options["hearing"]
        if not HearingRoom.objects.filter(hearing_id=hearing_id).exists():
            raise CommandError(f"hearing {hearing_id} has no room (it was never held online)")
        if options["action"] == "process":
            try:
                room = custody.process(hearing_id, room_service.janus_settings().rec_dir)
            except PostProcessError as exc:
                raise CommandError(str(exc)) from exc
            for entry in (room.manifest or {}).get("files", []):
                self.stdout.write(f"{entry['label']}: {entry['name']} "
                                  f"{entry['duration_seconds']:.1f} s sha256={entry['sha256']}")
            return
        problems = custody.verify(hearing_id)
        if problems:
            raise CommandError("recordings NOT intact:\n" + "\n".join(problems))
        room = HearingRoom.objects.get(hearing_id=hearing_id)
        signer = custody.signer_of(room)
        by = (f"signed by the organisation certificate of {signer}, chain trusted" if signer
              else "signed by this deployment's Ed25519 key (no organisation certificate)")
        self.stdout.write(self.style.SUCCESS(f"recordings intact: manifest {by}; every "
                                             "file's SHA-256 verified"))
