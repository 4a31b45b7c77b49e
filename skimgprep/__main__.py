"""``python -m skimgprep``: the ``skimgprep`` command."""

import sys

from .cli import main

sys.exit(main())
