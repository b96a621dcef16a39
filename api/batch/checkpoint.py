"""The work folder that makes a run resumable.

Beside the output, `.OUT.parts/` holds `manifest.json` (the input's fingerprint and every option that
changes the output) and one part file per finished chunk (`part-00000012.jsonl`: that chunk's records,
exactly as they will appear in a JSONL output). Parts are written atomically, so a part that exists is
complete. `--resume` keeps the parts whose manifest matches; the merge reads them in chunk order.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

import fsspec

from api.batch.files import TEMP_MARK, absolute, write_atomically
from api.batch.options import BatchUsageError

MANIFEST_VERSION = 1
PART = re.compile(r"part-(\d{8})\.jsonl$")


def work_folder_url(output: str) -> str:
    parent, sep, name = absolute(output).rstrip("/").rpartition("/")
    return f"{parent}{sep}.{name}.parts"


class WorkFolder:
    def __init__(self, url: str) -> None:
        self.url = url
        self.fs, self.path = fsspec.core.url_to_fs(url)

    def part_url(self, chunk: int) -> str:
        return f"{self.url}/part-{chunk:08d}.jsonl"

    def open(self, manifest: dict[str, Any], resume: bool) -> dict[str, Any]:
        """Start, or resume (the chunks in `done()` are kept); returns the manifest in force, whose run date
        stands in for "today" so a resumed run decides exactly as the first one did."""
        exists = self.fs.exists(f"{self.path}/manifest.json")
        if resume and exists:
            found: dict[str, Any] = json.loads(self.fs.cat_file(f"{self.path}/manifest.json"))
            _refuse_if_changed(found, manifest)
            self._remove_temps()
            return found
        if resume:
            print(f"batch: nothing to resume in {self.url}; starting from the beginning", file=sys.stderr)
        elif self.fs.exists(self.path):
            print(f"batch: discarding the unfinished run in {self.url} (use --resume to continue it)",
                  file=sys.stderr)
        self.remove()
        self.fs.makedirs(self.path, exist_ok=True)
        write_atomically(f"{self.url}/manifest.json", json.dumps(manifest, indent=1, sort_keys=True).encode())
        return manifest

    def done(self) -> set[int]:
        names = (entry.rsplit("/", 1)[-1] for entry in self.fs.ls(self.path, detail=False))
        return {int(match.group(1)) for name in names if (match := PART.match(name))}

    def write_part(self, chunk: int, data: bytes) -> None:
        write_atomically(self.part_url(chunk), data)

    def read_part(self, chunk: int) -> bytes:
        return bytes(self.fs.cat_file(f"{self.path}/part-{chunk:08d}.jsonl"))

    def remove(self) -> None:
        if self.fs.exists(self.path):
            self.fs.rm(self.path, recursive=True)

    def _remove_temps(self) -> None:
        for entry in self.fs.ls(self.path, detail=False):
            if TEMP_MARK in entry.rsplit("/", 1)[-1]:
                self.fs.rm(entry)


def _refuse_if_changed(found: dict[str, Any], wanted: dict[str, Any]) -> None:
    if found.get("version") != MANIFEST_VERSION:
        raise BatchUsageError("--resume: the unfinished run was made by another notecode version; "
                              "run without --resume to start over")
    if found.get("input") != wanted["input"]:
        raise BatchUsageError("--resume: the input file changed since the unfinished run (size or content); "
                              "run without --resume to start over")
    if found.get("engine") != wanted["engine"]:
        raise BatchUsageError("--resume: notecode's engine (code, rule data or model) changed since the unfinished "
                              "run; run without --resume to start over")
    changed = sorted(key for key in set(found["options"]) | set(wanted["options"])
                     if found["options"].get(key) != wanted["options"].get(key))
    if changed:
        raise BatchUsageError(f"--resume: options changed since the unfinished run ({', '.join(changed)}); "
                              "use the same options, or run without --resume to start over")
