//! Word lists and the text the generator writes into free-text columns: rep names, company
//! names (some with commas, ampersands, apostrophes or quotes, as real CRM data has), pain
//! points and the five sections of a hand-off note.

use super::rng::Rng;

const FIRST: [&str; 48] = [
    "Aisha", "Ben", "Carla", "Dev", "Elena", "Felix", "Grace", "Hiro", "Ines", "Jamal", "Kara",
    "Liam", "Maya", "Noah", "Olivia", "Priya", "Quinn", "Rafael", "Sofia", "Tariq", "Uma",
    "Victor", "Wen", "Ximena", "Yusuf", "Zoe", "Andre", "Bianca", "Chen", "Dana", "Emeka", "Farah",
    "Gabe", "Hannah", "Ivan", "Julia", "Kofi", "Lena", "Marco", "Nadia", "Owen", "Paula", "Ravi",
    "Sara", "Tom", "Valeria", "Will", "Yara",
];

const LAST: [&str; 48] = [
    "Okafor",
    "Lindqvist",
    "Moreno",
    "Patel",
    "Nguyen",
    "O'Brien",
    "Kowalski",
    "Haddad",
    "Schmidt",
    "Tanaka",
    "Alvarez",
    "Brennan",
    "Castillo",
    "D'Amico",
    "Eriksen",
    "Fischer",
    "Gallagher",
    "Horvat",
    "Ibrahim",
    "Jensen",
    "Kim",
    "Laurent",
    "Mensah",
    "Novak",
    "O'Connor",
    "Petrov",
    "Quintero",
    "Rossi",
    "Sato",
    "Thompson",
    "Usman",
    "Varga",
    "Walsh",
    "Xu",
    "Yilmaz",
    "Zhang",
    "Abbott",
    "Baptiste",
    "Cohen",
    "Duarte",
    "Ellis",
    "Fontaine",
    "Grant",
    "Hughes",
    "Ito",
    "Jovanovic",
    "Keller",
    "Larsen",
];

const ROOTS: [&str; 40] = [
    "Harborview",
    "Northwind",
    "Bluestone",
    "Cedar Ridge",
    "Ironwood",
    "Brightwater",
    "Redline",
    "Keystone",
    "Pinecrest",
    "Silverline",
    "Granite State",
    "Lakeshore",
    "Meridian",
    "Evergreen",
    "Copperleaf",
    "Falcon",
    "Orchard",
    "Riverbend",
    "Westgate",
    "Stonebridge",
    "Tidewater",
    "Beacon",
    "Crescent",
    "Oakmont",
    "Prairie",
    "Sterling",
    "Vantage",
    "Willow Creek",
    "Bayside",
    "Clearwater",
    "Driftwood",
    "Foxglove",
    "Greenfield",
    "Highpoint",
    "Juniper",
    "Lighthouse",
    "Monarch",
    "Parkside",
    "Rosewood",
    "Timberline",
];

const KINDS: [&str; 30] = [
    "Logistics",
    "Health",
    "Manufacturing",
    "Foods",
    "Analytics",
    "Software",
    "Dental Group",
    "Insurance",
    "Credit Union",
    "Freight",
    "Realty",
    "Engineering",
    "Hospitality",
    "Pharmacy",
    "Construction",
    "Media",
    "Energy",
    "Labs",
    "Outfitters",
    "Robotics",
    "Financial",
    "Veterinary Clinics",
    "Staffing",
    "Packaging",
    "Marine",
    "Aerospace",
    "Biotech",
    "Architects",
    "Legal Services",
    "Learning",
];

const SUFFIXES: [&str; 8] = [
    ", Inc.",
    " LLC",
    " Inc.",
    " Group",
    " Co.",
    ", LLC",
    " Holdings",
    "",
];

/// Pain points the example company (a finance-automation vendor) hears from prospects.
pub const PAINS: [&str; 16] = [
    "Month-end close takes over ten days",
    "Invoices reconciled by hand in spreadsheets",
    "No single view of cash across entities",
    "Billing errors are causing customer churn",
    "Approval workflows are stuck in email",
    "Audit preparation eats most of a quarter",
    "Legacy ERP cannot handle usage-based pricing",
    "Finance headcount is not keeping up with growth",
    "Revenue recognition is done manually",
    "Late customer payments are hurting cash flow",
    "Too many disconnected finance tools",
    "Forecasts miss by more than 20 percent",
    "Collections process is entirely manual",
    "Expense reports take weeks to approve",
    "Compliance reporting is error-prone",
    "Consolidating books of acquired companies",
];

const TITLES: [&str; 10] = [
    "VP Finance",
    "Controller",
    "CFO",
    "Director of Finance Operations",
    "Head of RevOps",
    "Accounting Manager",
    "COO",
    "Director of FP&A",
    "IT Director",
    "Procurement Manager",
];

const CITIES: [&str; 14] = [
    "Boston, MA",
    "Austin, TX",
    "Denver, CO",
    "Atlanta, GA",
    "Chicago, IL",
    "Seattle, WA",
    "Raleigh, NC",
    "Columbus, OH",
    "Phoenix, AZ",
    "Nashville, TN",
    "Pittsburgh, PA",
    "Minneapolis, MN",
    "Toronto, ON",
    "San Diego, CA",
];

const SYSTEMS: [&str; 10] = [
    "QuickBooks Online plus a stack of spreadsheets",
    "NetSuite with a homegrown billing script",
    "SAP Business One; evaluating replacements",
    "Dynamics GP, worried about end of support",
    "Sage Intacct; happy with the GL, not with billing",
    "Xero and Stripe with no integration between them",
    "Oracle EBS on-premises, heavily customised",
    "Excel models maintained by a single analyst",
    "Bill.com for payables, nothing for receivables",
    "A competitor's AP tool, contract up for renewal",
];

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const EVENTS: [&str; 5] = [
    "the CFO Leadership summit",
    "our month-end close webinar",
    "a regional AICPA meetup",
    "the SaaS Finance conference",
    "a customer roundtable",
];

/// The `i`-th distinct person name (distinct for `i` below 48 × 48).
pub fn person(i: usize) -> String {
    let f = FIRST[i % FIRST.len()];
    let l = LAST[(i / FIRST.len() + i * 7) % LAST.len()];
    format!("{f} {l}")
}

/// A company name; a few carry commas, ampersands, apostrophes or double quotes.
pub fn company(rng: &mut Rng) -> String {
    let root = *rng.pick(&ROOTS);
    let kind = *rng.pick(&KINDS);
    match rng.below(100) {
        0..=44 => format!("{root} {kind}{}", rng.pick(&SUFFIXES)),
        45..=59 => format!("{} & {}{}", rng.pick(&LAST), rng.pick(&LAST), " LLP"),
        60..=69 => format!(
            "{}, {} & {}",
            rng.pick(&LAST),
            rng.pick(&LAST),
            rng.pick(&LAST)
        ),
        70..=79 => format!("{}'s {kind}", rng.pick(&FIRST)),
        80..=89 => format!("{root} {kind} & Co."),
        90..=97 => format!("{} {kind}", rng.pick(&LAST)),
        _ => format!("The \"{root}\" {kind} Company"),
    }
}

/// How an AE may re-type the SDR's pain point: same words, different case or spacing.
pub fn retyped(pain: &str, rng: &mut Rng) -> String {
    match rng.below(3) {
        0 => pain.to_lowercase(),
        1 => pain.replacen(' ', "  ", 1),
        _ => format!(" {pain} "),
    }
}

/// The text of one hand-off note section (by the default checklist order).
pub fn doc_section(section: usize, company: &str, pain: &str, rng: &mut Rng) -> String {
    match section {
        0 => format!(
            "{}, {}; {} employees, HQ {}",
            person(rng.below(2304) as usize + 7),
            rng.pick(&TITLES),
            rng.range(40, 4000),
            rng.pick(&CITIES)
        ),
        1 => match rng.below(3) {
            0 => format!("{pain}; wants it fixed before the next audit"),
            1 => format!("{pain}. Team of {} feels it daily", rng.range(2, 25)),
            _ => pain.to_string(),
        },
        2 => rng.pick(&SYSTEMS).to_string(),
        3 => match rng.below(4) {
            0 => format!("Budget approved; wants a decision by {}", rng.pick(&MONTHS)),
            1 => format!("Current contract ends in {}", rng.pick(&MONTHS)),
            2 => "New CFO started; this is in the 90-day plan".to_string(),
            _ => "Exploring, no firm date yet".to_string(),
        },
        _ => match rng.below(4) {
            0 => format!(
                "{} calls, {} emails; connected on the last call and asked for pricing",
                rng.range(2, 7),
                rng.range(2, 9)
            ),
            1 => format!(
                "Met at {}; follow-up call confirmed interest",
                rng.pick(&EVENTS)
            ),
            2 => "Downloaded the close-automation guide, replied to the third email".to_string(),
            _ => format!("Referred by a customer; {company} asked for a demo"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn person_names_are_distinct() {
        let names: std::collections::BTreeSet<String> = (0..600).map(person).collect();
        assert_eq!(names.len(), 600);
    }

    #[test]
    fn retyped_pain_matches_ignoring_case_and_space() {
        let mut rng = Rng::new(1, 1);
        let norm = |s: &str| {
            s.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        };
        for _ in 0..20 {
            let p = *rng.pick(&PAINS);
            assert_eq!(norm(&retyped(p, &mut rng)), norm(p));
        }
    }
}
