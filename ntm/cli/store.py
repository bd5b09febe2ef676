"""`store copy SOURCE TARGET`: every table of one store into another, new one — a province's laptop store
into the national shared store, or a national copy onto a laptop for a meeting without a network."""

from __future__ import annotations

from ntm.cli.options import lang_arg
from ntm.text import fmt_number, t


def register(sub) -> None:
    """Add `store copy` to the sub-commands."""
    p = sub.add_parser("store", help="move data between stores", description="The store as a whole.")
    ssub = p.add_subparsers(dest="store_command", required=True, metavar="ACTION")
    pc = ssub.add_parser("copy", help="copy every table of a store into a new, empty store",
                         description="Copy everything — every batch including rolled-back ones, boundaries, "
                                     "reference values, accounts — from SOURCE into TARGET in one transaction. "
                                     "Each is a local store (a catalog file such as data/ntm.ducklake; an earlier "
                                     "release's data/ntm.duckdb is brought in first) or a postgresql:// URL "
                                     "(its data files in $NTM_STORE_FILES). TARGET must be empty.")
    pc.add_argument("source", help="the store to copy from")
    pc.add_argument("target", help="the new store to copy into")
    lang_arg(pc)
    pc.set_defaults(func=cmd_store_copy)


def cmd_store_copy(args) -> int:
    """Copy SOURCE into TARGET, bring TARGET to this release's schema and say what was copied."""
    from ntm.store.build import init_database
    from ntm.store.copy import copy_store, store_contents
    from ntm.store.location import location

    src, dst = location(args.source), location(args.target)
    copied = copy_store(src, dst)
    init_database(dst, log=lambda *_: None)
    contents = store_contents(dst)
    lang = args.lang
    print(t("store.copied", lang, source=src.label, target=dst.label, tables=fmt_number(len(copied), lang),
            rows=fmt_number(sum(copied.values()), lang), batches=fmt_number(contents["batches"], lang),
            rolled_back=fmt_number(contents["rolled_back"], lang), boundaries=fmt_number(contents["boundaries"], lang),
            accounts=fmt_number(contents["accounts"], lang)))
    return 0
