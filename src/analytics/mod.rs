//! The analytics stage: from each customer's facts to scores, segments, grades, churn flags and
//! risk, lifecycle stages and recommended actions.

pub mod actions;
pub mod churn;
pub mod grade;
pub mod lifecycle;
pub mod score;
pub mod segment;
