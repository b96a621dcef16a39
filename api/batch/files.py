"""Atomic writes, on a local disk or any fsspec file system: a reader never sees half a file."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

import fsspec
from fsspec.implementations.local import LocalFileSystem

TEMP_MARK = ".tmp-"


def absolute(url: str) -> str:
    """A local path made absolute (Dask workers may run elsewhere in the tree); URLs stay as they are."""
    return url if "://" in url else os.path.abspath(url)


def is_local(fs: Any) -> bool:
    return isinstance(fs, LocalFileSystem)


@contextmanager
def atomic_open(url: str) -> Iterator[IO[bytes]]:
    """Write to a temporary name beside the target, then rename it into place. On a local disk the rename is
    atomic (os.replace after fsync); object stores publish an object only once it is complete."""
    fs, path = fsspec.core.url_to_fs(url)
    parent, _, name = path.rpartition("/")
    temp = f"{parent}/.{name}{TEMP_MARK}{uuid.uuid4().hex[:8]}"  # fsspec paths always have a parent
    if is_local(fs):
        fs.makedirs(parent, exist_ok=True)
    try:
        with fs.open(temp, "wb") as handle:
            yield handle
            if is_local(fs):
                handle.flush()
                os.fsync(handle.fileno())
        if is_local(fs):
            os.replace(temp, path)
        else:
            fs.mv(temp, path)
    except BaseException:
        if fs.exists(temp):
            fs.rm(temp)
        raise


def write_atomically(url: str, data: bytes) -> None:
    with atomic_open(url) as handle:
        handle.write(data)


def remove_leftover_temps(url: str) -> None:
    """Temporary files a killed run left beside `url`."""
    fs, path = fsspec.core.url_to_fs(url)
    parent, _, name = path.rpartition("/")
    for leftover in fs.glob(f"{parent}/.{name}{TEMP_MARK}*"):
        fs.rm(leftover)
