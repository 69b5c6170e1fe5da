"""``mi desk``: serve the desk, create an account, or the sample bank's accounts.

Examples::

    mi desk                                    # serve on 127.0.0.1:8765 (MI_DESK_HOST, MI_DESK_PORT)
    mi desk --sample-accounts --no-serve       # the sample bank's accounts, printed (sample only)
    mi desk --add-account ada --role rm --rm RM001   # asks for the password (or reads a line from a pipe)
"""
from __future__ import annotations

import getpass
import sys
from collections.abc import Callable

from sqlalchemy import Engine

from mi.desk.accounts import AccountError, create_account, sample_accounts
from mi.settings import SNAPSHOT_CHANNELS, Settings


def run(settings: Settings, engine: Engine, *, serve: bool, sample: bool, add_account: str | None,
        role: str | None, rm: str | None, say: Callable[[str], None]) -> int:
    options = settings.desk
    address = f"http://{options.host}:{options.port}{options.root_path}/"
    if add_account:
        password = (getpass.getpass(f"password for {add_account}: ") if sys.stdin.isatty()
                    else sys.stdin.readline().rstrip("\n"))
        try:
            account = create_account(engine, add_account, password, role=role or "rm", rm_ref=rm)
        except AccountError as exc:
            say(f"account not created: {exc}")
            return 1
        say(f"account {account.username} ({account.role}{' ' + account.rm_ref if account.rm_ref else ''}) created")
        return 0
    if sample:
        if settings.channels_file.resolve() != SNAPSHOT_CHANNELS.resolve():
            say("sample accounts are for the bundled sample bank only (MI_CHANNELS is not the snapshot)")
            return 1
        made = sample_accounts(engine)
        rms = [row for row in made if row[2] == "rm"]
        say(f"the desk: {address}  (start it with `.venv/bin/mi desk`)")
        say("sample accounts (SAMPLE ONLY, the passwords are published in the README):")
        if rms:
            say(f"  RMs: {rms[0][0]} / {rms[0][1]} ... {rms[-1][0]} / {rms[-1][1]}  ({len(rms)} RMs: <rm ref>-sample)")
        for username, password, account_role, _ in made:
            if account_role != "rm":
                say(f"  {account_role}: {username} / {password}")
    if not serve:
        return 0
    import uvicorn

    from mi.desk.app import create_app

    say(f"the desk on {address}")
    uvicorn.run(create_app(engine, settings), host=options.host, port=options.port, root_path=options.root_path,
                proxy_headers=bool(options.trusted_proxies), forwarded_allow_ips=options.trusted_proxies or None,
                server_header=False, log_level="info")
    return 0
