"""Sphinx configuration for skimgprep's documentation.

The build is offline: no intersphinx inventory is fetched, and the gallery
runs the examples on the images that ship with scikit-learn and
scikit-image. ``SKIMGPREP_DOCS_SMALL=1`` runs each example with ``--small``
(CI's setting); warnings are errors with ``sphinx-build -W``.
"""

import os
import sys

import skimgprep

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # conf_argv

project = "skimgprep"
release = skimgprep.__version__
extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.extlinks",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]
# :doi: links are plain URLs.
extlinks = {"doi": ("https://doi.org/%s", "doi:%s")}
autosummary_generate = True
numpydoc_show_class_members = False
exclude_patterns = ["_build"]
html_theme = "alabaster"

sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    # Every plot_*.py runs; the quickstart (no figure) is shown as code.
    "filename_pattern": r"/plot_",
    "reset_argv": "conf_argv.reset_argv",
    "abort_on_example_error": True,
    "download_all_examples": False,
    "remove_config_comments": True,
    "within_subsection_order": "FileNameSortKey",
}
