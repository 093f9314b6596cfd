//! `--anonymize`: replaces people and companies with stable pseudonyms before anything is
//! computed, so a site can be shared beyond the team.
//!
//! Rep ids and names become `SDR 01`, `AE 03`... numbered in the order of `reps.csv`'s sorted
//! ids; companies become `Company 001`...; free text that could name a person (pain points,
//! documentation notes, rejection reasons) becomes a label that keeps equal texts equal, so
//! message continuity and every count are unchanged. Categorical values (loss reasons, stages)
//! and the playbook are kept. Lead and opportunity ids become sequence numbers.

use std::collections::{BTreeMap, HashMap};

use crate::model::notes::normalize_text;
use crate::model::{Dataset, Role};

/// Assigns numbered pseudonyms in first-come order of sorted inputs.
struct Namer {
    prefix: &'static str,
    width: usize,
    map: HashMap<String, String>,
}

impl Namer {
    fn new(prefix: &'static str, width: usize) -> Self {
        Namer {
            prefix,
            width,
            map: HashMap::new(),
        }
    }

    fn name(&mut self, original: &str) -> String {
        if original.is_empty() {
            return String::new();
        }
        let next = self.map.len() + 1;
        let (prefix, width) = (self.prefix, self.width);
        self.map
            .entry(original.to_string())
            .or_insert_with(|| format!("{prefix} {next:0width$}"))
            .clone()
    }
}

/// Replaces every person, company and free-text value of `ds` with a pseudonym.
pub fn anonymize(ds: &mut Dataset) {
    // Reps: numbered per role in the order of their sorted ids.
    let mut ids: Vec<(Role, String)> = ds.reps.iter().map(|r| (r.role, r.id.clone())).collect();
    ids.sort();
    let mut per_role: BTreeMap<Role, usize> = BTreeMap::new();
    let mut rep_map: HashMap<String, (String, String)> = HashMap::new();
    for (role, id) in ids {
        let n = per_role.entry(role).or_default();
        *n += 1;
        let label = match role {
            Role::Sdr => "SDR",
            Role::Bdr => "BDR",
            Role::Ae => "AE",
            Role::Manager => "Manager",
        };
        let new_id = format!("{}-{:02}", label.to_lowercase(), n);
        rep_map.insert(id, (new_id, format!("{label} {:02}", n)));
    }
    let rep = |id: &str| {
        rep_map
            .get(id)
            .map_or_else(|| id.to_string(), |r| r.0.clone())
    };
    for r in &mut ds.reps {
        if let Some((id, name)) = rep_map.get(&r.id) {
            r.id = id.clone();
            r.name = name.clone();
        }
    }
    ds.activity = std::mem::take(&mut ds.activity)
        .into_iter()
        .map(|((id, day), c)| ((rep(&id), day), c))
        .collect();
    for p in &mut ds.playbook.team.pairings {
        p.sdr = rep(&p.sdr);
        p.ae = rep(&p.ae);
    }
    for o in &mut ds.one_on_ones {
        o.sdr_id = rep(&o.sdr_id).into();
        o.ae_id = rep(&o.ae_id).into();
    }

    let mut companies = Namer::new("Company", 3);
    let mut reasons = Namer::new("Reason", 2);
    let mut leads = Namer::new("Lead", 5);
    for h in &mut ds.handoffs {
        h.lead_id = leads.name(&h.lead_id);
        h.company = companies.name(&h.company);
        h.sdr_id = rep(&h.sdr_id).into();
        h.ae_id = rep(&h.ae_id).into();
        h.rejection_reason = reasons.name(&normalize_text(&h.rejection_reason));
    }
    for m in &mut ds.meetings {
        m.lead_id = leads.name(&m.lead_id);
    }
    let mut opps = Namer::new("Deal", 5);
    let mut meetings = Namer::new("Meeting", 5);
    for m in &mut ds.meetings {
        m.meeting_id = meetings.name(&m.meeting_id);
    }
    for o in &mut ds.opportunities {
        o.opportunity_id = opps.name(&o.opportunity_id);
        o.lead_id = o.lead_id.as_deref().map(|l| leads.name(l));
        o.ae_id = rep(&o.ae_id).into();
    }
}
