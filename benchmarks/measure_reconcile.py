"""The reconciliation service under OpenRefine's load: a batch of 100 misspelt names.

:func:`measure_reconciliation` takes 100 names of organisations, people and
programs from the database, puts one typo in each (a letter dropped,
doubled, swapped with the next or replaced: the same typos for the same
seed), and POSTs them as one ``queries`` batch to ``/api/reconcile/``, as
OpenRefine does. It reports the milliseconds of each repeat, the queries of
one batch, and how often the misspelt name's own record came first and was
declared a ``match``.
"""

import json
import random
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from entities.models import Organisation, Person, Program

BATCH_SIZE = 100
# Of the 100 names: organisations, people, programs (about as the corpus has them).
SHARES = (("organisation", Organisation, 60), ("person", Person, 25), ("program", Program, 15))
URL = "/api/reconcile/"


def misspell(name: str, rng: random.Random) -> str:
    """``name`` with one typo in a word of four letters or more (the first letter kept)."""
    words = name.split()
    long_words = [i for i, word in enumerate(words) if len(word) >= 4 and word.isalpha()]
    if not long_words:
        return name
    index = rng.choice(long_words)
    word = words[index]
    at = rng.randrange(1, len(word) - 1)
    typo = rng.choice(("drop", "double", "swap", "replace"))
    if typo == "drop":
        word = word[:at] + word[at + 1 :]
    elif typo == "double":
        word = word[:at] + word[at] + word[at:]
    elif typo == "swap":
        word = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    else:
        letters = "aeioustrnl".replace(word[at].lower(), "")
        word = word[:at] + rng.choice(letters) + word[at + 1 :]
    words[index] = word
    return " ".join(words)


def typo_batch(seed: int) -> tuple[dict, dict]:
    """The batch to send (``{"q0": {"query", "type"}, ...}``) and each query's true record id."""
    rng = random.Random(seed)
    batch, truth = {}, {}
    for kind, model, share in SHARES:
        records = list(model.objects.not_rejected().order_by("pk").values_list("pk", "name"))
        for pk, name in rng.sample(records, min(share, len(records))):
            key = f"q{len(batch)}"
            batch[key] = {"query": misspell(name, rng), "type": kind}
            truth[key] = f"{kind}-{pk}"
    return batch, truth


def measure_reconciliation(repeats: int, *, seed: int = 1) -> dict:
    """Time of the batch of misspelt names (ms per repeat), its queries, and its accuracy."""
    batch, truth = typo_batch(seed)
    client = Client()
    body = {"queries": json.dumps(batch)}

    def post():
        response = client.post(URL, body)
        if response.status_code != 200:
            raise RuntimeError(f"{URL} answered {response.status_code}: {response.content[:200]!r}")
        return response.json()

    post()  # warm-up
    ms = []
    for _ in range(repeats):
        started = time.perf_counter()
        post()
        ms.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        answers = post()
    first = {key: (answers[key]["result"] or [None])[0] for key in batch}
    return {
        "names": len(batch),
        "ms": ms,
        "queries": len(queries),
        "top_is_right": sum(1 for key, top in first.items() if top and top["id"] == truth[key]),
        "matched_right": sum(
            1 for key, top in first.items() if top and top["match"] and top["id"] == truth[key]
        ),
        "matched_wrong": sum(
            1 for key, top in first.items() if top and top["match"] and top["id"] != truth[key]
        ),
    }
