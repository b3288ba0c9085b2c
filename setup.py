"""Package discovery that pyproject.toml cannot express on its own.

The repository keeps ``resources/`` (pick-lists, fonts, templates) at the top level,
where school IT staff can find and edit them; an installed copy must carry them inside
the package as ``incident_recorder.resources``. setuptools' finder only discovers real
folders, so the mapped package is added here. Everything else is in pyproject.toml.
"""

from setuptools import find_packages, setup

setup(
    packages=[
        *find_packages(include=["incident_recorder", "incident_recorder.*"]),
        "incident_recorder.resources",
    ],
    package_dir={"incident_recorder.resources": "resources"},
)
