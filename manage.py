#!/usr/bin/env python
"""Django's manage.py; `balie` does the same and more (see src/balie/cli.py)."""

import sys

from balie.cli import main

if __name__ == "__main__":
    sys.exit(main(["manage", *sys.argv[1:]]))
