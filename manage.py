#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samenorg.settings.local")
    from django.core.management import execute_from_command_line

    from samenorg.env import ConfigurationError

    try:
        execute_from_command_line(sys.argv)
    except ConfigurationError as error:
        sys.exit(f"Configuration error: {error}")


if __name__ == "__main__":
    main()
