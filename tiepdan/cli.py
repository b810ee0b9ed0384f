"""The ``tiepdan`` command: Django's management commands under one name.

``tiepdan calendar ...``, ``tiepdan timeline ...``, ``tiepdan audit verify`` and the rest are
management commands of the domain apps; ``tiepdan migrate`` etc. work as with manage.py.
``tiepdan init`` prepares the installation (data directory, secret key:
:mod:`tiepdan.ops.installation`) before Django starts; ``tiepdan serve`` does the same first.
"""

import os
import sys

from tiepdan.ops import installation


def main() -> None:
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command in installation.PREPARING_COMMANDS:
        for path in installation.prepare():
            print(f"Đã tạo / created: {path}")
        if command == "init":
            return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiepdan.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
