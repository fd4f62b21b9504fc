"""A serving process loads every view at start and freezes what start-up created
(kaluga_cluster/startup.py), so a full garbage collection during a request
scans only the objects requests made, not the whole app."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import gc, sys
import kaluga_cluster.{entry}
print(gc.get_freeze_count(), len(gc.get_objects()), "entities.api.reconcile" in sys.modules)
"""


def start(entry: str) -> tuple[int, int, bool]:
    """Import the entry point in a fresh interpreter: objects frozen, objects still
    scanned, and whether a view module only the URLconf imports is loaded."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(entry=entry)],
        cwd=ROOT, capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    frozen, scanned, views_loaded = done.stdout.split()
    return int(frozen), int(scanned), views_loaded == "True"


def test_the_wsgi_entry_point_loads_the_views_and_freezes_the_start_up_objects():
    frozen, scanned, views_loaded = start("wsgi")
    assert views_loaded
    # Nearly everything start-up made is out of the collector's way.
    assert frozen > 20 * scanned


def test_the_asgi_entry_point_does_the_same():
    frozen, scanned, views_loaded = start("asgi")
    assert views_loaded
    assert frozen > 20 * scanned
