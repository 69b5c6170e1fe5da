"""How long the desk's pages take on the sample bank, through FastAPI's TestClient (no network).

Run after `make run` (reads the warehouse of MI_DATA_DIR, default var/):

    .venv/bin/python bench/desk.py [--rm RM004] [--repeat 5]

Prints the median and the slowest time per page. Today's brief and a customer page compose
the RM's brief (the email's composition) on every request; the other pages are queries.
"""
from __future__ import annotations

import argparse
import re
import statistics
import time

from fastapi.testclient import TestClient
from sqlalchemy import select

from mi.desk.accounts import sample_accounts
from mi.desk.app import create_app
from mi.runtime import current_runtime
from mi.warehouse.book import Coverage, Customer, RelationshipManager
from mi.warehouse.signals import DemandSignal

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def signed_in(client: TestClient, username: str) -> None:
    token = CSRF.search(client.get("/sign-in").text).group(1)  # type: ignore[union-attr]
    client.post("/sign-in", data={"username": username, "password": f"{username}-sample", "csrf": token})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rm", default="RM004")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    runtime = current_runtime()
    engine = runtime.engine
    sample_accounts(engine)
    with engine.connect() as conn:
        customer = conn.execute(select(Customer.customer_ref).join(Coverage, Coverage.customer_id == Customer.id)
                                .join(RelationshipManager, RelationshipManager.id == Coverage.rm_id)
                                .where(RelationshipManager.rm_ref == args.rm)).scalars().first()
        signal = conn.execute(select(DemandSignal.signal_key)).scalars().first()
    app = create_app(engine, runtime.settings)
    pages = {args.rm.lower(): ["/today", "/customers", f"/customers/{customer}", "/archive"],
             "product": ["/signals", f"/signals/{signal}", "/follow-up"], "staff": ["/staff"]}
    print(f"{'page':40} {'median ms':>10} {'max ms':>10}  (n={args.repeat})")
    for username, paths in pages.items():
        client = TestClient(app)
        signed_in(client, username)
        for path in paths:
            times = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                answer = client.get(path)
                times.append((time.perf_counter() - start) * 1000)
                assert answer.status_code == 200, (path, answer.status_code)
            print(f"{username + ' ' + path:40} {statistics.median(times):10.1f} {max(times):10.1f}")


if __name__ == "__main__":
    main()
