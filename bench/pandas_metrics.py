"""Baton's benchmark figures (see check.py) computed with pandas from the CSV exports.

    python bench/pandas_metrics.py DATA_DIR 2026-10 2026-10-31 [--check metrics.json]

Timestamps are naive local times (as the generator writes them), parsed as datetimes.
"""

import sys
from decimal import Decimal

import pandas as pd

from check import args, period_bounds, report

opts = args(sys.argv)
data = opts["data"]
start, end = (pd.Timestamp(d) for d in period_bounds(opts["period"]))
as_of = pd.Timestamp(f"{opts['as_of']} 23:59:59")
as_of_day = pd.Timestamp(opts["as_of"])

act = pd.read_csv(f"{data}/activities.csv",
                  usecols=["rep_id", "date", "type", "outcome", "lead_id"],
                  dtype={"rep_id": "string", "type": "category", "outcome": "category",
                         "lead_id": "string"})
act["date"] = pd.to_datetime(act["date"], format="ISO8601")
act = act[act["date"] <= as_of]
act["month"] = act["date"].dt.strftime("%Y-%m")
calls = act["type"] == "call"
figs = pd.DataFrame({
    "rep_id": act["rep_id"], "month": act["month"],
    "dials": calls, "conversations": calls & (act["outcome"] == "connected"),
    "emails": act["type"] == "email", "social": act["type"] == "social",
    "prospects": act["type"] == "prospect_added",
}).groupby(["rep_id", "month"]).sum()
activity = {key: [int(v) for v in row] for key, row in zip(figs.index, figs.to_numpy())}

h = pd.read_csv(f"{data}/handoffs.csv", usecols=["lead_id", "handoff_at", "ae_decision"],
                parse_dates=["handoff_at"])
h = h[(h["handoff_at"] >= start) & (h["handoff_at"] < end) & (h["handoff_at"] <= as_of)]
m = pd.read_csv(f"{data}/meetings.csv", usecols=["lead_id", "scheduled_for", "status"],
                parse_dates=["scheduled_for"])
m = m[m["scheduled_for"] <= as_of]
m["outcome"] = m["status"].map({"held": 3, "no_show": 2, "canceled": 1}).fillna(0)
outcome = m.groupby("lead_id")["outcome"].max()
o = pd.read_csv(f"{data}/opportunities.csv", dtype={"amount": "string"},
                parse_dates=["created_at", "close_date"])
won = o[(o["status"] == "won") & (o["created_at"] <= as_of) & (o["close_date"] <= as_of_day)]
won_per_lead = won.groupby("lead_id").size()

f = pd.DataFrame({"lead_id": h["lead_id"],
                  "decision": h["ae_decision"].fillna("").str.lower()})
f["outcome"] = f["lead_id"].map(outcome).fillna(0)
f["won"] = f["lead_id"].map(won_per_lead).fillna(0)
held = f["outcome"] == 3
funnel = {
    "meetings_booked": len(f), "held": int(held.sum()), "no_show": int((f["outcome"] == 2).sum()),
    "canceled": int((f["outcome"] == 1).sum()), "pending": int((f["outcome"] == 0).sum()),
    "accepted": int((held & (f["decision"] == "accepted")).sum()),
    "rejected": int((held & (f["decision"] == "rejected")).sum()),
    "won": int(f["won"].sum()),
}
closed = o[(o["status"] == "won") & (o["close_date"] >= start) & (o["close_date"] < end)
           & (o["close_date"] <= as_of_day)]
amount = sum((Decimal(a) for a in closed["amount"]), Decimal(0))

# The lead cohort of the month (leads.csv, by created_at) and what became of it by as_of:
# worked (a first touch of leads.csv or of its hand-off, its hand-off, or a call, email or
# social touch naming it), converted (its hand-off happened).
lead = pd.read_csv(f"{data}/leads.csv", usecols=["lead_id", "created_at", "first_touch_at"],
                   dtype={"lead_id": "string"}, parse_dates=["created_at", "first_touch_at"])
lead = lead[(lead["created_at"] >= start) & (lead["created_at"] < end)
            & (lead["created_at"] <= as_of)]
ha = pd.read_csv(f"{data}/handoffs.csv", usecols=["lead_id", "handoff_at", "first_touch_at"],
                 dtype={"lead_id": "string"}, parse_dates=["handoff_at", "first_touch_at"])
ha = ha.dropna(subset=["lead_id"]).groupby("lead_id").min()
touched = set(act.loc[act["type"].isin(["call", "email", "social"]), "lead_id"].dropna())
h_at = lead["lead_id"].map(ha["handoff_at"])
h_touch = lead["lead_id"].map(ha["first_touch_at"])
converted = h_at <= as_of
worked = ((lead["first_touch_at"] <= as_of) | (h_touch <= as_of) | converted
          | lead["lead_id"].isin(touched))
leads = {"leads_assigned": len(lead), "leads_worked": int(worked.sum()),
         "leads_converted": int(converted.sum())}

report(opts, activity, funnel, amount, leads)
