//! The example playbook: YAML definitions and Markdown pages written beside the data.
//!
//! Static text lives in `src/generate/example/`; the parts that depend on the generated team
//! and window (pairings, targets, review and plan dates) are filled in here, so that the
//! playbook always matches the data it is shipped with.

use std::path::Path;

use super::clock;
use super::team::Team;
use super::{GenOptions, Window};
use crate::error::Error;

const SITE: &str = include_str!("example/site.yaml");
const QUALIFICATION: &str = include_str!("example/qualification.yaml");
const HANDOFF: &str = include_str!("example/handoff.yaml");
const MEETINGS: &str = include_str!("example/meetings.yaml");
const COMP: &str = include_str!("example/comp.yaml");
const SEGMENTS: &str = include_str!("example/segments.yaml");

const PAGES: [(&str, &str); 4] = [
    ("handoff-guide.md", include_str!("example/handoff-guide.md")),
    (
        "warm-handoff-protocol.md",
        include_str!("example/warm-handoff-protocol.md"),
    ),
    (
        "weekly-one-on-one.md",
        include_str!("example/weekly-one-on-one.md"),
    ),
    (
        "qualification-guide.md",
        include_str!("example/qualification-guide.md"),
    ),
];

/// Replaces each `{{key}}` of `template`.
fn fill(template: &str, values: &[(&str, String)]) -> String {
    let mut out = template.to_string();
    for (key, value) in values {
        out = out.replace(&format!("{{{{{key}}}}}"), value);
    }
    out
}

/// `team.yaml`: every pod with its pairing style, and the dedicated pods' pairings.
fn team_yaml(team: &Team) -> String {
    let mut s = String::from(
        "# Pods and SDR-AE pairings (docs/playbook.md, \"team.yaml\").\n\
         # dedicated: each SDR hands off to the AE named below; pool: to any AE of the pod.\n\
         # team_goal_share: the share of each goal that is a team goal (guidance: 10-25%).\n\
         pods:\n",
    );
    for (i, pod) in team.pods.iter().enumerate() {
        let pairing = if pod.dedicated { "dedicated" } else { "pool" };
        let share = if i % 2 == 0 { "0.20" } else { "0.15" };
        s.push_str(&format!(
            "  - name: {}\n    pairing: {pairing}\n    team_goal_share: {share}\n",
            pod.name
        ));
    }
    s.push_str("pairings:\n");
    for sdr in &team.sdrs {
        if let Some(ae) = sdr.paired_ae {
            s.push_str(&format!(
                "  - sdr: {}\n    ae: {}\n",
                sdr.id, team.aes[ae].id
            ));
        }
    }
    s
}

/// Rounds `v` to the nearest multiple of `step` (at least one step).
fn round_to(v: f64, step: u64) -> u64 {
    (((v / step as f64) + 0.5) as u64).max(1) * step
}

/// Monthly targets from the generator's own rates, so that a typical rep lands near 100%.
/// The funnel factors are the example's observed rates (docs/playbook.md explains them).
fn comp_values(opts: &GenOptions, team: &Team, w: &Window) -> Vec<(&'static str, String)> {
    let act = f64::from(opts.activities_per_sdr_day);
    let handoffs = f64::from(opts.handoffs_per_sdr_month);
    let opp = f64::from(opts.opportunity_rate_pct) / 100.0;
    // About 20 working days a month after days off; 1 point a dial, 2 a new prospect.
    let points = act * (0.55 + 2.0 * 0.08) * 20.0;
    // Hand-offs that are held, accepted and sales-ready.
    let meetings = handoffs * 0.33;
    // Won per hand-off: accepted and held (0.5) x opportunity x win (0.4) x mean deal $27k.
    let won_per_handoff = 0.5 * opp * 0.4 * 27_000.0;
    let pods = team.pods.len().max(1) as f64;
    let team_won = handoffs * team.sdrs.len() as f64 / pods * won_per_handoff;
    let ae_won = handoffs * team.sdrs.len() as f64 / team.aes.len().max(1) as f64 * won_per_handoff;
    let (y, _) = clock::year_month(w.start);
    vec![
        ("effective_from", format!("{y}-01-01")),
        ("activity_target", round_to(points, 10).to_string()),
        ("meetings_target", round_to(meetings, 1).to_string()),
        ("team_target", round_to(team_won, 5_000).to_string()),
        ("ae_target", round_to(ae_won, 5_000).to_string()),
    ]
}

/// Writes every playbook file under `root/playbook`; returns (path, bytes) of each.
pub fn write(
    opts: &GenOptions,
    team: &Team,
    w: &Window,
    root: &Path,
) -> Result<Vec<(String, u64)>, Error> {
    let dir = root.join("playbook");
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    // Reviewed six weeks before the data's end: inside the quarterly review window.
    let reviewed = clock::date_string(w.end - 47);
    let mut files: Vec<(&str, String)> = vec![
        ("site.yaml", SITE.to_string()),
        (
            "qualification.yaml",
            fill(QUALIFICATION, &[("last_reviewed", reviewed)]),
        ),
        ("handoff.yaml", HANDOFF.to_string()),
        ("meetings.yaml", MEETINGS.to_string()),
        ("team.yaml", team_yaml(team)),
        ("comp.yaml", fill(COMP, &comp_values(opts, team, w))),
        ("segments.yaml", SEGMENTS.to_string()),
    ];
    files.extend(PAGES.iter().map(|(n, t)| (*n, t.to_string())));
    let mut written = Vec::new();
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::write(&path, &text).map_err(|e| Error::io(&path, e))?;
        written.push((format!("playbook/{name}"), text.len() as u64));
    }
    Ok(written)
}
