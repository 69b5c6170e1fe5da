"""Secrets enter at one edge: the environment or a Prefect Secret block, named by a
placeholder in the channel file, resolved by the settings, never shown."""
from __future__ import annotations

from pathlib import Path

import pytest

from mi.settings import Settings, Variables
from mi.transport import FetchError, QueryReader

ROOT = Path(__file__).resolve().parents[1]
SALES_DB = ROOT / "snapshot" / "bank" / "internal_sales.sqlite"


@pytest.mark.flow
def test_a_database_url_can_name_a_prefect_secret_block(prefect_harness: None) -> None:
    from prefect.blocks.system import Secret

    Secret(value=f"sqlite:///{SALES_DB}").save("mi-test-sales-db", overwrite=True)
    reader = QueryReader(variables=Settings.from_env().variables)
    answer = reader.query("sql://sales", "${secret:mi-test-sales-db}", "SELECT product_code FROM products")
    assert answer.body.startswith(b"product_code\n") and answer.body.count(b"\n") > 3
    with pytest.raises(FetchError, match=r"Prefect Secret block\(s\) mi-test-absent not found"):
        reader.query("sql://sales", "${secret:mi-test-absent}", "SELECT 1")


def test_variables_never_show_their_values() -> None:
    looked_up: list[str] = []
    variables = Variables({"BANK_DWH_PASSWORD": "hunter2"}, secrets=lambda name: looked_up.append(name) or "s3cret")
    assert variables["secret:dwh"] == "s3cret" and variables["secret:dwh"] == "s3cret"
    assert looked_up == ["dwh"]  # read once per process
    settings = Settings.from_env({"BANK_DWH_PASSWORD": "hunter2", "MI_DATA_DIR": "/tmp/mi-test"})
    assert "hunter2" not in repr(settings) and "hunter2" not in repr(variables)
    assert "secret:absent" not in Variables({}, secrets=lambda name: None)
