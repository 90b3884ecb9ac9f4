//! Churn flags and risk level (SPEC §6). Several flags can fire; each carries a reason in English and
//! Chinese. Without a fitted model the risk is rule-based: `high` for two or more flags or
//! `high_value_lapsed`, `medium` for one flag, else `low`.

use crate::facts::CustomerFacts;
use crate::options::ChurnOptions;

/// A fired churn flag.
#[derive(Debug, Clone, PartialEq)]
pub struct Flag {
    /// Flag name: `inactive`, `overdue`, `high_value_lapsed`, `declining`.
    pub name: &'static str,
    /// Reason in English.
    pub reason_en: String,
    /// Reason in Chinese.
    pub reason_zh: String,
}

/// All flag names, in output order.
pub const FLAG_NAMES: [&str; 5] = [
    "inactive",
    "overdue",
    "high_value_lapsed",
    "declining",
    "signal",
];

fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x}")
    }
}

/// Evaluates the flags of one customer. `top_grade` says whether the customer holds a top grade
/// (grade A or one of the first two ladder grades).
pub fn flags(c: &CustomerFacts, top_grade: bool, o: &ChurnOptions) -> Vec<Flag> {
    let mut out = Vec::new();
    if c.recency >= o.inactive_days as i32 {
        out.push(Flag {
            name: "inactive",
            reason_en: format!(
                "no order for {} days (threshold {} days)",
                c.recency, o.inactive_days
            ),
            reason_zh: format!("已 {} 天未下单（阈值 {} 天）", c.recency, o.inactive_days),
        });
    }
    if c.purchase_days >= 3 {
        if let Some(gap) = c.median_gap {
            if c.recency as f64 > o.overdue_factor * gap {
                out.push(Flag {
                    name: "overdue",
                    reason_en: format!(
                        "{} days since the last order, more than {}× the usual gap of {} days",
                        c.recency,
                        fmt_num(o.overdue_factor),
                        fmt_num(gap)
                    ),
                    reason_zh: format!(
                        "距上次下单 {} 天，超过平时间隔 {} 天的 {} 倍",
                        c.recency,
                        fmt_num(gap),
                        fmt_num(o.overdue_factor)
                    ),
                });
            }
        }
    }
    if top_grade && c.recency >= o.high_value_lapsed_days as i32 {
        out.push(Flag {
            name: "high_value_lapsed",
            reason_en: format!("top-grade customer with no order for {} days", c.recency),
            reason_zh: format!("高价值客户已 {} 天未下单", c.recency),
        });
    }
    let keep = 1.0 - o.decline_ratio;
    let declining_orders =
        c.previous_orders > 0 && (c.recent_orders as f64) <= keep * c.previous_orders as f64;
    let declining_spend =
        c.previous_spend > 0 && (c.recent_spend as f64) <= keep * c.previous_spend as f64;
    if declining_orders || declining_spend {
        let what_en = if declining_orders {
            format!(
                "orders fell from {} to {} between the previous and the last {} days",
                c.previous_orders, c.recent_orders, o.window_days
            )
        } else {
            format!(
                "spend fell by more than {}% between the previous and the last {} days",
                fmt_num(o.decline_ratio * 100.0),
                o.window_days
            )
        };
        let what_zh = if declining_orders {
            format!(
                "近 {} 天订单数从 {} 降至 {}",
                o.window_days, c.previous_orders, c.recent_orders
            )
        } else {
            format!(
                "近 {} 天消费额下降超过 {}%",
                o.window_days,
                fmt_num(o.decline_ratio * 100.0)
            )
        };
        out.push(Flag {
            name: "declining",
            reason_en: what_en,
            reason_zh: what_zh,
        });
    }
    out
}

/// Rule-based risk level: `high`, `medium` or `low`.
pub fn rule_risk(flags: &[Flag]) -> &'static str {
    if flags.len() >= 2 || flags.iter().any(|f| f.name == "high_value_lapsed") {
        "high"
    } else if flags.len() == 1 {
        "medium"
    } else {
        "low"
    }
}

/// Chinese risk label.
pub fn risk_zh(risk: &str) -> &'static str {
    match risk {
        "high" => "高",
        "medium" => "中",
        _ => "低",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cust(recency: i32, days: u32, gap: Option<f64>) -> CustomerFacts {
        CustomerFacts {
            recency,
            tenure: 400,
            frequency: days as u64,
            purchase_days: days,
            median_gap: gap,
            ..Default::default()
        }
    }

    fn names(f: &[Flag]) -> Vec<&str> {
        f.iter().map(|f| f.name).collect()
    }

    #[test]
    fn inactive_at_threshold() {
        let o = ChurnOptions::default();
        assert_eq!(
            names(&flags(&cust(89, 1, None), false, &o)),
            Vec::<&str>::new()
        );
        assert_eq!(
            names(&flags(&cust(90, 1, None), false, &o)),
            vec!["inactive"]
        );
    }

    #[test]
    fn overdue_needs_three_days_and_strictly_more() {
        let o = ChurnOptions::default();
        // gap 20 → overdue when recency > 40
        assert!(flags(&cust(40, 3, Some(20.0)), false, &o).is_empty());
        assert_eq!(
            names(&flags(&cust(41, 3, Some(20.0)), false, &o)),
            vec!["overdue"]
        );
        assert!(flags(&cust(41, 2, Some(20.0)), false, &o).is_empty());
    }

    #[test]
    fn high_value_lapsed_and_risk() {
        let o = ChurnOptions::default();
        let f = flags(&cust(180, 1, None), true, &o);
        assert_eq!(names(&f), vec!["inactive", "high_value_lapsed"]);
        assert_eq!(rule_risk(&f), "high");
        assert_eq!(rule_risk(&f[..1]), "medium");
        assert_eq!(rule_risk(&[]), "low");
    }
}
