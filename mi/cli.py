"""``mi``: the command line for market-information staff.

Examples::

    mi run daily                                   # the morning run: gather, refine, brief every RM
    mi run gather                                  # every enabled channel
    mi run refine --param day=2026-11-27           # analyse what has come in
    mi run refine --param since=2026-11-01 --param day=2026-11-27   # tag a date range again
    mi run gather --param channels=markets-wire --param since=2026-11-26   # one channel, since a day
    mi run gather --param channels=ecb-eurofxref-daily,company-wire
    mi run gather --task-runner dask [--dask-address tcp://scheduler:8786]   # channel tasks on Dask
    mi run brief --param rms=RM001,RM002 --param dry_run=true
    mi brief --rm RM001 --preview                  # one RM's brief as HTML and text, not sent
    mi channels                                    # channels and their health
    mi status                                      # what the warehouse holds, per channel
    mi replay --channel markets-wire               # re-parse quarantined payloads
    mi note add --rm RM030 --customer C10002 "Treasurer asks about hedging USD receivables"
    mi run signal --param day=2026-11-27           # demand signals: group, score, publish the week's
    mi run follow_up                               # launched products against target and cost
    mi run alert --param window_hours=12           # intraday alerts to exposed RMs, once per event
    mi run maintenance --param payload_days=60     # prune old run history and payloads, VACUUM
    mi signals list --status sent
    mi signals show fx_receivables_hedge
    mi signals decide fx_receivables_hedge accept --owner "FX products" --reason "fits the 2027 plan"
    mi inspect feed https://example.org/rss.xml --format json
    mi inspect page snapshot/pages/article.html
    mi inspect series rates.csv --date-column Date --value-column USD --format json
    mi inspect text --in headlines.jsonl --out tagged.jsonl [--explain]
    mi server start                                # a persistent local Prefect API (var/prefect/)
    mi deploy                                      # work pool + prefect.yaml's deployments on it
    mi serve                                       # run prefect.yaml's schedules from this process
    mi server stop
    mi desk                                        # the desk (web app) on 127.0.0.1:8765
"""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rich.text import Text

from mi import reports
from mi.console import json_renderable, literal, make_console
from mi.records.inert import json_text

# Whatever these print is shown literally (see mi.console): data goes in as literal() text,
# styles as Text styles, never as markup in a string.
console = make_console()
err_console = make_console(stderr=True)


def _print_rows(rows: list[dict[str, Any]], fmt: str, title: str, columns: list[str]) -> None:
    if fmt == "json":
        print(json_text(rows))
    else:
        reports.render(console, title, rows, columns)


def _flow_params(flow: str, pairs: list[str]) -> dict[str, Any]:
    """The flow's validated parameters (``mi.flows.parameters``); refused before anything runs."""
    from mi.flows.parameters import ParameterError, parse_pairs

    try:
        return parse_pairs(flow, pairs).given()
    except ParameterError as exc:
        raise SystemExit(str(exc)) from None


@contextlib.contextmanager
def _local_server(announce: bool = True) -> Iterator[str | None]:
    """Inside: Prefect talks to the local API of ``mi server start`` when it is up (and no
    ``PREFECT_API_URL`` is set); else to Prefect's temporary API, as before."""
    from mi.server import api_url_to_use

    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    # A busy machine can take longer than Prefect's 20 s to start its temporary API.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    url = api_url_to_use(os.environ)
    if not url or os.environ.get("PREFECT_API_URL"):
        yield url
        return
    from prefect.settings import PREFECT_API_URL, temporary_settings

    if announce:
        err_console.print(Text.assemble("Prefect API: ", literal(url), " (mi server)"))
    with temporary_settings(updates={PREFECT_API_URL: url}):
        yield url


def _report_gather(results: list[Any], fmt: str) -> int:
    _print_rows(reports.gather_rows(results), fmt, "gather: per-channel results",
                ["channel", "kind", "status", "fetched", "new", "unchanged", "quarantined", "resumed", "error"])
    failed = [r.channel for r in results if r.error]
    if failed:
        err_console.print(Text.assemble((f"{len(failed)} channel(s) failed:", "red"), " ",
                                        literal(", ".join(failed)),
                                        " — see `mi channels` and the raw items they quarantined"))
        return 1
    return 0


def _report_refine(stats: dict[str, int], fmt: str) -> int:
    _print_rows([{"step": k.replace("_", " "), "count": v} for k, v in stats.items()], fmt,
                "refine: what the analysis layer gained", ["step", "count"])
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    params = _flow_params(args.flow, args.param)
    if args.task_runner == "dask" and args.flow != "gather":
        raise SystemExit("--task-runner dask applies to gather (its channel tasks are what fans out)")
    from mi.runtime import current_runtime

    try:
        if args.flow != "brief":  # a brief's channels are delivery channels (eml, smtp, webhook)
            current_runtime().select(params.get("channels"))
    except KeyError as exc:
        raise SystemExit(str(exc.args[0])) from None
    with _local_server(announce=args.format != "json"):
        return _run_flow(args, params)


def _run_flow(args: argparse.Namespace, params: dict[str, Any]) -> int:
    if args.flow in ("signal", "follow_up", "alert", "maintenance"):
        return _run_signal_flow(args.flow, params, args.format)
    from mi.flows.gather import gather, outcome

    if args.flow == "brief":
        from mi.flows.brief import brief

        return _report_brief(outcome(brief(**params, return_state=True)), args.format)
    if args.flow == "gather":
        if args.task_runner == "dask":
            gather = gather.with_options(task_runner=_dask_runner(args.dask_address))
        return _report_gather(outcome(gather(**params, return_state=True)), args.format)
    from mi.flows.daily import daily
    from mi.flows.refine import refine

    if args.flow == "refine":
        return _report_refine(refine(**params), args.format)
    state = daily(**params, return_state=True)
    results, stats, briefed = outcome(state)
    failed = max(_report_gather(results, args.format), _report_refine(stats, args.format),
                 _report_brief(briefed, args.format))
    if state.is_failed():
        err_console.print(Text.assemble(("daily:", "red"), " ", literal(state.message or "failed"),
                                        " — the run's daily-summary artifact has each stage"))
        return 1
    return failed


def _dask_runner(address: str | None) -> Any:
    """Channel tasks on a Dask cluster: the one at ``address``, else a local one started for this run."""
    from prefect_dask import DaskTaskRunner

    if address:
        return DaskTaskRunner(address=address)
    return DaskTaskRunner(cluster_kwargs={"n_workers": 2, "threads_per_worker": 2, "dashboard_address": None})


def _report_brief(results: list[Any], fmt: str) -> int:
    from mi.flows.brief import UNDELIVERED
    from mi.runtime import current_runtime

    rows = [row for result in results for row in result.rows()]
    _print_rows(rows, fmt, "brief: one row per RM and channel", ["rm", "channel", "outcome", "items", "attempts",
                                                                 "error"])
    delivery = current_runtime().settings.delivery
    if "eml" in delivery.channels and fmt != "json":
        err_console.print(Text.assemble("briefs as .eml files in ", literal(str(delivery.outbox_dir))))
    undelivered = [row for row in rows if row["outcome"] in UNDELIVERED]
    if undelivered:
        err_console.print(Text.assemble((f"{len(undelivered)} brief(s) not delivered", "red"),
                                        " — the next run retries them"))
        return 1
    return 0


def cmd_brief(args: argparse.Namespace) -> int:
    """``mi brief --rm RM001 --preview [--out DIR]``: one RM's brief as HTML and text, not sent."""
    from mi.briefing import preview
    from mi.runtime import current_runtime

    runtime = current_runtime()
    until = dt.datetime.now(dt.timezone.utc)
    period = dt.date.fromisoformat(args.period) if args.period else until.date()
    try:
        rendered = preview(runtime.engine, runtime.settings, args.rm, period=period, until=until)
    except ValueError as exc:
        raise SystemExit(str(exc)) from None
    out = Path(args.out or runtime.settings.data_dir / "preview")
    out.mkdir(parents=True, exist_ok=True)
    stem = f"brief-{args.rm}-{period.isoformat()}"
    (out / f"{stem}.html").write_text(rendered.html, encoding="utf-8")
    (out / f"{stem}.txt").write_text(rendered.text, encoding="utf-8")
    console.print(Text.assemble(literal(rendered.subject), "\n", "written: ", literal(str(out / stem)),
                                ".html and .txt (not sent)"))
    return 0


def _run_signal_flow(name: str, params: dict[str, Any], fmt: str) -> int:
    from mi.flows.alert import alert
    from mi.flows.follow_up import follow_up
    from mi.flows.maintenance import maintenance
    from mi.flows.signal import signal

    stats = {"signal": signal, "follow_up": follow_up, "alert": alert, "maintenance": maintenance}[name](**params)
    _print_rows([{"step": k.replace("_", " "), "value": ", ".join(v) if isinstance(v, list) else str(v)}
                 for k, v in stats.items()], fmt, f"{name}: what the run did", ["step", "value"])
    return 0


def cmd_signals(args: argparse.Namespace) -> int:
    from mi.runtime import current_runtime
    from mi.signals.lifecycle import DecisionError, decide, signal_detail, signal_rows

    engine = current_runtime().engine
    try:
        if args.signals_command == "list":
            _print_rows(signal_rows(engine, args.status), args.format, "demand signals",
                        ["signal", "title", "status", "score", "customers", "rms", "notes", "owner", "review_on",
                         "last_noted_on"])
        elif args.signals_command == "show":
            detail = signal_detail(engine, args.signal)
            if args.format == "json":
                print(json_text(detail))
            else:
                console.print(json_renderable(detail), soft_wrap=True)
        else:
            done = decide(engine, args.signal, args.decision, owner=args.owner, reason=args.reason,
                          product_ref=args.product, review_days=args.review_days)
            review = f", review on {done.review_on.isoformat()}" if done.review_on else ""
            console.print(literal(f"{done.signal_key}: {done.from_status} -> {done.to_status}{review}; "
                                  f"the {done.rms} RM(s) whose notes fed it learn it in their next brief"))
    except DecisionError as exc:
        err_console.print(Text.assemble(("not done:", "red"), " ", literal(exc)))
        return 1
    return 0


def cmd_channels(args: argparse.Namespace) -> int:
    from mi.runtime import current_runtime
    from mi.warehouse.loading import sync_channels

    runtime = current_runtime()
    with runtime.engine.begin() as conn:
        sync_channels(conn, runtime.channels)
    _print_rows(reports.channel_health(runtime.engine), args.format, "channels and their health",
                ["channel", "kind", "enabled", "health", "last_success", "last_error_at", "consecutive_failures",
                 "fetched", "new", "quarantined", "last_error"])
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from mi.runtime import current_runtime

    engine = current_runtime().engine
    rows = reports.warehouse_summary(engine)
    if args.format == "json":
        print(json_text({"channels": rows, "picture": reports.picture_summary(engine)}))
        return 0
    _print_rows(rows, args.format, "warehouse: what landed per channel",
                ["channel", "kind", "payloads", "quarantined", "records_read", "documents", "series",
                 "observations"])
    _print_rows(reports.picture_summary(engine), args.format, "the integrated picture", ["part", "rows"])
    return 0


def cmd_replay(args: argparse.Namespace) -> int:
    from mi.gathering import replay_channel
    from mi.runtime import current_runtime

    runtime = current_runtime()
    try:
        config = runtime.channel(args.channel)
    except KeyError as exc:
        raise SystemExit(str(exc.args[0])) from None
    result = replay_channel(runtime.engine, config, include_partial=args.include_partial,
                            limits=runtime.settings.limits)
    _print_rows([{**result.as_row(), "replayed": result.fetched}], args.format, "replay",
                ["channel", "replayed", "new", "unchanged", "quarantined", "error"])
    return 1 if result.error else 0


def _inspect_text(args: argparse.Namespace) -> int:
    from mi.inspect import inspect_text

    source = args.input or args.target
    if not source:
        raise SystemExit("mi inspect text needs --in FILE.jsonl")
    try:
        lines = Path(source).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise SystemExit(f"cannot read {source}: {exc}") from None
    results, problems = inspect_text(lines, explain=args.explain)
    out = "".join(json_text(r, indent=None) + "\n" for r in results)
    if args.output:
        Path(args.output).write_text(out, encoding="utf-8")
    else:
        sys.stdout.write(out)
    for problem in problems:
        err_console.print(Text.assemble(("skipped", "red"), " ", literal(problem)))
    return 1 if problems else 0


def cmd_inspect(args: argparse.Namespace) -> int:
    from mi.inspect import inspect_feed, inspect_page, inspect_series

    if args.what == "text":
        return _inspect_text(args)
    if not args.target:
        raise SystemExit(f"mi inspect {args.what} needs a FILE_OR_URL")
    if args.what == "series":
        payload, ok = inspect_series(args.target, args.date_column, args.value_column)
    else:
        payload, ok = {"feed": inspect_feed, "page": inspect_page}[args.what](args.target)
    if args.format == "json":
        print(json_text(payload))
    else:
        console.print(json_renderable(payload), soft_wrap=True)
    return 0 if ok else 1


def cmd_note_add(args: argparse.Namespace) -> int:
    from mi.notes import add_note
    from mi.records.notes import NoteError
    from mi.runtime import current_runtime

    noted_on = None
    if args.date:
        try:
            noted_on = dt.date.fromisoformat(args.date)
        except ValueError:
            raise SystemExit(f"--date must be YYYY-MM-DD, got {args.date!r}") from None
    try:
        result = add_note(current_runtime().engine, rm=args.rm, customer=args.customer, text=args.text,
                          noted_on=noted_on, tags=args.tag, confidential=args.confidential)
    except NoteError as exc:
        err_console.print(Text.assemble(("note not recorded:", "red"), " ", literal(exc)))
        return 1
    console.print(literal(result.message))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """``mi serve``: prefect.yaml's deployments and every schedule of each, from this process."""
    with _local_server() as url:
        return _serve(url)


def _serve(url: str | None) -> int:
    from mi.serving import read_deployments, serve_all

    if not url:
        err_console.print(Text.assemble(("no Prefect API is up", "yellow"), ": serving on a temporary one that only "
                                        "this process reaches, and its run history ends with it; `mi server start` "
                                        "first keeps both"))
    served = read_deployments()
    for item in served:
        schedules = "; ".join(s.describe() for s in item.schedules) or "ad hoc, no schedule"
        console.print(literal(f"serving {item.name}: {item.entrypoint} ({schedules})"))
        for warning in item.warnings:
            err_console.print(Text.assemble(("warning:", "yellow"), " ", literal(f"{item.name}: {warning}")))
    try:
        serve_all(served)
    except KeyboardInterrupt:
        console.print("stopped")
    return 0


def cmd_server(args: argparse.Namespace) -> int:
    """``mi server start|stop|status``: the persistent local Prefect API (see ``mi.server``)."""
    from mi import server

    try:
        settings = server.ServerSettings.from_env(os.environ)
        if args.server_command == "start":
            if os.environ.get("PREFECT_API_URL"):
                err_console.print(Text.assemble(("note:", "yellow"), " PREFECT_API_URL is set, so mi run and mi serve "
                                                "use that API, not this one"))
            state = server.start(settings, os.environ)
        elif args.server_command == "stop":
            stopped = server.stop(settings)
            console.print("stopped" if stopped else "no server of this data dir was running")
            state = server.status(settings)
        else:
            state = server.status(settings)
    except (RuntimeError, ValueError) as exc:
        err_console.print(Text.assemble(("server:", "red"), " ", literal(str(exc))))
        return 1
    _print_rows([state.as_row()], args.format, "local Prefect API", ["server", "pid", "api_url", "database", "log"])
    return 0 if state.answering or args.server_command == "stop" else 1


def cmd_deploy(args: argparse.Namespace) -> int:
    """``mi deploy``: create prefect.yaml's work pools and register its deployments."""
    with _local_server() as url:
        if not url:
            raise SystemExit("no Prefect API to deploy to: `mi server start` first, or set PREFECT_API_URL")
        return _deploy(url)


def _deploy(url: str) -> int:
    from mi.deploying import ensure_work_pools, pool_names, register_deployments, registered_deployments
    from mi.settings import BriefSettings

    created, found = ensure_work_pools(pool_names())
    for name in created:
        console.print(literal(f"work pool {name} created (process)"))
    for name in found:
        console.print(literal(f"work pool {name} already there"))
    done = register_deployments(os.environ, url, BriefSettings.from_env(os.environ).time_zone)
    if done.returncode != 0:
        err_console.print(Text.assemble(("prefect deploy --all failed:", "red"), "\n",
                                        literal((done.stdout + done.stderr)[-4000:])))
        return 1
    names = registered_deployments()
    console.print(literal(f"{len(names)} deployments registered: {', '.join(names)}"))
    console.print(literal(f"start a worker: MI_PROJECT_DIR=<this folder> prefect worker start --pool "
                          f"{(created + found or ['mi-default'])[0]}"))
    return 0


def cmd_desk(args: argparse.Namespace) -> int:
    from mi.desk.command import run
    from mi.runtime import current_runtime

    runtime = current_runtime()
    return run(runtime.settings, runtime.engine, serve=not args.no_serve, sample=args.sample_accounts,
               add_account=args.add_account, role=args.role, rm=args.rm, say=lambda line: console.print(literal(line)))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mi", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)

    def with_format(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--format", choices=["table", "json"], default="table")
        return p

    run = with_format(sub.add_parser("run", help="run a flow ad hoc: gather, refine, brief, signal, follow_up, alert, "
                                                 "maintenance, or daily (gather to follow-up)"))
    run.add_argument("flow")
    run.add_argument("--param", action="append", default=[], metavar="KEY=VALUE")
    run.add_argument("--task-runner", choices=["threads", "dask"], default="threads",
                     help="gather: run the channel tasks on a Dask cluster (prefect-dask) instead of threads")
    run.add_argument("--dask-address", metavar="tcp://HOST:8786",
                     help="with --task-runner dask: an existing scheduler (default: a local cluster for this run)")
    run.set_defaults(func=cmd_run)
    with_format(sub.add_parser("channels", help="list channels with their health")).set_defaults(func=cmd_channels)
    with_format(sub.add_parser("status", help="what the warehouse holds, per channel")).set_defaults(func=cmd_status)
    replay = with_format(sub.add_parser("replay", help="re-parse a channel's quarantined raw items"))
    replay.add_argument("--channel", required=True)
    replay.add_argument("--include-partial", action="store_true",
                        help="also re-parse payloads that loaded with some rows set aside")
    replay.set_defaults(func=cmd_replay)
    sub.add_parser("serve", help="run the schedules of prefect.yaml from this process").set_defaults(func=cmd_serve)
    server = with_format(sub.add_parser("server", help="the persistent local Prefect API: start, stop, status"))
    server.add_argument("server_command", choices=["start", "stop", "status"])
    server.set_defaults(func=cmd_server)
    sub.add_parser("deploy", help="create the work pool(s) and register prefect.yaml's deployments").set_defaults(
        func=cmd_deploy)
    brief = sub.add_parser("brief", help="one RM's brief: mi brief --rm RM001 --preview")
    brief.add_argument("--rm", required=True, help="the RM's id")
    brief.add_argument("--preview", action="store_true", required=True,
                       help="write the HTML and text without sending (the only mode: briefs are sent by flows)")
    brief.add_argument("--period", help="YYYY-MM-DD (default: today)")
    brief.add_argument("--out", help="folder for the files (default: <data dir>/preview)")
    brief.set_defaults(func=cmd_brief)
    note = sub.add_parser("note", help="RM field notes").add_subparsers(dest="note_command", required=True)
    add = note.add_parser("add", help='record one note: mi note add --rm RM016 --customer C10002 "text"')
    add.add_argument("--rm", required=True, help="the RM's id")
    add.add_argument("--customer", required=True, help="customer id, or a name that identifies one customer")
    add.add_argument("text")
    add.add_argument("--date", help="YYYY-MM-DD (default: today)")
    add.add_argument("--tag", action="append", default=[], help="repeat for several tags")
    add.add_argument("--confidential", action="store_true")
    add.set_defaults(func=cmd_note_add)
    signals = sub.add_parser("signals", help="demand signals: list, show, decide").add_subparsers(
        dest="signals_command", required=True)
    listed = with_format(signals.add_parser("list", help="signals, best first"))
    listed.add_argument("--status", choices=["new", "sent", "acknowledged", "accepted", "rejected", "reserved",
                                             "launched"])
    shown = with_format(signals.add_parser("show", help="one signal: score reasons, evidence, history"))
    shown.add_argument("signal", help="its key (e.g. fx_receivables_hedge) or id")
    decided = signals.add_parser("decide", help="record the product department's decision")
    decided.add_argument("signal", help="its key or id")
    decided.add_argument("decision", choices=["acknowledge", "accept", "reject", "reserve", "launch"])
    decided.add_argument("--owner", required=True, help="who decides (name or team)")
    decided.add_argument("--reason", help="why (needed to accept, reject or reserve)")
    decided.add_argument("--product", help="launch: the product ref the signal became")
    decided.add_argument("--review-days", type=int, default=90, help="reserve: days until it comes back (90)")
    for parser_ in (listed, shown, decided):
        parser_.set_defaults(func=cmd_signals)
    inspect = sub.add_parser("inspect", help="show exactly how one input is processed")
    inspect.add_argument("what", choices=["feed", "page", "series", "text"])
    inspect.add_argument("target", metavar="FILE_OR_URL", nargs="?")
    inspect.add_argument("--in", dest="input", metavar="FILE.jsonl",
                         help='text: lines of {"id", "text"} (and "title", "market")')
    inspect.add_argument("--out", dest="output", metavar="FILE.jsonl", help="text: write results here")
    inspect.add_argument("--explain", action="store_true",
                         help="text: each link's reason, and every company found but not linked with why")
    inspect.add_argument("--date-column", help="series: the date column (default: guessed)")
    inspect.add_argument("--value-column", help="series: the value column (default: the first numeric one)")
    inspect.add_argument("--format", choices=["text", "json"], default="text")
    inspect.set_defaults(func=cmd_inspect)
    desk = sub.add_parser("desk", help="the desk, a web app for RMs, the product department and staff")
    desk.add_argument("--sample-accounts", action="store_true", help="create the sample bank's accounts and print them")
    desk.add_argument("--no-serve", action="store_true", help="do not start the web server")
    desk.add_argument("--add-account", metavar="USERNAME", help="create an account (asks for its password)")
    desk.add_argument("--role", choices=["rm", "product", "staff", "admin"], help="the new account's role")
    desk.add_argument("--rm", help="the new rm account's RM ref")
    desk.set_defaults(func=cmd_desk)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
