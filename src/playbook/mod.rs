//! The playbook as Baton uses it: how the team says it works, read from `playbook/*.yaml`.
//!
//! These types are deserialized by `input::playbook`, which also checks that the playbook does
//! not contradict itself or the data. Every file has defaults taken from the playbook's own
//! recommendations, so a team can start with only the files it wants to change.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub mod comp;
pub mod gates;
pub mod values;

use comp::CompConfig;
use values::Flags;

/// All playbook definitions of a project.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Playbook {
    pub site: Site,
    pub qualification: Qualification,
    pub handoff: HandoffRules,
    pub meetings: Meetings,
    pub team: Team,
    pub comp: CompConfig,
    /// Sales sanity gates and their levels (`playbook/gates.yaml`).
    pub gates: gates::GateConfig,
    /// Exported columns whose values split the funnel (`playbook/segments.yaml`).
    pub segments: Segments,
    /// Markdown pages of the human playbook.
    pub pages: Vec<Page>,
}

/// Site-wide settings: `playbook/site.yaml`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Site {
    pub title: String,
    pub company: String,
    /// IANA time zone name; periods and naive timestamps are read in it.
    pub timezone: String,
    /// ISO currency code shown beside amounts.
    pub currency: String,
    /// Below this denominator a rate is flagged as a small sample and left out of rankings.
    pub min_sample: u64,
    /// Rows per page of the hand-offs table (`handoffs.html`, then `handoffs/2.html`...): a
    /// browser stays quick, and a build's memory bounded, at tens of thousands a month.
    pub handoffs_per_page: usize,
    /// Default period (`YYYY-MM` or `YYYY-Qn`); when absent, the last full month before as-of.
    pub default_period: Option<String>,
    /// Where the published site lives (`https://reports.example.com/baton/`): the e-mail
    /// digest links back into the site with it; relative links when absent.
    pub base_url: Option<String>,
    /// What the shared site shows of comp (`comp: {publish: ...}`). Left out of the
    /// serialized playbook at its default, so fingerprints of sites without it do not change.
    #[serde(skip_serializing_if = "SiteComp::is_default")]
    pub comp: SiteComp,
}

/// site.yaml's `comp:` section.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SiteComp {
    pub publish: Publish,
}

impl SiteComp {
    pub fn is_default(&self) -> bool {
        *self == SiteComp::default()
    }
}

/// How much of comp the shared site shows (docs/comp.md, "Who sees pay").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Publish {
    /// Every rep's statement: on the comp page, the rep's page, its own page, and comp.csv.
    #[default]
    Individual,
    /// The plans and the team's total only: no rep's statement or amount anywhere.
    Team,
    /// No comp at all: no comp page, no statement, no comp.csv, no link to them.
    None,
}

impl Publish {
    pub fn as_str(self) -> &'static str {
        match self {
            Publish::Individual => "individual",
            Publish::Team => "team",
            Publish::None => "none",
        }
    }
}

impl Default for Site {
    fn default() -> Self {
        Site {
            title: "Sales hand-off report".into(),
            company: String::new(),
            timezone: "UTC".into(),
            currency: "USD".into(),
            min_sample: 10,
            handoffs_per_page: 1000,
            default_period: None,
            base_url: None,
            comp: SiteComp::default(),
        }
    }
}

/// Checks a `base_url`: an absolute `http://` or `https://` address with no space, quote or
/// angle bracket, so it can stand in front of a page's path in a link.
pub fn check_base_url(url: &str) -> Result<(), String> {
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://")) {
        return Err(format!(
            "base_url {url:?} must start with https:// or http:// (the published site's address)"
        ));
    }
    if url
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || "\"'<>`".contains(c))
    {
        return Err(format!(
            "base_url {url:?} contains a space, quote or angle bracket"
        ));
    }
    if url.contains(['?', '#']) {
        return Err(format!(
            "base_url {url:?} must not have a query or fragment: pages' paths are appended to it"
        ));
    }
    Ok(())
}

/// The segments a team reads its funnel by: `playbook/segments.yaml` (docs/playbook.md).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Segments {
    /// One page each (`segments/<slug>.html`), in this order.
    pub dimensions: Vec<Dimension>,
}

/// One declared segment dimension: a column of an export whose value every row carries (lead
/// source, product, industry, region, company size band).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dimension {
    /// As pages show it (`Lead source`); its page's file name is made from it.
    pub name: String,
    /// The export the column is in; a hand-off's value (its lead row's, for `leads`) follows
    /// it to its meeting, decision and deals.
    #[serde(default)]
    pub table: SegmentTable,
    /// The column as exported (matched as every header is: ignoring case, spaces, dashes and
    /// dots), or a canonical column the mapping renames.
    pub column: String,
    /// segments.yaml as shown and the line naming the column, set when the playbook is read,
    /// so that an export without the column is reported where it is declared.
    #[serde(skip)]
    pub declared_at: Option<(String, u64)>,
}

/// The exports a segment can be read from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SegmentTable {
    /// `handoffs.csv`: the value of the lead handed off.
    #[default]
    Handoffs,
    /// `leads.csv`: the value of the lead row, which its hand-off (by `lead_id`) carries on.
    Leads,
    /// `opportunities.csv`: each deal's own value; a hand-off takes its earliest-created
    /// deal's (ties by `opportunity_id`), `(no deal)` without one.
    Opportunities,
}

impl SegmentTable {
    /// The canonical table's name, as docs/data-model.md writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            SegmentTable::Handoffs => "handoffs",
            SegmentTable::Leads => "leads",
            SegmentTable::Opportunities => "opportunities",
        }
    }
}

/// One qualification criterion (e.g. BANT's Budget) and the `handoffs.csv` column it reads.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    pub key: String,
    pub name: String,
    pub column: String,
    #[serde(default)]
    pub question: String,
}

/// When a lead counts as sales-ready.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SalesReadyRule {
    /// At least this many criteria met.
    pub min_met: usize,
    /// Criteria (by key) that must be met whatever the count.
    pub required: Vec<String>,
}

impl Default for SalesReadyRule {
    fn default() -> Self {
        SalesReadyRule {
            min_met: 3,
            required: Vec::new(),
        }
    }
}

/// The qualification framework: `playbook/qualification.yaml`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Qualification {
    pub framework: String,
    pub criteria: Vec<Criterion>,
    pub sales_ready: SalesReadyRule,
    /// The playbook asks for a quarterly review; a build warns when this is > 90 days old.
    pub last_reviewed: Option<NaiveDate>,
}

impl Default for Qualification {
    fn default() -> Self {
        let c = |key: &str, name: &str, question: &str| Criterion {
            key: key.into(),
            name: name.into(),
            column: key.into(),
            question: question.into(),
        };
        Qualification {
            framework: "BANT".into(),
            criteria: vec![
                c(
                    "budget",
                    "Budget",
                    "Is there budget for a solution like ours?",
                ),
                c(
                    "authority",
                    "Authority",
                    "Are we talking to the person who decides?",
                ),
                c("need", "Need", "Is there a pain we solve?"),
                c("timeline", "Timeline", "Will they buy within two quarters?"),
            ],
            sales_ready: SalesReadyRule::default(),
            last_reviewed: None,
        }
    }
}

impl Qualification {
    /// The playbook's sales-ready rule applied to one hand-off's criteria (playbook order).
    pub fn is_sales_ready(&self, met: Flags) -> bool {
        let required_met = self.sales_ready.required.iter().all(|key| {
            self.criteria
                .iter()
                .position(|c| &c.key == key)
                .is_some_and(|i| met.get(i))
        });
        met.count() >= self.sales_ready.min_met && required_met
    }
}

/// One required section of a hand-off note and the `handoffs.csv` column that holds it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocSection {
    pub key: String,
    pub name: String,
    pub column: String,
}

/// The warm lift a playbook claims when it does not say: +40%.
pub const DEFAULT_WARM_LIFT_CLAIM: f64 = 0.40;

fn is_default_warm_lift_claim(v: &f64) -> bool {
    *v == DEFAULT_WARM_LIFT_CLAIM
}

/// Hand-off rules: `playbook/handoff.yaml`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HandoffRules {
    /// The AE must make first contact within this many hours of the hand-off.
    pub sla_hours: u32,
    pub sections: Vec<DocSection>,
    pub warm_protocol: Vec<String>,
    /// The lift in show rate the playbook claims warm hand-offs give over cold ones (0.40 is
    /// +40%); the warm-versus-cold verdict and chart test the team's data against it. Left out
    /// of the serialized rules at its default, so the playbook fingerprint of a project that
    /// does not set it stays what it was before the key existed.
    #[serde(skip_serializing_if = "is_default_warm_lift_claim")]
    pub warm_lift_claim: f64,
    /// Loss reasons (compared ignoring case and surrounding space) that count as hand-off related.
    pub handoff_related_loss_reasons: Vec<String>,
    /// A lead never touched is aging once it was assigned more than this many days ago
    /// (leads.csv, docs/metrics.md "Leads"). Left out of the serialized rules at its default,
    /// so the playbook fingerprint of a project that does not set it is unchanged.
    #[serde(skip_serializing_if = "is_default_lead_aging_days")]
    pub lead_aging_days: u32,
}

/// Days after which an untouched lead is aging, unless handoff.yaml says otherwise.
pub const DEFAULT_LEAD_AGING_DAYS: u32 = 3;

fn is_default_lead_aging_days(v: &u32) -> bool {
    *v == DEFAULT_LEAD_AGING_DAYS
}

impl Default for HandoffRules {
    fn default() -> Self {
        let s = |key: &str, name: &str| DocSection {
            key: key.into(),
            name: name.into(),
            column: format!("doc_{key}"),
        };
        HandoffRules {
            sla_hours: 24,
            sections: vec![
                s("prospect", "Prospect and company information"),
                s("pain", "Pain points and business drivers"),
                s("environment", "Current solutions and environment"),
                s("timeline", "Buying signal and timeline"),
                s("history", "Previous conversation details"),
            ],
            warm_protocol: vec![
                "SDR introduces the AE on a live call or a three-way email within one business day"
                    .into(),
                "SDR restates the prospect's pain in the prospect's own words".into(),
                "AE confirms the meeting time and agenda with the prospect".into(),
                "SDR stays on the first five minutes of the meeting, then leaves".into(),
            ],
            warm_lift_claim: DEFAULT_WARM_LIFT_CLAIM,
            handoff_related_loss_reasons: vec![
                "Poor fit".into(),
                "Wrong contact".into(),
                "Expectations mismatch".into(),
            ],
            lead_aging_days: DEFAULT_LEAD_AGING_DAYS,
        }
    }
}

/// How often each SDR-AE pair meets one-on-one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cadence {
    Weekly,
    Biweekly,
}

impl Cadence {
    /// Working days per expected 1:1.
    pub fn working_days(self) -> u32 {
        match self {
            Cadence::Weekly => 5,
            Cadence::Biweekly => 10,
        }
    }
}

/// One timed section of the 1:1 meeting template.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgendaSection {
    pub name: String,
    pub minutes: u32,
}

/// The SDR-AE 1:1: `playbook/meetings.yaml`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Meetings {
    pub cadence: Cadence,
    pub length_minutes: u32,
    pub sections: Vec<AgendaSection>,
}

impl Default for Meetings {
    fn default() -> Self {
        let s = |name: &str, minutes| AgendaSection {
            name: name.into(),
            minutes,
        };
        Meetings {
            cadence: Cadence::Weekly,
            length_minutes: 32,
            sections: vec![
                s("Opening", 2),
                s("Goals and progress review", 8),
                s("Lead quality and feedback", 12),
                s("Alignment and next steps", 8),
                s("Closing", 2),
            ],
        }
    }
}

/// How a pod pairs its SDRs with AEs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Pairing {
    /// Each SDR has named AEs (listed in `pairings`).
    Dedicated,
    /// Any SDR of the pod may hand off to any AE of the pod.
    Pool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pod {
    pub name: String,
    pub pairing: Pairing,
    /// Share of each goal that is a team goal (the playbook's guidance: 10-25%).
    #[serde(default = "default_team_goal_share")]
    pub team_goal_share: Decimal,
}

fn default_team_goal_share() -> Decimal {
    Decimal::new(20, 2)
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PairDef {
    pub sdr: String,
    pub ae: String,
}

/// Pods and pairings: `playbook/team.yaml`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Team {
    pub pods: Vec<Pod>,
    pub pairings: Vec<PairDef>,
}

/// A Markdown page of the human playbook, with its front matter.
#[derive(Debug, Clone, Serialize)]
pub struct Page {
    pub title: String,
    /// Sanitized: lowercase ASCII letters, digits and `-` only.
    pub slug: String,
    pub weight: i64,
    /// The page body rendered to HTML; raw HTML in the source is escaped, never passed through.
    pub html: String,
    pub source: String,
}
