//! Call metrics, recorded with the `metrics` facade (exported in the Prometheus text format
//! when the server is started with `--metrics-addr`; a no-op otherwise): calls by method and
//! status code, their duration, the calls in flight, and the calls shed by a limit.

use std::future::Future;
use std::time::Instant;

use tonic::{Code, Status};

/// Counts a call in flight while it lives.
struct InFlight(&'static str);

impl InFlight {
    fn new(method: &'static str) -> Self {
        metrics::gauge!("freight_calls_in_flight", "method" => method).increment(1.0);
        InFlight(method)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        metrics::gauge!("freight_calls_in_flight", "method" => self.0).decrement(1.0);
    }
}

/// The gRPC name of a status code, as a label.
fn code_name(code: Code) -> &'static str {
    match code {
        Code::Ok => "OK",
        Code::Cancelled => "CANCELLED",
        Code::Unknown => "UNKNOWN",
        Code::InvalidArgument => "INVALID_ARGUMENT",
        Code::DeadlineExceeded => "DEADLINE_EXCEEDED",
        Code::NotFound => "NOT_FOUND",
        Code::AlreadyExists => "ALREADY_EXISTS",
        Code::PermissionDenied => "PERMISSION_DENIED",
        Code::ResourceExhausted => "RESOURCE_EXHAUSTED",
        Code::FailedPrecondition => "FAILED_PRECONDITION",
        Code::Aborted => "ABORTED",
        Code::OutOfRange => "OUT_OF_RANGE",
        Code::Unimplemented => "UNIMPLEMENTED",
        Code::Internal => "INTERNAL",
        Code::Unavailable => "UNAVAILABLE",
        Code::DataLoss => "DATA_LOSS",
        Code::Unauthenticated => "UNAUTHENTICATED",
    }
}

/// Runs one call, counting it by method and status code and timing it (a streaming call
/// until its stream is set up).
pub async fn observe<T>(
    method: &'static str,
    call: impl Future<Output = Result<T, Status>>,
) -> Result<T, Status> {
    let _in_flight = InFlight::new(method);
    let started = Instant::now();
    let result = call.await;
    let code = result.as_ref().map_or_else(|s| s.code(), |_| Code::Ok);
    metrics::counter!("freight_calls_total", "method" => method, "code" => code_name(code))
        .increment(1);
    metrics::histogram!("freight_call_duration_seconds", "method" => method)
        .record(started.elapsed().as_secs_f64());
    if code == Code::ResourceExhausted {
        metrics::counter!("freight_calls_shed_total", "method" => method).increment(1);
    }
    result
}
