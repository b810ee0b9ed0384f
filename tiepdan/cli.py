"""The ``tiepdan`` command: Django's management commands under one name.

``tiepdan calendar ...``, ``tiepdan timeline ...``, ``tiepdan audit verify`` and the rest are
management commands of the domain apps; ``tiepdan migrate`` etc. work as with manage.py.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiepdan.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
