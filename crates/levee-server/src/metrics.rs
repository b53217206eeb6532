//! Request counters and latency histograms per route, in the Prometheus text format.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Duration;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 10] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0, 5.0];

#[derive(Debug, Default, Clone)]
struct Series {
    count: u64,
    sum: f64,
    buckets: [u64; BUCKETS.len()],
}

/// The server's metrics.
#[derive(Debug, Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(&'static str, u16), u64>>,
    latency: Mutex<BTreeMap<&'static str, Series>>,
}

impl Metrics {
    /// Counts one request of `route` answered with `status` after `elapsed`.
    pub fn observe(&self, route: &'static str, status: u16, elapsed: Duration) {
        if let Ok(mut m) = self.requests.lock() {
            *m.entry((route, status)).or_default() += 1;
        }
        let secs = elapsed.as_secs_f64();
        if let Ok(mut m) = self.latency.lock() {
            let s = m.entry(route).or_default();
            s.count += 1;
            s.sum += secs;
            for (i, bound) in BUCKETS.iter().enumerate() {
                if secs <= *bound {
                    s.buckets[i] += 1;
                }
            }
        }
    }

    /// The text exposition format, version 0.0.4.
    pub fn render(&self, extra: &[(&str, &str, f64)]) -> String {
        let mut out = String::new();
        out.push_str("# HELP levee_http_requests_total HTTP requests answered, by route and status.\n");
        out.push_str("# TYPE levee_http_requests_total counter\n");
        if let Ok(m) = self.requests.lock() {
            for ((route, status), n) in m.iter() {
                let _ = writeln!(
                    out,
                    "levee_http_requests_total{{route=\"{route}\",status=\"{status}\"}} {n}"
                );
            }
        }
        out.push_str("# HELP levee_http_request_duration_seconds Time to answer, by route.\n");
        out.push_str("# TYPE levee_http_request_duration_seconds histogram\n");
        if let Ok(m) = self.latency.lock() {
            for (route, s) in m.iter() {
                for (i, bound) in BUCKETS.iter().enumerate() {
                    let _ = writeln!(
                        out,
                        "levee_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {}",
                        s.buckets[i]
                    );
                }
                let _ = writeln!(
                    out,
                    "levee_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                    s.count
                );
                let _ = writeln!(
                    out,
                    "levee_http_request_duration_seconds_sum{{route=\"{route}\"}} {}",
                    s.sum
                );
                let _ = writeln!(
                    out,
                    "levee_http_request_duration_seconds_count{{route=\"{route}\"}} {}",
                    s.count
                );
            }
        }
        for (name, help, value) in extra {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_buckets_add_up() {
        let m = Metrics::default();
        m.observe("health", 200, Duration::from_millis(2));
        m.observe("health", 200, Duration::from_millis(30));
        m.observe("health", 503, Duration::from_millis(2));
        let text = m.render(&[("levee_up", "Whether it runs.", 1.0)]);
        assert!(
            text.contains("levee_http_requests_total{route=\"health\",status=\"200\"} 2"),
            "{text}"
        );
        assert!(text.contains("levee_http_requests_total{route=\"health\",status=\"503\"} 1"));
        assert!(text.contains("le=\"0.0025\"} 2"), "{text}");
        assert!(text.contains("le=\"0.05\"} 3"));
        assert!(text.contains("levee_http_request_duration_seconds_count{route=\"health\"} 3"));
        assert!(text.contains("levee_up 1"));
    }
}
