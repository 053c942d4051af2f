"""The package list, with resources/ shipped inside the wheel as ``annotator.resources``.

pyproject.toml holds everything else; only this mapping of a top-level folder into the package
needs code (setuptools' declarative config cannot combine ``find`` with a ``package-dir`` entry).
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["annotator*"]), "annotator.resources"],
    package_dir={"annotator.resources": "resources"},
)
