//! Each gate on a tiny dataset: one row that passes, one that fails, the exact message.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

use super::*;
use crate::error::Severity;
use crate::model::*;
use crate::playbook::Playbook;

fn at(s: &str) -> DateTime<Utc> {
    chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M")
        .unwrap()
        .and_utc()
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn src(file: &str, line: u64) -> Source {
    Source {
        file: format!("data/{file}").into(),
        line,
    }
}

fn rep(id: &str, role: Role, start: &str, end: Option<&str>, line: u64) -> Rep {
    Rep {
        id: id.into(),
        name: id.into(),
        role,
        pod: "East".into(),
        start_date: day(start),
        end_date: end.map(day),
        payroll_id: None,
        source: src("reps.csv", line),
    }
}

fn handoff(lead: &str, handoff_at: &str, line: u64) -> Handoff {
    Handoff {
        lead_created_at: Some(at("2026-10-01 09:00")),
        ae_decision: Decision::Accepted,
        source: src("handoffs.csv", line),
        ..Handoff::example(lead, "s1", "a1", at(handoff_at))
    }
}

fn opportunity(id: &str, lead: &str, created: &str, close: &str, line: u64) -> Opportunity {
    Opportunity {
        opportunity_id: id.into(),
        lead_id: Some(lead.into()),
        ae_id: "a1".into(),
        created_at: at(created),
        amount: Decimal::new(1000, 0),
        close_date: Some(day(close)),
        status: OpportunityStatus::Won,
        loss_reason: String::new(),
        reversed_at: None,
        segments: Vec::new(),
        source: src("opportunities.csv", line),
    }
}

/// Two reps, two hand-offs (L1 sane, L2 the one each test breaks), their meetings and deals.
fn dataset() -> Dataset {
    Dataset {
        playbook: Playbook::default(),
        reps: vec![
            rep("s1", Role::Sdr, "2026-01-01", None, 2),
            rep("a1", Role::Ae, "2026-01-01", Some("2026-12-31"), 3),
        ],
        activity: Default::default(),
        activity_files: Vec::new(),
        gaps: Default::default(),
        handoffs: vec![
            handoff("L1", "2026-10-05 10:00", 2),
            handoff("L2", "2026-10-06 10:00", 3),
        ],
        meetings: vec![
            Meeting {
                meeting_id: "M1".into(),
                lead_id: "L1".into(),
                scheduled_for: at("2026-10-07 15:00"),
                status: MeetingStatus::Held,
                source: src("meetings.csv", 2),
            },
            Meeting {
                meeting_id: "M2".into(),
                lead_id: "L2".into(),
                scheduled_for: at("2026-10-08 15:00"),
                status: MeetingStatus::Held,
                source: src("meetings.csv", 3),
            },
        ],
        opportunities: vec![
            opportunity("O1", "L1", "2026-10-08 12:00", "2026-10-20", 2),
            opportunity("O2", "L2", "2026-10-09 12:00", "2026-10-21", 3),
        ],
        one_on_ones: Vec::new(),
        forecasts: Vec::new(),
        leads: Default::default(),
        present: Table::ALL.to_vec(),
    }
}

fn all(level: GateLevel) -> GateConfig {
    GateConfig {
        meeting_before_handoff: level,
        contact_before_handoff: level,
        handoff_before_lead: level,
        closed_before_created: level,
        won_after_rejection: level,
        activity_outside_employment: level,
    }
}

fn lines(d: &[Diagnostic]) -> Vec<String> {
    d.iter().map(ToString::to_string).collect()
}

#[test]
fn a_sane_history_passes_every_gate() {
    let mut ds = dataset();
    ds.activity
        .insert(("s1".into(), day("2025-10-02")), DayCounts::default()); // nothing done
    ds.activity.insert(
        ("a1".into(), day("2026-12-31")),
        DayCounts {
            calls: 1,
            ..DayCounts::default()
        },
    );
    assert!(check(&ds, Tz::UTC, &all(GateLevel::Error)).is_empty());
}

#[test]
fn held_before_booked() {
    let mut ds = dataset();
    ds.meetings[1].scheduled_for = at("2026-10-06 09:59");
    // Shown in the playbook's zone: 09:59 UTC is 05:59 in New York (EDT).
    let tz: Tz = "America/New_York".parse().unwrap();
    assert_eq!(
        lines(&check(&ds, tz, &GateConfig::default())),
        ["data/meetings.csv:3: warning: meeting M2 of lead L2 was held at 2026-10-06 05:59, before its hand-off at 2026-10-06 06:00 (data/handoffs.csv:3) (sanity gate `meeting_before_handoff`)"]
    );
    // A no-show before the hand-off is not a held meeting: not this gate's business.
    ds.meetings[1].status = MeetingStatus::NoShow;
    assert!(check(&ds, tz, &GateConfig::default()).is_empty());
}

#[test]
fn contact_before_the_handoff() {
    let mut ds = dataset();
    ds.handoffs[1].ae_first_contact_at = Some(at("2026-10-06 09:00"));
    ds.handoffs[0].ae_first_contact_at = Some(at("2026-10-05 10:00")); // at the same moment: fine
    assert_eq!(
        lines(&check(&ds, Tz::UTC, &all(GateLevel::Error))),
        ["data/handoffs.csv:3: error: lead L2: the AE's first contact at 2026-10-06 09:00 is before the hand-off at 2026-10-06 10:00 (sanity gate `contact_before_handoff`)"]
    );
}

#[test]
fn handoff_before_the_lead_existed() {
    let mut ds = dataset();
    ds.handoffs[1].lead_created_at = Some(at("2026-10-06 11:00"));
    assert_eq!(
        lines(&check(&ds, Tz::UTC, &GateConfig::default())),
        ["data/handoffs.csv:3: warning: lead L2: handed off at 2026-10-06 10:00, before the lead was created at 2026-10-06 11:00 (sanity gate `handoff_before_lead`)"]
    );
}

#[test]
fn won_or_lost_before_created_by_local_date() {
    let mut ds = dataset();
    // Created 02:00 UTC on the 21st is still the 20th in New York: closing on the 20th is fine.
    ds.opportunities[0].created_at = at("2026-10-21 02:00");
    ds.opportunities[1].close_date = Some(day("2026-10-08"));
    ds.opportunities[1].status = OpportunityStatus::Lost;
    let tz: Tz = "America/New_York".parse().unwrap();
    assert_eq!(
        lines(&check(&ds, tz, &GateConfig::default())),
        ["data/opportunities.csv:3: warning: opportunity O2 was lost on 2026-10-08, before it was created on 2026-10-09 (sanity gate `closed_before_created`)"]
    );
    assert_eq!(check(&ds, Tz::UTC, &GateConfig::default()).len(), 2);
}

#[test]
fn won_although_rejected() {
    let mut ds = dataset();
    ds.handoffs[1].ae_decision = Decision::Rejected;
    assert_eq!(
        lines(&check(&ds, Tz::UTC, &GateConfig::default())),
        ["data/opportunities.csv:3: warning: opportunity O2 was won, but the AE rejected the hand-off of lead L2 (data/handoffs.csv:3) (sanity gate `won_after_rejection`)"]
    );
    // A lost deal on a rejected lead is consistent.
    ds.opportunities[1].status = OpportunityStatus::Lost;
    assert!(check(&ds, Tz::UTC, &GateConfig::default()).is_empty());
}

#[test]
fn activity_outside_employment_counts_days_per_rep() {
    let mut ds = dataset();
    let call = DayCounts {
        calls: 2,
        ..DayCounts::default()
    };
    for d in ["2025-12-30", "2025-12-31", "2026-01-01"] {
        ds.activity.insert(("s1".into(), day(d)), call);
    }
    ds.activity.insert(("a1".into(), day("2027-01-04")), call);
    assert_eq!(
        lines(&check(&ds, Tz::UTC, &all(GateLevel::Error))),
        [
            "data/reps.csv:2: error: rep `s1` (employed from 2026-01-01) has activities on 2 days outside their employment, from 2025-12-30 to 2025-12-31 (sanity gate `activity_outside_employment`)",
            "data/reps.csv:3: error: rep `a1` (employed 2026-01-01 to 2026-12-31) has activities on 1 day outside their employment, on 2027-01-04 (sanity gate `activity_outside_employment`)",
        ]
    );
}

#[test]
fn levels_off_warning_error() {
    let mut ds = dataset();
    ds.handoffs[1].lead_created_at = Some(at("2026-10-07 00:00"));
    assert!(check(&ds, Tz::UTC, &all(GateLevel::Off)).is_empty());
    let warn = check(&ds, Tz::UTC, &GateConfig::default());
    assert_eq!(warn[0].severity, Severity::Warning);
    let err = check(&ds, Tz::UTC, &all(GateLevel::Error));
    assert_eq!(err[0].severity, Severity::Error);
}

#[test]
fn config_rejects_unknown_gates_and_levels() {
    let ok: GateConfig = serde_yaml::from_str("won_after_rejection: error\n").unwrap();
    assert_eq!(ok.won_after_rejection, GateLevel::Error);
    assert_eq!(ok.handoff_before_lead, GateLevel::Warning);
    assert!(serde_yaml::from_str::<GateConfig>("won_after_rejectoin: error\n").is_err());
    assert!(serde_yaml::from_str::<GateConfig>("won_after_rejection: fatal\n").is_err());
}
