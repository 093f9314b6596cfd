"""Shared by the DuckDB and pandas scripts: the figures they compute, printed as JSON, and the
check that they equal Baton's metrics.json (used on the small dataset, so the race is between
equals).

The figures: per rep and month, dials, conversations, emails, social touches and prospects
added (activities by local date); the team's funnel for one month's hand-off cohort (booked,
held, no_show, canceled, pending, show_rate, accepted, rejected, won) with outcomes as known at
as_of; the month's closed-won amount (deals won with a close date in the month); and the
team's lead cohort of the month from leads.csv (leads_assigned, leads_worked, leads_converted,
docs/metrics.md "Leads"), which reads every activity's lead_id as Baton does.
"""

import json
import sys
from decimal import Decimal

ACTIVITY = ["dials", "conversations", "emails", "social_touches", "new_prospects"]
FUNNEL = ["meetings_booked", "held", "no_show", "canceled", "pending", "accepted", "rejected", "won"]


def args(argv):
    """DATA_DIR PERIOD(YYYY-MM) AS_OF(YYYY-MM-DD) [--check metrics.json] [--out file.json]"""
    if len(argv) < 4:
        sys.exit(f"usage: {argv[0]} DATA_DIR YYYY-MM AS_OF_DATE [--check metrics.json] [--out f]")
    opts = {"data": argv[1], "period": argv[2], "as_of": argv[3], "check": None, "out": None}
    rest = argv[4:]
    while rest:
        key, value, rest = rest[0], rest[1], rest[2:]
        opts[key.lstrip("-")] = value
    return opts


def period_bounds(period):
    """First day of the month and of the next, as YYYY-MM-DD."""
    year, month = map(int, period.split("-"))
    nxt = (year + (month == 12), month % 12 + 1)
    return f"{year:04d}-{month:02d}-01", f"{nxt[0]:04d}-{nxt[1]:02d}-01"


LEADS = ["leads_assigned", "leads_worked", "leads_converted"]


def report(opts, activity, funnel, closed_won_amount, leads):
    """Prints a summary, writes the figures, and checks them against metrics.json if asked.

    activity: {(rep_id, "YYYY-MM"): [dials, conversations, emails, social, prospects]}
    funnel: {key of FUNNEL: int}, closed_won_amount: Decimal, leads: {key of LEADS: int}
    """
    held, no_show = funnel["held"], funnel["no_show"]
    out = {
        "period": opts["period"],
        "reps_months": len(activity),
        "figures_sum": sum(sum(v) for v in activity.values()),
        "funnel": {**funnel, "show_rate": [held, held + no_show]},
        "closed_won_amount": str(closed_won_amount),
        "leads": leads,
    }
    print(json.dumps(out))
    if opts.get("out"):
        rows = {f"{r}|{m}": v for (r, m), v in sorted(activity.items())}
        with open(opts["out"], "w") as f:
            json.dump({**out, "activity": rows}, f)
    if opts.get("check"):
        check(opts, activity, funnel, closed_won_amount, leads)


def check(opts, activity, funnel, closed_won_amount, leads):
    with open(opts["check"]) as f:
        m = json.load(f)
    assert m["period"] == opts["period"], (m["period"], opts["period"])
    team = m["current"]["team"]
    for key in FUNNEL:
        assert team[key] == funnel[key], (key, team[key], funnel[key])
    for key in LEADS:
        assert team[key] == leads[key], (key, team[key], leads[key])
    sr = team["show_rate"]
    assert [sr["num"], sr["den"]] == [funnel["held"], funnel["held"] + funnel["no_show"]], sr
    assert Decimal(team["closed_won_amount"]) == closed_won_amount, (
        team["closed_won_amount"], closed_won_amount)
    checked = 0
    for side in ["current", "previous"]:
        month = m[side]["period"]
        for group in ["sdrs", "aes"]:
            for rep, figs in m[side][group].items():
                want = [figs.get(k) or 0 for k in ACTIVITY]
                got = activity.get((rep, month), [0] * 5)
                assert want == list(got), (side, group, rep, month, want, got)
                checked += 1
    assert checked > 0
    print(f"agree: the team funnel and lead cohort of {opts['period']} and the activity of {checked} "
          f"rep-months equal {opts['check']}")
