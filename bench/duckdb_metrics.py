"""Baton's benchmark figures (see check.py) computed by DuckDB with SQL from the CSV exports.

    python bench/duckdb_metrics.py DATA_DIR 2026-10 2026-10-31 [--check metrics.json]

Timestamps are naive local times (as the generator writes them), read as TIMESTAMP.
"""

import sys
from decimal import Decimal

import duckdb

from check import args, period_bounds, report

opts = args(sys.argv)
data = opts["data"]
start, end = period_bounds(opts["period"])
as_of = f"{opts['as_of']} 23:59:59"
con = duckdb.connect()

# Activities are read once, for the roll-up and for the leads they touch (leads.csv below).
con.execute(f"""
    CREATE TEMP TABLE act AS
    SELECT * FROM read_csv('{data}/activities.csv', header = true,
                           columns = {{'rep_id': 'VARCHAR', 'date': 'TIMESTAMP', 'type': 'VARCHAR',
                                      'outcome': 'VARCHAR', 'lead_id': 'VARCHAR'}})
    WHERE "date" <= TIMESTAMP '{as_of}'
""")
activity = {}
for rep, month, *figs in con.execute(f"""
    SELECT rep_id, strftime(date_trunc('month', "date"), '%Y-%m') AS month,
           count(*) FILTER (WHERE type = 'call'),
           count(*) FILTER (WHERE type = 'call' AND outcome = 'connected'),
           count(*) FILTER (WHERE type = 'email'),
           count(*) FILTER (WHERE type = 'social'),
           count(*) FILTER (WHERE type = 'prospect_added')
    FROM act
    GROUP BY ALL
""").fetchall():
    activity[(rep, month)] = figs

row = con.execute(f"""
    WITH h AS (
        SELECT lead_id, lower(coalesce(ae_decision, '')) AS decision
        FROM read_csv_auto('{data}/handoffs.csv', header = true)
        WHERE handoff_at >= TIMESTAMP '{start}' AND handoff_at < TIMESTAMP '{end}'
          AND handoff_at <= TIMESTAMP '{as_of}'),
    m AS (
        SELECT lead_id, max(CASE status WHEN 'held' THEN 3 WHEN 'no_show' THEN 2
                                        WHEN 'canceled' THEN 1 ELSE 0 END) AS outcome
        FROM read_csv_auto('{data}/meetings.csv', header = true)
        WHERE scheduled_for <= TIMESTAMP '{as_of}'
        GROUP BY lead_id),
    o AS (
        SELECT lead_id, count(*) AS won
        FROM read_csv('{data}/opportunities.csv', header = true, auto_detect = true,
                      types = {{'amount': 'DECIMAL(18,2)'}})
        WHERE status = 'won' AND created_at <= TIMESTAMP '{as_of}'
          AND close_date <= DATE '{opts['as_of']}' AND lead_id IS NOT NULL
        GROUP BY lead_id),
    f AS (
        SELECT h.decision, coalesce(m.outcome, 0) AS outcome, coalesce(o.won, 0) AS won
        FROM h LEFT JOIN m USING (lead_id) LEFT JOIN o USING (lead_id))
    SELECT count(*), count(*) FILTER (WHERE outcome = 3), count(*) FILTER (WHERE outcome = 2),
           count(*) FILTER (WHERE outcome = 1), count(*) FILTER (WHERE outcome = 0),
           count(*) FILTER (WHERE outcome = 3 AND decision = 'accepted'),
           count(*) FILTER (WHERE outcome = 3 AND decision = 'rejected'),
           coalesce(sum(won), 0)
    FROM f
""").fetchone()
funnel = dict(zip(["meetings_booked", "held", "no_show", "canceled", "pending", "accepted",
                   "rejected", "won"], map(int, row)))

(amount,) = con.execute(f"""
    SELECT coalesce(sum(amount), 0)
    FROM read_csv('{data}/opportunities.csv', header = true, auto_detect = true,
                  types = {{'amount': 'DECIMAL(18,2)'}})
    WHERE status = 'won' AND close_date >= DATE '{start}' AND close_date < DATE '{end}'
      AND close_date <= DATE '{opts['as_of']}'
""").fetchone()

# The lead cohort of the month (leads.csv, by created_at) and what became of it by as_of:
# worked (a first touch of leads.csv or of its hand-off, its hand-off, or a call, email or
# social touch naming it), converted (its hand-off happened).
leads = dict(zip(["leads_assigned", "leads_worked", "leads_converted"], map(int, con.execute(f"""
    WITH l AS (
        SELECT lead_id, first_touch_at
        FROM read_csv('{data}/leads.csv', header = true,
                      columns = {{'lead_id': 'VARCHAR', 'sdr_id': 'VARCHAR',
                                 'created_at': 'TIMESTAMP', 'first_touch_at': 'TIMESTAMP',
                                 'disqualified_reason': 'VARCHAR'}})
        WHERE created_at >= TIMESTAMP '{start}' AND created_at < TIMESTAMP '{end}'
          AND created_at <= TIMESTAMP '{as_of}'),
    h AS (
        SELECT lead_id, min(handoff_at) AS handoff_at, min(first_touch_at) AS first_touch_at
        FROM read_csv_auto('{data}/handoffs.csv', header = true)
        WHERE lead_id IS NOT NULL
        GROUP BY lead_id),
    a AS (
        SELECT DISTINCT lead_id FROM act
        WHERE type IN ('call', 'email', 'social') AND lead_id IS NOT NULL)
    SELECT count(*),
           count(*) FILTER (WHERE l.first_touch_at <= TIMESTAMP '{as_of}'
                              OR h.first_touch_at <= TIMESTAMP '{as_of}'
                              OR h.handoff_at <= TIMESTAMP '{as_of}' OR a.lead_id IS NOT NULL),
           count(*) FILTER (WHERE h.handoff_at <= TIMESTAMP '{as_of}')
    FROM l LEFT JOIN h USING (lead_id) LEFT JOIN a USING (lead_id)
""").fetchone())))

report(opts, activity, funnel, Decimal(amount), leads)
