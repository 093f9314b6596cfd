//! Activity metrics (event rule: activities by their local date).

use serde::Serialize;

use super::stats::Rate;
use crate::model::DayCounts;

/// `dials`: calls; `conversations`: calls with outcome connected; `connect_rate` =
/// conversations / dials; `emails`, `social_touches`, `new_prospects` (type prospect_added).
#[derive(Debug, Clone, Serialize)]
pub struct ActivityMetrics {
    pub dials: u64,
    pub conversations: u64,
    pub connect_rate: Rate,
    pub emails: u64,
    pub social_touches: u64,
    pub new_prospects: u64,
}

impl ActivityMetrics {
    pub fn from_counts(c: &DayCounts) -> Self {
        ActivityMetrics {
            dials: c.calls,
            conversations: c.connected,
            connect_rate: Rate::new(c.connected, c.calls),
            emails: c.emails,
            social_touches: c.social,
            new_prospects: c.prospects_added,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_count_goes_to_its_own_figure() {
        // Distinct counts, so a field read from the wrong count shows.
        let c = DayCounts {
            calls: 20,
            connected: 5,
            emails: 7,
            social: 3,
            prospects_added: 2,
        };
        let m = ActivityMetrics::from_counts(&c);
        assert_eq!(
            (
                m.dials,
                m.conversations,
                m.emails,
                m.social_touches,
                m.new_prospects
            ),
            (20, 5, 7, 3, 2)
        );
        // 5 connected of 20 calls.
        assert_eq!(m.connect_rate, Rate::new(5, 20));
    }
}
