//! quotas.csv and the plan lint.

use super::*;
use crate::error::Severity;
use crate::input::comp_lint::lint;
use crate::input::quotas::read_quotas;
use crate::input::spec::TableSpec;
use crate::input::yaml_sources::Sources;

#[test]
fn quotas_csv_rows_are_used_or_rejected_with_a_reason() {
    let mut fx = Fx::new();
    fx.rep("s1", Role::Sdr, "P1", "2025-01-01", None);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("quotas.csv");
    std::fs::write(
        &path,
        "rep_id,period,component,target\n\
         s1,2026-08,accepted_meetings,8\n\
         s1,2026-Q3,Team_Won_Amount,250000.50\n\
         nobody,2026-08,accepted_meetings,8\n\
         s1,2026-8,accepted_meetings,8\n\
         s1,2026-09,dials,8\n\
         s1,2026-09,accepted_meetings,0\n\
         s1,2026-08,accepted_meetings,9\n\
         ,,,\n",
    )
    .unwrap();
    let (quotas, account, rejections, diags) =
        read_quotas(&path, "data/quotas.csv", &fx.ds, &TableSpec::default());
    assert!(diags.is_empty());
    assert_eq!(
        (account.read, account.used, account.rejected, account.blank),
        (8, 2, 5, 1)
    );
    assert_eq!(quotas.len(), 2);
    let aug = Period::parse("2026-08").unwrap();
    let q = quotas
        .get("s1", &aug, CompMetric::AcceptedMeetings)
        .unwrap();
    assert_eq!(
        (q.target, q.source.to_string()),
        (dec("8"), "data/quotas.csv:2".to_string())
    );
    let q3 = Period::parse("2026-Q3").unwrap();
    assert_eq!(
        quotas
            .get("s1", &q3, CompMetric::TeamWonAmount)
            .unwrap()
            .target,
        dec("250000.50")
    );
    let reasons: Vec<String> = rejections
        .iter()
        .map(|r| r.diagnostic().to_string())
        .collect();
    assert_eq!(
        reasons,
        [
            "data/quotas.csv:4:1: error: rep_id: unknown rep \"nobody\" (not in reps.csv)",
            "data/quotas.csv:5:2: error: period: \"2026-8\" is not a month (YYYY-MM) or a quarter (YYYY-Qn)",
            "data/quotas.csv:6:3: error: component: unknown component \"dials\" (expected one of: activity_points, accepted_meetings, sales_ready_meetings, team_won_amount, won_amount, handoff_follow_up_sla)",
            "data/quotas.csv:7:4: error: target: target 0 must be above 0",
            "data/quotas.csv:8:2: error: period: second quota for rep \"s1\", 2026-08 accepted_meetings (first on line 2)",
        ]
    );
}

#[test]
fn missing_quotas_file_is_no_quotas_and_a_missing_column_is_fatal() {
    let fx = Fx::new();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("quotas.csv");
    let (q, account, _, diags) =
        read_quotas(&path, "data/quotas.csv", &fx.ds, &TableSpec::default());
    assert!(q.is_empty() && diags.is_empty() && account.read == 0);
    std::fs::write(&path, "rep_id,period,target\ns1,2026-08,3\n").unwrap();
    let (_, _, _, diags) = read_quotas(&path, "data/quotas.csv", &fx.ds, &TableSpec::default());
    assert_eq!(diags.len(), 1);
    assert!(
        diags[0]
            .message
            .starts_with("missing required column `component`"),
        "{}",
        diags[0]
    );
}

fn lint_plans(plans: Vec<Plan>) -> Vec<(Severity, String)> {
    let mut pb = Playbook::default();
    pb.comp.plans = plans;
    let mut diags = Vec::new();
    lint(&pb.comp, &pb, "playbook/", &Sources::default(), &mut diags);
    diags.into_iter().map(|d| (d.severity, d.message)).collect()
}

#[test]
fn the_hybrid_plan_lints_clean() {
    assert_eq!(lint_plans(vec![sdr_plan()]), []);
}

#[test]
fn lint_catches_plans_that_would_pay_wrongly() {
    let mut twice = sdr_plan();
    twice.components[2] = component(CompMetric::ActivityPoints, Category::Team, "0.3", "1");
    let mut ae_metric = sdr_plan();
    ae_metric.name = "SDR with AE metric".into();
    ae_metric.components[1] = component(
        CompMetric::HandoffFollowUpSla,
        Category::Quality,
        "0.5",
        "1.2",
    );
    let mut same_name = sdr_plan();
    same_name.components[0].weight = dec("0.25");
    let got = lint_plans(vec![twice, ae_metric, same_name]);
    let e = Severity::Error;
    let w = Severity::Warning;
    assert_eq!(
        got,
        [
            (e, "plan `SDR hybrid`: component activity_points appears twice; a plan measures each metric once".into()),
            (w, "plan `SDR with AE metric`: component handoff_follow_up_sla is always 0 for the roles it covers (sdr, bdr)".into()),
            (w, "plan `SDR with AE metric`: component handoff_follow_up_sla is a share but its target 1.2 is above 1 (100%), so it can never be reached".into()),
            (e, "two plans are named `SDR hybrid`; plan names must be unique (pages and comp.csv use them)".into()),
            (w, "plan `SDR hybrid`: component activity_points weighs 25%, outside the playbook's 10-20% for Activity metrics".into()),
            (e, "plan `SDR hybrid`: component weights sum to 105%, not 100%".into()),
        ]
    );
}

#[test]
fn lint_checks_tiers_and_decelerators() {
    use crate::playbook::comp::{Decelerator, Tier};
    let tier = |from: &str, rate: &str| Tier {
        from: dec(from),
        rate: dec(rate),
    };
    let mut plan = sdr_plan();
    // Not ascending, and the accelerator (no longer the default) is ignored.
    plan.components[0].curve.tiers = vec![tier("1.5", "2"), tier("1", "1.5")];
    plan.components[0].curve.accelerator = dec("3");
    // A tier below 100%.
    plan.components[1].curve.tiers = vec![tier("0.9", "1.5")];
    // A decelerator below the threshold, and one that pays more.
    plan.components[1].curve.decelerator = Some(Decelerator {
        below: dec("0.4"),
        rate: dec("0.5"),
    });
    plan.components[2].curve.decelerator = Some(Decelerator {
        below: dec("0.8"),
        rate: dec("1.2"),
    });
    let e = Severity::Error;
    let w = Severity::Warning;
    let tiers = "needs tiers in ascending order of `from`, each from 1 (100%) or above, with a rate not below 0";
    let decel = "needs a decelerator `below` above the threshold 0.50 and at most 1, and a `rate` from 0 to below 1";
    assert_eq!(
        lint_plans(vec![plan]),
        [
            (e, format!("plan `SDR hybrid`: component activity_points {tiers}")),
            (w, "plan `SDR hybrid`: component activity_points has tiers, so its accelerator 3 is ignored".into()),
            (e, format!("plan `SDR hybrid`: component accepted_meetings {tiers}")),
            (e, format!("plan `SDR hybrid`: component accepted_meetings {decel}")),
            (e, format!("plan `SDR hybrid`: component team_won_amount {decel}")),
        ]
    );
    // The example lints clean: 1.5× from 100%, 2× from 150%, half pay below 75%.
    let mut good = sdr_plan();
    good.components[1].curve.tiers = vec![tier("1", "1.5"), tier("1.5", "2")];
    good.components[1].curve.decelerator = Some(Decelerator {
        below: dec("0.75"),
        rate: dec("0.5"),
    });
    good.components[1].curve.retroactive = true;
    assert_eq!(lint_plans(vec![good]), []);
}

#[test]
fn lint_judges_scoped_components() {
    // An AE metric at pod level is anyone's figure: no "always 0" warning for an SDR plan.
    let mut pod_sla = sdr_plan();
    pod_sla.components[1] = Component {
        scope: Some(CreditScope::Pod),
        ..component(
            CompMetric::HandoffFollowUpSla,
            Category::Quality,
            "0.5",
            "0.9",
        )
    };
    assert_eq!(lint_plans(vec![pod_sla]), []);
    // team_won_amount is the pod's by definition.
    let mut own_team = sdr_plan();
    own_team.components[2].scope = Some(CreditScope::Rep);
    assert_eq!(
        lint_plans(vec![own_team]),
        [(Severity::Error, "plan `SDR hybrid`: team_won_amount is the pod's revenue and cannot have `scope: rep`; use won_amount for a rep's own deals".to_string())]
    );
}
