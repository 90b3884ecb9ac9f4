//! Lifecycle stage and activity class (SPEC §6).

use crate::facts::CustomerFacts;
use crate::options::{ActivityOptions, ChurnOptions, LifecycleOptions};

/// Stage names (English, Chinese), in the order they are tested.
pub const STAGES: [(&str, &str); 7] = [
    ("new", "新客"),
    ("one_time", "一次性客户"),
    ("lapsed", "已流失"),
    ("reactivated", "已挽回"),
    ("at_risk", "有风险"),
    ("mature", "成熟"),
    ("active", "活跃"),
];

/// The first stage that applies: `new` (first order within `newDays`), `one_time` (one purchase
/// day), `lapsed` (recency ≥ `lapsedDays`), `reactivated` (last order within `churn.windowDays` and
/// the gap before it > `lapsedDays`), `at_risk` (any churn flag), `mature` (tenure ≥ `matureDays`),
/// `active`. Returns an index into [`STAGES`].
pub fn stage(c: &CustomerFacts, any_flag: bool, l: &LifecycleOptions, ch: &ChurnOptions) -> usize {
    if c.tenure < l.new_days as i32 {
        0
    } else if c.purchase_days == 1 {
        1
    } else if c.recency >= l.lapsed_days as i32 {
        2
    } else if c.recency < ch.window_days as i32
        && c.gap_before_last()
            .is_some_and(|g| g > l.lapsed_days as i32)
    {
        3
    } else if any_flag {
        4
    } else if c.tenure >= l.mature_days as i32 {
        5
    } else {
        6
    }
}

/// Activity classes (English, Chinese).
pub const ACTIVITY: [(&str, &str); 3] =
    [("high", "高频活跃"), ("low", "低频使用"), ("idle", "闲置")];

/// Activity class index for `events` frequency units in the `activity.windowDays` window: events
/// per week ≥ `high` → high, ≥ `low` → low, else idle.
pub fn activity_class(events: u64, a: &ActivityOptions) -> usize {
    // events / (days / 7) ≥ t  ⇔  7 · events ≥ t · days
    let lhs = 7.0 * events as f64;
    let days = a.window_days as f64;
    if lhs >= a.high * days {
        0
    } else if lhs >= a.low * days {
        1
    } else {
        2
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let s = |c: &CustomerFacts, f| STAGES[stage(c, f, &l, &ch)].0;
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
        assert_eq!(ACTIVITY[activity_class(12, &a)].0, "high");
        assert_eq!(ACTIVITY[activity_class(4, &a)].0, "low");
        assert_eq!(ACTIVITY[activity_class(3, &a)].0, "idle");
    }
}
