"""Entry point of `python -m data_access`."""

import sys

from data_access.cli.main import main

sys.exit(main())
