//! Compensation plans as the playbook writes them (`playbook/comp.yaml`).

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::values::Role;

/// The comp section of the playbook: recommended ranges and the plans themselves.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CompConfig {
    pub guidance: Guidance,
    pub plans: Vec<Plan>,
}

/// The playbook's recommended share of variable pay per component category, as `[low, high]`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Guidance {
    pub activity: [Decimal; 2],
    pub quality: [Decimal; 2],
    pub team: [Decimal; 2],
}

impl Default for Guidance {
    fn default() -> Self {
        Guidance {
            activity: [Decimal::new(10, 2), Decimal::new(20, 2)],
            quality: [Decimal::new(40, 2), Decimal::new(50, 2)],
            team: [Decimal::new(20, 2), Decimal::new(30, 2)],
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PayoutPeriod {
    Monthly,
    Quarterly,
}

/// What a component measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CompMetric {
    ActivityPoints,
    AcceptedMeetings,
    SalesReadyMeetings,
    TeamWonAmount,
    WonAmount,
    HandoffFollowUpSla,
}

/// How a component's plan target scales when a plan applies for only part of a payout period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetScaling {
    /// The rep's own output: scaled by the days the rep was employed under the plan.
    OwnVolume,
    /// The pod's output: scaled by the days the plan applied, employed or not.
    TeamVolume,
    /// A share (e.g. 0.9 of hand-offs): never scaled.
    Share,
}

/// What a metric's targets and actuals are: shown as a count (`12`, `483.87`), an amount of
/// money in the site's currency, or a share (`90%`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Count,
    Money,
    Share,
}

impl CompMetric {
    pub const ALL: [CompMetric; 6] = [
        CompMetric::ActivityPoints,
        CompMetric::AcceptedMeetings,
        CompMetric::SalesReadyMeetings,
        CompMetric::TeamWonAmount,
        CompMetric::WonAmount,
        CompMetric::HandoffFollowUpSla,
    ];

    /// The metric named `s` as in comp.yaml (matched ignoring case, full Unicode case folding as
    /// `model::notes::same_ignoring_case`, and surrounding space).
    pub fn parse(s: &str) -> Option<CompMetric> {
        let s = s.trim();
        CompMetric::ALL
            .into_iter()
            .find(|m| unicase::eq(m.as_str(), s))
    }

    pub fn scaling(self) -> TargetScaling {
        match self {
            CompMetric::ActivityPoints
            | CompMetric::AcceptedMeetings
            | CompMetric::SalesReadyMeetings
            | CompMetric::WonAmount => TargetScaling::OwnVolume,
            CompMetric::TeamWonAmount => TargetScaling::TeamVolume,
            CompMetric::HandoffFollowUpSla => TargetScaling::Share,
        }
    }

    /// Whose work the metric measures when a component gives no `scope`: the pod's for
    /// `team_won_amount`, the rep's own for every other metric.
    pub fn default_scope(self) -> CreditScope {
        match self {
            CompMetric::TeamWonAmount => CreditScope::Pod,
            _ => CreditScope::Rep,
        }
    }

    /// What its targets and actuals are.
    pub fn unit(self) -> Unit {
        match self {
            CompMetric::ActivityPoints
            | CompMetric::AcceptedMeetings
            | CompMetric::SalesReadyMeetings => Unit::Count,
            CompMetric::TeamWonAmount | CompMetric::WonAmount => Unit::Money,
            CompMetric::HandoffFollowUpSla => Unit::Share,
        }
    }

    /// Whose work the metric measures: `Some(true)` only an AE's, `Some(false)` only an SDR's
    /// or BDR's (always 0 for anyone else), `None` anyone's.
    pub fn measures_ae(self) -> Option<bool> {
        match self {
            CompMetric::ActivityPoints | CompMetric::TeamWonAmount => None,
            CompMetric::AcceptedMeetings | CompMetric::SalesReadyMeetings => Some(false),
            CompMetric::WonAmount | CompMetric::HandoffFollowUpSla => Some(true),
        }
    }

    /// The metric in plain words, for a statement whose plan gives no `label:`.
    pub fn plain_name(self) -> &'static str {
        match self {
            CompMetric::ActivityPoints => "Activity points",
            CompMetric::AcceptedMeetings => "Meetings accepted by the AE",
            CompMetric::SalesReadyMeetings => "Sales-ready meetings",
            CompMetric::TeamWonAmount => "Pod's closed-won revenue",
            CompMetric::WonAmount => "Closed-won revenue",
            CompMetric::HandoffFollowUpSla => "Hand-offs followed up within the SLA",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            CompMetric::ActivityPoints => "activity_points",
            CompMetric::AcceptedMeetings => "accepted_meetings",
            CompMetric::SalesReadyMeetings => "sales_ready_meetings",
            CompMetric::TeamWonAmount => "team_won_amount",
            CompMetric::WonAmount => "won_amount",
            CompMetric::HandoffFollowUpSla => "handoff_follow_up_sla",
        }
    }
}

/// Whose work a component measures (its `scope:`): the rep's own, the rep's pod's (every
/// member of the pod in reps.csv, with the pod rules of docs/metrics.md), or the whole team's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CreditScope {
    Rep,
    Pod,
    Team,
}

impl CreditScope {
    pub fn as_str(self) -> &'static str {
        match self {
            CreditScope::Rep => "rep",
            CreditScope::Pod => "pod",
            CreditScope::Team => "team",
        }
    }
}

/// Which of the playbook's recommended ranges a component's weight is checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Activity,
    Quality,
    Team,
    Revenue,
}

/// Points per activity for `activity_points`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Points {
    pub dial: Decimal,
    pub prospect_added: Decimal,
}

impl Default for Points {
    fn default() -> Self {
        Points {
            dial: Decimal::ONE,
            prospect_added: Decimal::ONE,
        }
    }
}

/// Payout curve over attainment (1.0 = 100% of target).
///
/// Below `threshold` nothing is paid; from the threshold to 1.0 the payout equals attainment;
/// above 1.0 each point of attainment pays `accelerator` points; the result never exceeds `cap`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Curve {
    pub threshold: Decimal,
    /// The one accelerator step from 100%, when `tiers` is empty.
    pub accelerator: Decimal,
    pub cap: Decimal,
    /// Accelerator steps above 100% (replacing `accelerator`): from each tier's `from`
    /// attainment on, each point pays the tier's `rate` points; between 100% and the first
    /// tier each point pays 1. Ascending `from`, each at least 1.
    pub tiers: Vec<Tier>,
    /// Below `below` attainment (and from the threshold), the whole attainment pays `rate`.
    pub decelerator: Option<Decelerator>,
    /// Above 100%, the rate of the highest tier reached pays every point above 100%, instead
    /// of each tier paying only the points inside it.
    pub retroactive: bool,
}

/// One accelerator step of a curve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    /// The attainment it starts at (1.5 = 150%).
    pub from: Decimal,
    pub rate: Decimal,
}

/// A reduced rate below an attainment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decelerator {
    pub below: Decimal,
    pub rate: Decimal,
}

impl Component {
    /// Whose work it measures: the component's `scope:`, else the metric's default.
    pub fn scope(&self) -> CreditScope {
        self.scope.unwrap_or(self.metric.default_scope())
    }

    /// How its plan target scales over part of a payout period: a rep-level volume by the
    /// rep's employed days; a pod or team volume (whoever's work it is) by the window's days.
    pub fn scaling(&self) -> TargetScaling {
        match (self.metric.scaling(), self.scope()) {
            (TargetScaling::OwnVolume, CreditScope::Pod | CreditScope::Team) => {
                TargetScaling::TeamVolume
            }
            (s, _) => s,
        }
    }

    /// What a statement calls the component: the plan's `label:` (trimmed), else the metric's
    /// plain-words name.
    pub fn label(&self) -> &str {
        match self.label.as_deref().map(str::trim) {
            Some(l) if !l.is_empty() => l,
            _ => self.metric.plain_name(),
        }
    }
}

impl Curve {
    /// The accelerator steps above 100%, as (from, rate): the tiers, or one step from 1 at
    /// `accelerator`.
    pub fn steps(&self) -> Vec<(Decimal, Decimal)> {
        if self.tiers.is_empty() {
            vec![(Decimal::ONE, self.accelerator)]
        } else {
            self.tiers.iter().map(|t| (t.from, t.rate)).collect()
        }
    }
}

impl Default for Curve {
    fn default() -> Self {
        Curve {
            threshold: Decimal::new(50, 2),
            accelerator: Decimal::new(15, 1),
            cap: Decimal::new(2, 0),
            tiers: Vec::new(),
            decelerator: None,
            retroactive: false,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Component {
    pub metric: CompMetric,
    /// What statements call the component, in the plan's words; absent: the metric's
    /// plain-words name ([`CompMetric::plain_name`]), never its id. Left out of the
    /// playbook's serialized form when absent, so snapshots of plans without labels compare
    /// equal to those taken before the key existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Whose work it measures (`rep`, `pod` or `team`); absent: the metric's default
    /// ([`CompMetric::default_scope`]). Left out of the serialized playbook when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<CreditScope>,
    pub category: Category,
    /// Share of the period variable target, e.g. 0.2 for 20%.
    pub weight: Decimal,
    /// Target per payout period; `quotas.csv` may override it per rep and period.
    pub target: Decimal,
    #[serde(default)]
    pub points: Points,
    #[serde(default)]
    pub curve: Curve,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    pub name: String,
    /// Roles the plan covers; reps listed in `reps` are covered whatever their role.
    #[serde(default)]
    pub roles: Vec<Role>,
    #[serde(default)]
    pub reps: Vec<String>,
    pub effective_from: NaiveDate,
    #[serde(default)]
    pub effective_to: Option<NaiveDate>,
    pub base_salary: Decimal,
    /// On-target earnings minus base, per year.
    pub annual_variable: Decimal,
    pub payout_period: PayoutPeriod,
    pub components: Vec<Component>,
    /// A guaranteed minimum variable pay for the first months of a rep's employment.
    #[serde(default)]
    pub draw: Option<Draw>,
    /// A won deal reversed (`reversed_at`) at most this many days after its close date is
    /// clawed back from the statement of the payout period of the reversal; absent: never.
    #[serde(default)]
    pub clawback_days: Option<u32>,
    /// The day of the month after a payout period on which its statement is paid (1 to 31;
    /// a day the month lacks is its last day). Absent: statements show no pay date. Left out
    /// of the serialized playbook when absent, like `label`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pay_day: Option<u32>,
}

/// A draw: variable pay guaranteed to a ramping rep for the first `months` from their
/// `start_date`. A statement earning less is topped up to it; a recoverable draw's top-ups
/// are recovered from later statements' earnings above it (docs/comp.md).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Draw {
    /// Guaranteed variable pay per month, prorated like the variable target.
    pub amount: Decimal,
    /// Months from the rep's start date (the start day included) during which it applies.
    pub months: u32,
    /// Whether top-ups are an advance recovered from later earnings (true) or kept (false).
    pub recoverable: bool,
}
