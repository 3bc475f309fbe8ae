"""Wheel build hook: ship the compiled term base prebuilt, so a fresh install never parses the term files.

The file is written into the build folder and force-included as ``nnterm_ls/data/compiled-base.pickle``; it is keyed
by the contents it was built from, and the package rebuilds into the user's cache when it does not match (see
``nnterm_ls/termbase/compiled.py``). Editable installs import the package from the source tree, where the file would
not be found: they skip this step and build into the cache on first use.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompiledBaseHook(BuildHookInterface):
    PLUGIN_NAME = "custom"
    _tmp: str | None = None

    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        sys.path.insert(0, self.root)
        try:
            from nnterm_ls.termbase.compiled import PREBUILT_NAME, write_prebuilt

            self._tmp = tempfile.mkdtemp(prefix="nnterm-prebuilt-")  # not in the output folder: nothing left beside the wheel
            target = os.path.join(self._tmp, PREBUILT_NAME)
            write_prebuilt(target)
        finally:
            sys.path.remove(self.root)
        build_data["force_include"][target] = f"nnterm_ls/data/{PREBUILT_NAME}"

    def finalize(self, version: str, build_data: dict, artifact_path: str) -> None:
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None
