"""The `balie` command: `balie demo`, `balie serve`, `balie worker`, and every management command."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "balie.conf.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["balie", *argv[1:]])
    return 0


if __name__ == "__main__":
    sys.exit(main())
