//! One lead's path from first touch to closed deal, decided at its first touch and written
//! when its hand-off comes: `handoffs.csv`, `meetings.csv` and `opportunities.csv` rows.
//!
//! Order always holds: lead created < first touch < hand-off < meeting < AE decision <
//! opportunity < close. Nothing after the window's last day is reported as having happened:
//! such meetings are `scheduled`, such deals `open` with a future expected close date.

use super::clock::{self, DAY, HOUR};
use super::csv_out::CsvOut;
use super::names::{self, PAINS};
use super::rng::Rng;
use super::team::{month_of, Team};
use super::Window;
use crate::error::Error;

/// The columns of `handoffs.csv`, with the default BANT criteria and checklist sections.
pub const HANDOFF_HEADER: [&str; 23] = [
    "lead_id",
    "company",
    "sdr_id",
    "ae_id",
    "lead_created_at",
    "first_touch_at",
    "handoff_at",
    "handoff_type",
    "budget",
    "authority",
    "need",
    "timeline",
    "doc_prospect",
    "doc_pain",
    "doc_environment",
    "doc_timeline",
    "doc_history",
    "sdr_pain_point",
    "ae_first_contact_at",
    "ae_decision",
    "rejection_reason",
    "ae_pain_point",
    "lead_source",
];

pub const MEETING_HEADER: [&str; 4] = ["meeting_id", "lead_id", "scheduled_for", "status"];

pub const OPPORTUNITY_HEADER: [&str; 8] = [
    "opportunity_id",
    "lead_id",
    "ae_id",
    "created_at",
    "amount",
    "close_date",
    "status",
    "loss_reason",
];

const HANDOFF_LOSSES: [&str; 3] = ["Poor fit", "Wrong contact", "Expectations mismatch"];
const OTHER_LOSSES: [&str; 5] = [
    "Price",
    "Chose competitor",
    "No decision",
    "Timing",
    "Budget cut",
];
const OTHER_REJECTIONS: [&str; 3] = [
    "Duplicate of an open opportunity",
    "Outside our target segment",
    "Already under contract with a competitor",
];
/// Why an AE rejects a lead, by the first BANT criterion it misses.
const CRITERION_REJECTIONS: [&str; 4] = [
    "No budget this fiscal year",
    "Contact has no buying authority",
    "No clear pain we solve",
    "Timeline beyond two quarters",
];

/// A deal: from a hand-off, or sourced by the AE alone (`lead` empty).
pub struct Deal {
    pub created: i64,
    pub cents: u64,
    pub close_day: i64,
    pub status: &'static str,
    pub loss: String,
}

pub struct Lead {
    pub num: u64,
    pub company: String,
    pub sdr: usize,
    pub ae: usize,
    pub created: i64,
    pub first_touch: i64,
    pub handoff: i64,
    pub warm: bool,
    pub criteria: [bool; 4],
    pub docs: [String; 5],
    pub sdr_pain: &'static str,
    pub ae_contact: Option<i64>,
    pub decision: &'static str,
    pub rejection: &'static str,
    pub ae_pain: String,
    pub meetings: Vec<(i64, &'static str)>,
    pub deal: Option<Deal>,
    /// Where the lead came from, as the CRM's typed field holds it ([`lead_source`]).
    pub source: &'static str,
}

/// The lead's source as a CRM export spells it: warm hand-offs come mostly from referrals and
/// partners, cold ones mostly from outbound prospecting, and the typed field has the flaws of
/// a real one: an empty cell about one lead in twenty. (Other spellings of one value, `outbound` beside
/// `Outbound`, are warnings the example's `check --deny-warnings` would fail on: the
/// segments fixture has them.)
/// Chosen from the lead's number, not from the random stream, so that adding the column
/// changed no other figure of the example.
pub fn lead_source(num: u64, warm: bool) -> &'static str {
    // SplitMix64's finalizer: the lead numbers are consecutive, their hashes are not.
    let mut z = num.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    let u = (z ^ (z >> 31)) % 100;
    let table: &[(u64, &str)] = if warm {
        &[
            (35, "Referral"),
            (55, "Partner"),
            (75, "Webinar"),
            (95, "Inbound demo request"),
        ]
    } else {
        &[
            (50, "Outbound"),
            (70, "Webinar"),
            (90, "Inbound demo request"),
            (95, "Partner"),
        ]
    };
    table
        .iter()
        .find(|(below, _)| u < *below)
        .map_or("", |(_, s)| s)
}

/// A meeting slot `lo..=hi` days after `day`, moved off weekends, 09:00-16:30 on the half hour.
fn slot(rng: &mut Rng, day: i64, lo: i64, hi: i64) -> i64 {
    let day = clock::next_working_day(day + rng.range(lo, hi));
    day * DAY + 9 * HOUR + rng.range(0, 15) * HOUR / 2
}

/// Plans the whole path of a lead first touched by SDR `s` at `first_touch`.
pub fn plan(rng: &mut Rng, team: &Team, w: &Window, s: usize, first_touch: i64, num: u64) -> Lead {
    let sdr = &team.sdrs[s];
    let pod = &team.pods[sdr.pod];
    let ae = sdr
        .paired_ae
        .unwrap_or_else(|| pod.aes[rng.below(pod.aes.len() as u64) as usize]);
    let speed = team.aes[ae].speed;
    let company = names::company(rng);

    let mut created = if rng.chance(0.2) {
        // Inbound: the form fill comes minutes to hours before the first call.
        first_touch - rng.range(180, 4 * HOUR)
    } else {
        clock::into_hours(first_touch - rng.range(1, 20) * DAY + rng.range(-3, 3) * HOUR)
    };
    created = clock::into_hours(created);
    if created >= first_touch {
        created = first_touch - 300;
    }
    let ft_day = first_touch.div_euclid(DAY);
    let handoff_day = clock::next_working_day(ft_day + rng.range(1, 18));
    let handoff = handoff_day * DAY + 9 * HOUR + rng.range(0, 17 * 60) * 30;
    let warm = rng.chance(sdr.warm_share);
    let q = sdr.quality;
    let criteria = [
        rng.chance(0.35 + 0.45 * q),
        rng.chance(0.3 + 0.5 * q),
        rng.chance(0.6 + 0.35 * q),
        rng.chance(0.35 + 0.45 * q),
    ];
    // The example playbook's rule: three of four, need among them.
    let sales_ready = criteria.iter().filter(|c| **c).count() >= 3 && criteria[2];
    let sdr_pain = *rng.pick(&PAINS);
    let docs: [String; 5] = std::array::from_fn(|i| {
        if rng.chance(sdr.docs[i]) {
            names::doc_section(i, &company, sdr_pain, rng)
        } else {
            String::new()
        }
    });
    let complete = docs.iter().all(|d| !d.is_empty());

    // AE follow-up: usually within hours; some late; a few never.
    let never = rng.chance(speed.never);
    let delay = if rng.chance(speed.late) {
        rng.range(25 * HOUR, 96 * HOUR)
    } else if rng.chance(0.6) {
        rng.range(HOUR / 4, 4 * HOUR)
    } else {
        rng.range(4 * HOUR, 22 * HOUR)
    };
    let contact = clock::into_hours(handoff + delay);
    let ae_contact = (!never && contact <= w.end_moment()).then_some(contact);

    // The first meeting, perhaps rescheduled once.
    let mut meetings = Vec::new();
    let first = slot(rng, handoff_day, 1, 8);
    let mut at = first;
    if first <= w.end_moment() && !never && rng.chance(0.08) {
        meetings.push((first, "rescheduled"));
        at = slot(rng, first.div_euclid(DAY), 2, 9);
    }
    let rescheduled = !meetings.is_empty();
    let outcome = if at > w.end_moment() {
        "scheduled"
    } else if never {
        *rng.pick(&["canceled", "no_show"])
    } else if rng.chance(0.06) {
        "canceled"
    } else {
        let base = if warm { 0.8 } else { 0.55 };
        let p = base + (q - 0.75) * 0.15 + if rescheduled { 0.1 } else { 0.0 };
        if rng.chance(p) {
            "held"
        } else {
            "no_show"
        }
    };
    meetings.push((at, outcome));
    let held = outcome == "held";

    let reason = |rng: &mut Rng| match criteria.iter().position(|c| !c) {
        Some(i) => CRITERION_REJECTIONS[i],
        None => *rng.pick(&OTHER_REJECTIONS),
    };
    let (decision, rejection) = if held {
        let accept = match (sales_ready, complete) {
            (true, true) => 0.92,
            (true, false) => 0.8,
            (false, true) => 0.55,
            (false, false) => 0.42,
        };
        if at > w.end_moment() - 4 * DAY && rng.chance(0.5) {
            ("pending", "")
        } else if rng.chance(accept) {
            ("accepted", "")
        } else {
            ("rejected", reason(rng))
        }
    } else if matches!(outcome, "no_show" | "canceled") && !never && rng.chance(0.12) {
        ("rejected", reason(rng))
    } else {
        ("pending", "")
    };

    let pain_matches = rng.chance(0.8);
    let ae_pain = if !held {
        String::new()
    } else if pain_matches {
        if rng.chance(0.2) {
            names::retyped(sdr_pain, rng)
        } else {
            sdr_pain.to_string()
        }
    } else {
        let other = *rng.pick(&PAINS);
        if other == sdr_pain {
            PAINS[(PAINS.iter().position(|p| *p == other).unwrap_or(0) + 1) % PAINS.len()]
                .to_string()
        } else {
            other.to_string()
        }
    };

    let deal = (decision == "accepted" && rng.chance(w.opportunity_rate))
        .then(|| {
            let created = clock::into_hours(at + rng.range(2 * HOUR, 4 * DAY));
            let mut win = 0.3 + if sales_ready { 0.1 } else { 0.0 };
            win += if complete { 0.07 } else { 0.0 } + if warm { 0.05 } else { 0.0 };
            win += if pain_matches { 0.05 } else { -0.12 };
            let handoff_risk = [!pain_matches, !sales_ready, !complete]
                .iter()
                .filter(|r| **r)
                .count() as u32;
            deal(rng, w, created, win, handoff_risk)
        })
        .filter(|d| d.created <= w.end_moment());

    Lead {
        num,
        company,
        sdr: s,
        ae,
        created,
        first_touch,
        handoff,
        warm,
        criteria,
        docs,
        sdr_pain,
        ae_contact,
        decision,
        rejection,
        ae_pain,
        meetings,
        deal,
        source: lead_source(num, warm),
    }
}

/// A deal created at `created`: its amount, close date and, if closed by the window's end,
/// its result. Each of `handoff_risk` weak spots of the hand-off (0-3: pain points differ, not
/// sales-ready, note incomplete) raises the chance a loss is put down to the hand-off.
pub fn deal(rng: &mut Rng, w: &Window, created: i64, win: f64, handoff_risk: u32) -> Deal {
    // $6,000-$90,000, skewed to the low end; most amounts round to $250.
    // (Integer arithmetic only: amounts are money, even random ones.)
    let dollars = 6_000 + rng.below(84_000) * rng.below(84_000) / 84_000;
    let cents = if rng.chance(0.7) {
        dollars / 250 * 250 * 100
    } else {
        dollars * 100 + rng.below(100)
    };
    let mut close_day = created.div_euclid(DAY) + rng.range(14, 110);
    if rng.chance(0.25) {
        // The month-end push: the deal is booked on the last day of its month.
        let m = month_of(close_day);
        close_day = clock::first_of_month(0, m + 1) - 1;
    }
    let (status, loss) = if close_day > w.end {
        ("open", String::new())
    } else if rng.chance(0.05) {
        // A slipped deal: still open, expected close moved past the window's end.
        close_day = w.end + rng.range(7, 45);
        ("open", String::new())
    } else if rng.chance(win) {
        ("won", String::new())
    } else {
        let related = rng.chance(0.08 + 0.12 * f64::from(handoff_risk));
        let reason = if related {
            *rng.pick(&HANDOFF_LOSSES)
        } else {
            *rng.pick(&OTHER_LOSSES)
        };
        // Typed by hand now and then.
        let loss = if rng.chance(0.05) {
            reason.to_lowercase()
        } else {
            reason.to_string()
        };
        ("lost", loss)
    };
    Deal {
        created,
        cents,
        close_day,
        status,
        loss,
    }
}

/// Appends a lead id (`L` and its number).
pub fn push_lead(b: &mut Vec<u8>, num: u64) {
    b.push(b'L');
    super::csv_out::push_u64(b, num);
}

fn push_id(b: &mut Vec<u8>, prefix: &[u8], n: u64) {
    b.extend_from_slice(prefix);
    let mut digits = Vec::with_capacity(8);
    super::csv_out::push_u64(&mut digits, n);
    for _ in digits.len()..6 {
        b.push(b'0');
    }
    b.extend_from_slice(&digits);
}

/// The three writers of the hand-off path and the running ids.
pub struct LeadWriters {
    pub handoffs: CsvOut,
    pub meetings: CsvOut,
    pub opportunities: CsvOut,
    meeting_seq: u64,
    opportunity_seq: u64,
}

impl LeadWriters {
    pub fn new(handoffs: CsvOut, meetings: CsvOut, opportunities: CsvOut) -> Self {
        LeadWriters {
            handoffs,
            meetings,
            opportunities,
            meeting_seq: 0,
            opportunity_seq: 0,
        }
    }

    /// Writes one lead's hand-off, meetings and deal.
    pub fn write(&mut self, team: &Team, l: &Lead) -> Result<(), Error> {
        let h = &mut self.handoffs;
        h.with(|b| push_lead(b, l.num));
        h.text(&l.company);
        h.raw(team.sdrs[l.sdr].id.as_bytes());
        h.raw(team.aes[l.ae].id.as_bytes());
        for t in [l.created, l.first_touch, l.handoff] {
            h.with(|b| clock::push_timestamp(b, t));
        }
        h.raw(if l.warm { b"warm" } else { b"cold" });
        for c in l.criteria {
            h.raw(if c { b"yes" } else { b"no" });
        }
        for d in &l.docs {
            h.text(d);
        }
        h.text(l.sdr_pain);
        match l.ae_contact {
            Some(t) => h.with(|b| clock::push_timestamp(b, t)),
            None => h.empty(),
        }
        h.raw(l.decision.as_bytes());
        h.text(l.rejection);
        h.text(&l.ae_pain);
        h.text(l.source);
        h.end_row()?;
        for (at, status) in &l.meetings {
            self.meeting_seq += 1;
            let m = &mut self.meetings;
            let seq = self.meeting_seq;
            m.with(|b| push_id(b, b"MTG-", seq));
            m.with(|b| push_lead(b, l.num));
            m.with(|b| clock::push_timestamp(b, *at));
            m.raw(status.as_bytes());
            m.end_row()?;
        }
        if let Some(d) = &l.deal {
            self.write_deal(&team.aes[l.ae].id, Some(l.num), d)?;
        }
        Ok(())
    }

    /// Writes one opportunity row.
    pub fn write_deal(&mut self, ae_id: &str, lead: Option<u64>, d: &Deal) -> Result<(), Error> {
        self.opportunity_seq += 1;
        let seq = self.opportunity_seq;
        let o = &mut self.opportunities;
        o.with(|b| push_id(b, b"OPP-", seq));
        match lead {
            Some(n) => o.with(|b| push_lead(b, n)),
            None => o.empty(),
        }
        o.raw(ae_id.as_bytes());
        o.with(|b| clock::push_timestamp(b, d.created));
        o.cents(d.cents);
        o.with(|b| clock::push_date(b, d.close_day));
        o.raw(d.status.as_bytes());
        o.text(&d.loss);
        o.end_row()
    }
}
