//! Lifecycle stages (see `docs/lifecycle.md`).

use crate::facts::CustomerFacts;
use crate::labels::Stage;
use crate::options::{ChurnOptions, LifecycleOptions};

/// The first stage that applies: `new` (first order within `newDays`), `one_time` (one purchase
/// day), `lapsed` (recency ≥ `lapsedDays`), `reactivated` (last order within `churn.windowDays` and
/// the gap before it > `lapsedDays`), `at_risk` (any churn flag), `mature` (tenure ≥ `matureDays`),
/// `active`.
pub fn stage(c: &CustomerFacts, any_flag: bool, l: &LifecycleOptions, ch: &ChurnOptions) -> Stage {
    if c.tenure < l.new_days as i32 {
        Stage::New
    } else if c.purchase_days == 1 {
        Stage::OneTime
    } else if c.recency >= l.lapsed_days as i32 {
        Stage::Lapsed
    } else if c.recency < ch.window_days as i32
        && c.gap_before_last()
            .is_some_and(|g| g > l.lapsed_days as i32)
    {
        Stage::Reactivated
    } else if any_flag {
        Stage::AtRisk
    } else if c.tenure >= l.mature_days as i32 {
        Stage::Mature
    } else {
        Stage::Active
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::ActivityOptions;

    fn cust(tenure: i32, recency: i32, days: u32, gap_before_last: Option<i32>) -> CustomerFacts {
        CustomerFacts {
            recency,
            tenure,
            frequency: days,
            purchase_days: days,
            gap_before_last: gap_before_last.unwrap_or(-1),
            ..Default::default()
        }
    }

    #[test]
    fn stage_order() {
        let (l, ch) = (LifecycleOptions::default(), ChurnOptions::default());
        let s = |c: &CustomerFacts, f| stage(c, f, &l, &ch).code();
        assert_eq!(s(&cust(29, 0, 2, Some(3)), true), "new");
        assert_eq!(s(&cust(30, 30, 1, None), false), "one_time");
        assert_eq!(s(&cust(400, 180, 3, Some(10)), true), "lapsed");
        assert_eq!(s(&cust(400, 10, 3, Some(181)), true), "reactivated");
        assert_eq!(s(&cust(400, 10, 3, Some(180)), true), "at_risk");
        assert_eq!(s(&cust(365, 10, 3, Some(10)), false), "mature");
        assert_eq!(s(&cust(364, 10, 3, Some(10)), false), "active");
    }

    #[test]
    fn activity_per_week() {
        let a = ActivityOptions::default();
        // 12 events in 4 weeks = 3 per week
        assert_eq!(crate::facts::activity_class(12, &a).code(), "high");
        assert_eq!(crate::facts::activity_class(4, &a).code(), "low");
        assert_eq!(crate::facts::activity_class(3, &a).code(), "idle");
    }
}
