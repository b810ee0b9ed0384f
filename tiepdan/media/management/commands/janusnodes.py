"""``tiepdan janusnodes list|add|enable|disable|check``: the Janus nodes rooms are placed on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tiepdan.core.errors import DomainError
from tiepdan.media import janus_nodes, placement
from tiepdan.media.models import JanusNode


class Command(BaseCommand):
    help = "List, register, enable, disable or check the Janus nodes hearing rooms go to."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("list", help="every node with its health and load")
        actions.add_parser("check", help="ask every enabled node now and store its health")
        add = actions.add_parser("add", help="register a node")
        add.add_argument("name")
        add.add_argument("--api-url", required=True, help="e.g. http://10.0.0.5:8088/janus")
        add.add_argument("--admin-url", required=True, help="e.g. http://10.0.0.5:7088/admin")
        add.add_argument(
            "--secrets-file",
            required=True,
            type=Path,
            help="JSON with api_secret, admin_secret, room_admin_key",
        )
        add.add_argument("--capacity", type=int, default=20, help="concurrent rooms")
        for verb in ("enable", "disable"):
            actions.add_parser(
                verb,
                help=f"{verb} a node (disabled: its rooms move on "
                "their next join, new rooms go elsewhere)",
            ).add_argument("name")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "add":
            try:
                node = janus_nodes.register(
                    options["name"],
                    options["api_url"],
                    options["admin_url"],
                    options["secrets_file"],
                    options["capacity"],
                )
            except DomainError as exc:
                raise CommandError(str(exc.message)) from exc
            self.stdout.write(self.style.SUCCESS(f"registered {node.name}"))
        elif action in ("enable", "disable"):
            if not JanusNode.objects.filter(name=options["name"]).update(
                enabled=action == "enable"
            ):
                raise CommandError(f"no Janus node named {options['name']!r}")
            self.stdout.write(self.style.SUCCESS(f"{options['name']}: {action}d"))
        elif action == "check":
            for name, healthy in janus_nodes.check_all().items():
                self.stdout.write(f"{name}: {'up' if healthy else 'DOWN'}")
        janus_nodes.ensure_embedded_node()
        if action in ("list", "check"):
            load = {n.pk: n.open_rooms for n in placement.loads()}
            for node in JanusNode.objects.all():
                seen = node.last_seen.isoformat(timespec="seconds") if node.last_seen else "never"
                self.stdout.write(
                    f"{node.name}\t{'enabled' if node.enabled else 'disabled'}\t"
                    f"{'healthy' if node.healthy else 'unhealthy'}\trooms "
                    f"{load.get(node.pk, 0)}/{node.capacity_rooms}\tsessions {node.sessions}"
                    f"\tlast seen {seen}\t{node.api_url}\t{node.last_error}"
                )
