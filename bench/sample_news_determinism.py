"""The sample-news generator writes the same bytes twice (an evaluation script: it reads
../shared/data/news, which the project never reads in tests or at run time).

Not compared with the bundled files: the generator picks what the linker of the day links,
so a better linker may pick other stories; the bundled files stay as generated.

    .venv/bin/python bench/sample_news_determinism.py
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED_NEWS = ROOT.parent / "shared" / "data" / "news"
EXPECTED = ["ORIGINS.csv", "company-wire.atom", "markets-wire.rss", "sector-wire.json"]


def main() -> int:
    if not (SHARED_NEWS / "twitter_financial_sentiment").is_dir():
        print("skipped: the generator reads ../shared/data/news, which this checkout lacks")
        return 0
    with tempfile.TemporaryDirectory() as folder:
        outputs = []
        for run in ("a", "b"):
            subprocess.run([sys.executable, str(ROOT / "scripts" / "make_sample_news.py"), "--out",
                            str(Path(folder) / run)], check=True, capture_output=True)
            outputs.append(Path(folder) / run)
        names = sorted(p.name for p in outputs[0].iterdir())
        same = names == EXPECTED and all(
            (outputs[0] / name).read_bytes() == (outputs[1] / name).read_bytes() for name in names)
    print(f"files: {', '.join(names)}; identical on a second run: {same}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
