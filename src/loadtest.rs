//! The load tool behind `freight loadtest`: drives one gRPC method with N concurrent
//! in-flight calls over one HTTP/2 connection for a fixed time, and reports throughput and
//! latency percentiles. Run against `FindRoutes` and against `grpc.health.v1.Health/Check` on the
//! same server, the second is the transport's own ceiling.

use std::future::Future;
use std::time::{Duration, Instant};

/// What one run measured.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadReport {
    pub method: String,
    pub concurrency: usize,
    pub elapsed: Duration,
    pub ok: usize,
    pub errors: usize,
    /// The first error seen, if any.
    pub first_error: Option<String>,
    pub p50: Duration,
    pub p90: Duration,
    pub p99: Duration,
    pub max: Duration,
}

impl LoadReport {
    pub fn throughput_per_s(&self) -> f64 {
        self.ok as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

impl std::fmt::Display for LoadReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        write!(
            f,
            "{:<28} streams {:>4}  {:>9.0} req/s  ok {:>8}  errors {:>5}  p50 {:>7.3} ms  p90 {:>7.3} ms  p99 {:>7.3} ms  max {:>8.3} ms",
            self.method,
            self.concurrency,
            self.throughput_per_s(),
            self.ok,
            self.errors,
            ms(self.p50),
            ms(self.p90),
            ms(self.p99),
            ms(self.max)
        )?;
        if let Some(e) = &self.first_error {
            write!(f, "\n  first error: {e}")?;
        }
        Ok(())
    }
}

/// The `q`-quantile (0..=1) of sorted samples, nearest rank.
fn quantile(sorted: &[Duration], q: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

/// Calls `call` from `concurrency` tasks, each starting its next call when the previous one
/// returns, until `duration` has passed; then reports. Calls still in flight at the deadline
/// finish and count.
pub async fn run<F, Fut>(
    method: &str,
    concurrency: usize,
    duration: Duration,
    call: F,
) -> LoadReport
where
    F: Fn() -> Fut + Clone + Send + 'static,
    Fut: Future<Output = Result<(), String>> + Send,
{
    let started = Instant::now();
    let deadline = started + duration;
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..concurrency.max(1) {
        let call = call.clone();
        tasks.spawn(async move {
            let mut latencies = Vec::new();
            let (mut errors, mut first_error) = (0usize, None);
            while Instant::now() < deadline {
                let t = Instant::now();
                match call().await {
                    Ok(()) => latencies.push(t.elapsed()),
                    Err(e) => {
                        errors += 1;
                        first_error.get_or_insert(e);
                    }
                }
            }
            (latencies, errors, first_error)
        });
    }
    let (mut all, mut errors, mut first_error) = (Vec::new(), 0, None);
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok((latencies, e, first)) => {
                all.extend(latencies);
                errors += e;
                if first_error.is_none() {
                    first_error = first;
                }
            }
            Err(e) => {
                errors += 1;
                first_error.get_or_insert(e.to_string());
            }
        }
    }
    let elapsed = started.elapsed();
    all.sort_unstable();
    LoadReport {
        method: method.to_string(),
        concurrency: concurrency.max(1),
        elapsed,
        ok: all.len(),
        errors,
        first_error,
        p50: quantile(&all, 0.50),
        p90: quantile(&all, 0.90),
        p99: quantile(&all, 0.99),
        max: all.last().copied().unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_are_nearest_rank() {
        let samples: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(quantile(&samples, 0.5), Duration::from_millis(50));
        assert_eq!(quantile(&samples, 0.99), Duration::from_millis(99));
        assert_eq!(quantile(&samples, 1.0), Duration::from_millis(100));
        assert_eq!(quantile(&[], 0.5), Duration::ZERO);
    }
}
