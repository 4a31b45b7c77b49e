"""The command line each gallery example runs with (see conf.py)."""

import os


def reset_argv(gallery_conf, script_vars):
    """``["--small"]`` when ``SKIMGPREP_DOCS_SMALL`` is set, else none."""
    return ["--small"] if os.environ.get("SKIMGPREP_DOCS_SMALL") else []
