"""How ``src/spinewise/store/data/outcome-1.zdict`` was made (kept for provenance).

The preset dictionary of stored decision outputs, format 2 (``store.packing``): the
findings and modality blocks of 300 generated patients' decisions, least frequent
first so the most frequent sit nearest the data (cheapest to refer to), cut to
zlib's 32 KiB window. Made once with knowledge base 1 and frozen: changing the file
would make every output stored with it unreadable (a test pins its SHA-256), so a
better dictionary is a new format beside it. Run to print a candidate's figures:

    .venv/bin/python bench/outcome_dictionary.py [OUT]
"""

from __future__ import annotations

import collections
import datetime as dt
import statistics
import sys
import zlib
from pathlib import Path

import orjson

from spinewise.kb import load_kb
from spinewise.screening import assessments_of, generate_cohort, screen

WINDOW = 32 * 1024


def outputs(rows: int, seed: int) -> list[bytes]:
    kb = load_kb()
    frame = generate_cohort(rows, assessed_on=dt.date(2026, 11, 24), seed=seed)
    return [orjson.dumps(screen(a, kb).to_contract()) for a in assessments_of(frame)]


def dictionary(samples: list[bytes]) -> bytes:
    count: collections.Counter[bytes] = collections.Counter()
    for sample in samples:
        decision = orjson.loads(sample)
        count.update(orjson.dumps(f) for f in decision["findings"])
        count[orjson.dumps(decision["modalities"])] += 1
    ordered = sorted(count.items(), key=lambda kv: (kv[1], kv[0]))
    return b"".join(text for text, _ in ordered)[-WINDOW:]


def main() -> None:
    made = dictionary(outputs(300, seed=11))
    test = outputs(300, seed=12)

    def deflated(data: bytes) -> int:
        packer = zlib.compressobj(9, zdict=made)
        return len(packer.compress(data) + packer.flush())

    print(
        f"dictionary {len(made):,} bytes; outputs {statistics.mean(map(len, test)):.0f} "
        f"bytes as JSON, {statistics.mean(len(zlib.compress(t)) for t in test):.0f} "
        f"deflated, {statistics.mean(map(deflated, test)):.0f} with the dictionary"
    )
    if len(sys.argv) > 1:
        Path(sys.argv[1]).write_bytes(made)


if __name__ == "__main__":
    main()
