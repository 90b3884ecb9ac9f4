//! Milliseconds from an arbitrary origin, on every target (`std::time::Instant` panics on
//! wasm32-unknown-unknown). Used only to report phase timings for benchmarks.

/// Current time in milliseconds.
#[cfg(not(target_arch = "wasm32"))]
pub fn now_ms() -> f64 {
    use std::sync::OnceLock;
    static START: OnceLock<std::time::Instant> = OnceLock::new();
    START
        .get_or_init(std::time::Instant::now)
        .elapsed()
        .as_secs_f64()
        * 1000.0
}

/// Current time in milliseconds.
#[cfg(target_arch = "wasm32")]
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Records how long consecutive phases took (milliseconds), for benchmark reports.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Phases {
    last: f64,
    /// (phase, milliseconds) in order.
    pub list: Vec<(&'static str, f64)>,
}

impl Phases {
    /// Starts timing now.
    pub fn start() -> Phases {
        Phases {
            last: now_ms(),
            list: Vec::new(),
        }
    }
    /// Ends the current phase under `name` and starts the next.
    pub fn mark(&mut self, name: &'static str) {
        let now = now_ms();
        self.list.push((name, now - self.last));
        self.last = now;
    }
}
