//! Hand-worked comp tests on tiny datasets built in code. Every expected figure is worked out
//! by hand in the comment beside it (default curve: threshold 0.5, accelerator 1.5, cap 2).
//! This file holds the dataset builder; `sdr` the hybrid SDR plan's scenarios, `ae` the AE
//! metrics, `coverage` plan selection and quarterly plans, `input` quotas.csv and the lint.

mod adjust;
mod ae;
mod close;
mod coverage;
mod input;
mod manual;
mod payroll;
mod scope;
mod sdr;
mod windows;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

use super::report::{statements, CompReport};
use super::statement::{Statement, StatementLine};
use crate::model::quota::Quotas;
use crate::model::*;
use crate::period::Period;
use crate::playbook::comp::*;
use crate::playbook::Playbook;

pub(super) fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

pub(super) fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// `YYYY-MM-DD HH:MM` in UTC.
pub(super) fn at(s: &str) -> DateTime<Utc> {
    chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M")
        .unwrap()
        .and_utc()
}

/// Builds a dataset row by row, giving each row the next line of its file.
pub(super) struct Fx {
    pub ds: Dataset,
    /// Lines of adjustments.csv.
    pub manual: Vec<crate::model::manual::ManualAdjustment>,
    lines: std::collections::HashMap<&'static str, u64>,
}

impl Fx {
    pub fn new() -> Fx {
        Fx {
            manual: Vec::new(),
            ds: Dataset {
                playbook: Playbook::default(),
                reps: Vec::new(),
                activity: Default::default(),
                activity_files: Vec::new(),
                handoffs: Vec::new(),
                meetings: Vec::new(),
                opportunities: Vec::new(),
                one_on_ones: Vec::new(),
                forecasts: Vec::new(),
                leads: Default::default(),
                present: Table::ALL.to_vec(),
                gaps: Default::default(),
            },
            lines: Default::default(),
        }
    }

    fn src(&mut self, file: &'static str) -> Source {
        let l = self.lines.entry(file).or_insert(1);
        *l += 1;
        Source {
            file: format!("data/{file}").into(),
            line: *l,
        }
    }

    pub fn rep(&mut self, id: &str, role: Role, pod: &str, start: &str, end: Option<&str>) {
        let source = self.src("reps.csv");
        self.ds.reps.push(Rep {
            id: id.into(),
            name: format!("Name of {id}"),
            role,
            pod: pod.into(),
            start_date: day(start),
            end_date: end.map(day),
            payroll_id: None,
            source,
        });
    }

    /// Activity of `rep` on day `d`, as read from `data/activities.csv`.
    pub fn activity(&mut self, rep: &str, d: &str, dials: u64, prospects: u64) {
        if self.ds.activity_files.is_empty() {
            self.ds.activity_files.push("data/activities.csv".into());
        }
        let c = self.ds.activity.entry((rep.into(), day(d))).or_default();
        c.calls += dials;
        c.prospects_added += prospects;
    }

    pub fn handoff(
        &mut self,
        lead: &str,
        sdr: &str,
        ae: &str,
        handoff_at: &str,
        decision: Decision,
        contact: Option<&str>,
    ) {
        let source = self.src("handoffs.csv");
        self.ds.handoffs.push(Handoff {
            company: format!("Company {lead}").into(),
            criteria: [true, true, true, false].into_iter().collect(),
            ae_first_contact_at: contact.map(at),
            ae_decision: decision,
            source,
            ..Handoff::example(lead, sdr, ae, at(handoff_at))
        });
    }

    pub fn meeting(&mut self, lead: &str, when: &str, status: MeetingStatus) {
        let source = self.src("meetings.csv");
        let n = self.ds.meetings.len();
        self.ds.meetings.push(Meeting {
            meeting_id: format!("M{n}").into(),
            lead_id: lead.into(),
            scheduled_for: at(when),
            status,
            source,
        });
    }

    /// `n` hand-offs by `sdr` to `ae`, each accepted, each with one meeting held on `held`.
    pub fn accepted(&mut self, sdr: &str, ae: &str, n: usize, held: &str) {
        for i in 0..n {
            let lead = format!("{sdr}-L{i}");
            self.handoff(&lead, sdr, ae, "2026-07-20 10:00", Decision::Accepted, None);
            self.meeting(&lead, held, MeetingStatus::Held);
        }
    }

    pub fn won(&mut self, id: &str, lead: Option<&str>, ae: &str, amount: &str, close: &str) {
        let source = self.src("opportunities.csv");
        self.ds.opportunities.push(Opportunity {
            opportunity_id: id.into(),
            lead_id: lead.map(str::to_string),
            ae_id: ae.into(),
            created_at: at("2026-07-01 09:00"),
            amount: dec(amount),
            close_date: Some(day(close)),
            status: OpportunityStatus::Won,
            loss_reason: String::new(),
            reversed_at: None,
            segments: Vec::new(),
            source,
        });
    }
}

pub(super) fn component(
    metric: CompMetric,
    category: Category,
    weight: &str,
    target: &str,
) -> Component {
    Component {
        metric,
        label: None,
        scope: None,
        category,
        weight: dec(weight),
        target: dec(target),
        points: Points {
            dial: Decimal::ONE,
            prospect_added: dec("5"),
        },
        curve: Curve::default(),
    }
}

/// The playbook's hybrid SDR plan on a $60k base with a $25k annual variable, weights
/// 20/50/30: 1,000 activity points, 10 accepted meetings, $100,000 pod revenue a month.
pub(super) fn sdr_plan() -> Plan {
    Plan {
        name: "SDR hybrid".into(),
        roles: vec![Role::Sdr, Role::Bdr],
        reps: Vec::new(),
        effective_from: day("2026-01-01"),
        effective_to: None,
        base_salary: dec("60000"),
        annual_variable: dec("25000"),
        payout_period: PayoutPeriod::Monthly,
        components: vec![
            component(
                CompMetric::ActivityPoints,
                Category::Activity,
                "0.2",
                "1000",
            ),
            component(CompMetric::AcceptedMeetings, Category::Quality, "0.5", "10"),
            component(CompMetric::TeamWonAmount, Category::Team, "0.3", "100000"),
        ],
        draw: None,
        clawback_days: None,
        pay_day: None,
    }
}

pub(super) const AS_OF: &str = "2026-08-31 23:59";

pub(super) fn report(fx: &Fx, period: &str, quotas: &Quotas) -> CompReport {
    statements(
        &fx.ds,
        &Period::parse(period).unwrap(),
        at(AS_OF),
        quotas,
        &fx.manual,
    )
}

pub(super) fn statement<'a>(r: &'a CompReport, rep: &str, period: &str) -> &'a Statement {
    r.statements
        .iter()
        .find(|s| s.rep_id == rep && s.payout_period.label() == period)
        .unwrap_or_else(|| panic!("no statement for {rep} in {period}"))
}

pub(super) fn line(s: &Statement, metric: CompMetric) -> &StatementLine {
    s.lines.iter().find(|l| l.metric == metric).unwrap()
}

pub(super) fn payouts(s: &Statement) -> Vec<Decimal> {
    s.lines.iter().map(|l| l.payout).collect()
}

/// comp.csv's records after the header, each as its cells.
pub(super) fn csv_rows(csv: &str) -> Vec<Vec<String>> {
    csv::Reader::from_reader(csv.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// The payouts of comp.csv's rows of `rep` (column 23, `payout`).
pub(super) fn csv_payouts(csv: &str, rep: &str) -> Vec<String> {
    csv_rows(csv)
        .into_iter()
        .filter(|r| r[0] == rep)
        .map(|r| r[22].clone())
        .collect()
}
