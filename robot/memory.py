"""This process's peak memory, for the logs and the memory goals."""

from __future__ import annotations

import resource
from pathlib import Path

_STATUS = Path("/proc/self/status")


def peak_rss_mib() -> int:
    """Peak resident memory of this process image in MiB.

    Linux's VmHWM belongs to the current program only; ``ru_maxrss`` also keeps the peak of the
    process that forked it (a child started from a 500 MB test runner reports 500 MB).
    """
    try:
        for line in _STATUS.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) // 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
