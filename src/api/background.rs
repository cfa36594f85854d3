//! Long work that must not starve short calls.
//!
//! A comparison searches thousands of pairs for seconds to minutes; a health check or a route
//! query takes microseconds. On a machine with few cores the OS shares the cores between
//! threads of equal priority, so two comparisons on blocking threads would take two thirds of
//! the time the async workers need. A comparison therefore runs on its own thread at a lower
//! scheduling priority (nice +10: about a tenth of the weight of a normal thread when both
//! want a core, all of an idle core otherwise). The thread is its own, not one of tokio's
//! blocking pool, because an unprivileged process cannot raise a thread's priority back.

/// The nice value long work runs at.
const NICENESS: i32 = 10;

/// Runs `work` on a new thread named `name` at the lower priority.
pub fn spawn_low_priority(name: &str, work: impl FnOnce() + Send + 'static) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name(name.to_string())
        .spawn(move || {
            lower_this_threads_priority();
            work();
        })
        .map(drop)
}

#[cfg(target_os = "linux")]
fn lower_this_threads_priority() {
    // On Linux the nice value belongs to the thread, and `who = 0` names the calling one.
    // SAFETY: setpriority only reads its arguments.
    let failed = unsafe { libc::setpriority(libc::PRIO_PROCESS, 0, NICENESS) } != 0;
    if failed {
        tracing::warn!(
            error = %std::io::Error::last_os_error(),
            "could not lower a comparison thread's priority"
        );
    }
}

#[cfg(not(target_os = "linux"))]
fn lower_this_threads_priority() {}

/// The instant a call's `grpc-timeout` (its deadline, as the client sent it) expires.
pub fn deadline(metadata: &tonic::metadata::MetadataMap) -> Option<std::time::Instant> {
    let text = metadata.get("grpc-timeout")?.to_str().ok()?;
    let (digits, unit) = text.split_at(text.len().checked_sub(1)?);
    let value: u64 = digits.parse().ok()?;
    let timeout = match unit {
        "H" => std::time::Duration::from_secs(value.saturating_mul(3600)),
        "M" => std::time::Duration::from_secs(value.saturating_mul(60)),
        "S" => std::time::Duration::from_secs(value),
        "m" => std::time::Duration::from_millis(value),
        "u" => std::time::Duration::from_micros(value),
        "n" => std::time::Duration::from_nanos(value),
        _ => return None,
    };
    std::time::Instant::now().checked_add(timeout)
}

/// Places for calls of one kind that run a while, a few at a time: a call beyond them is
/// refused with `RESOURCE_EXHAUSTED` naming the limit, instead of queueing work nobody bounds.
#[derive(Debug, Clone)]
pub struct Places {
    semaphore: std::sync::Arc<tokio::sync::Semaphore>,
    most: usize,
    /// What the calls are, in the plural ("matrix calls").
    what: &'static str,
}

impl Places {
    pub fn new(most: usize, what: &'static str) -> Self {
        Places {
            semaphore: std::sync::Arc::new(tokio::sync::Semaphore::new(most)),
            most,
            what,
        }
    }

    /// A place, held until the permit is dropped.
    pub fn claim(&self) -> Result<tokio::sync::OwnedSemaphorePermit, super::ApiError> {
        std::sync::Arc::clone(&self.semaphore)
            .try_acquire_owned()
            .map_err(|_| {
                super::ApiError::ResourceExhausted(format!(
                    "{} {} are running, the most at once; try again when one ends",
                    self.most, self.what
                ))
            })
    }
}
