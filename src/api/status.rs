//! Request errors and their gRPC status codes, in one place.

use crate::scenario::{CatalogError, StoreError};

/// Why a request cannot be answered. Every variant names the field and the value.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApiError {
    /// A field is missing, malformed or out of range.
    #[error("{field}: {reason}")]
    InvalidArgument { field: String, reason: String },
    /// A code names nothing in the network.
    #[error("{field}: '{code}' is not a known UN/LOCODE, IATA code or terminal id")]
    NotFound { field: String, code: String },
    /// An id names no stored scenario.
    #[error("{field}: scenario '{id}' does not exist")]
    UnknownScenario { field: String, id: String },
    /// The request is well-formed but the state it needs is not there (a broken scenario).
    #[error("{0}")]
    FailedPrecondition(String),
    /// A scenario name is taken.
    #[error("{0}")]
    AlreadyExists(String),
    /// An optimistic-concurrency check failed.
    #[error("{0}")]
    Aborted(String),
    /// No valid credentials for a call that needs them.
    #[error("{0}")]
    Unauthenticated(String),
    /// Valid credentials without the right.
    #[error("{0}")]
    PermissionDenied(String),
    /// The server's own failure (the scenario database).
    #[error("{0}")]
    Internal(String),
    /// A limit on the work one call or caller may cause; the message names it.
    #[error("{0}")]
    ResourceExhausted(String),
    /// A dependency is out of reach for now (the scenario database); the call may be retried.
    #[error("{0}")]
    Unavailable(String),
}

impl ApiError {
    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        ApiError::InvalidArgument {
            field: field.into(),
            reason: reason.into(),
        }
    }

    pub fn not_found(field: impl Into<String>, code: impl Into<String>) -> Self {
        ApiError::NotFound {
            field: field.into(),
            code: code.into(),
        }
    }

    /// A catalogue error of a request whose scenario id is in `field`.
    pub fn from_catalog(field: &str, e: CatalogError) -> Self {
        match e {
            CatalogError::Invalid(o) => {
                ApiError::invalid(format!("definition.{}", o.field), o.reason)
            }
            CatalogError::Store(StoreError::NotFound(id)) => ApiError::UnknownScenario {
                field: field.to_string(),
                id,
            },
            CatalogError::Store(e @ StoreError::NameTaken(_)) => {
                ApiError::AlreadyExists(format!("definition.name: {e}"))
            }
            CatalogError::Store(e @ StoreError::VersionMismatch { .. }) => {
                ApiError::Aborted(format!("expected_version: {e}"))
            }
            CatalogError::Quota(e) => ApiError::ResourceExhausted(e),
            CatalogError::Store(e @ StoreError::Unavailable { .. }) => {
                metrics::counter!("freight_store_errors_total").increment(1);
                tracing::warn!(error = %e, "scenario store unavailable");
                ApiError::Unavailable(e.to_string())
            }
            CatalogError::Store(e) => {
                metrics::counter!("freight_store_errors_total").increment(1);
                tracing::error!(error = %e, "scenario store failed");
                ApiError::Internal(e.to_string())
            }
        }
    }
}

/// The longest error message or logged value, in characters: request values are echoed in
/// messages, and a 3 MB field must not come back as a 3 MB message or log line.
pub const MAX_MESSAGE_CHARS: usize = 300;

/// Text fit for an error message or a log line: control characters (CR, LF, escape codes that
/// would forge log lines or move a terminal's cursor) escaped, and at most
/// [`MAX_MESSAGE_CHARS`] characters, with the full length said when cut.
pub fn bounded(text: &str) -> String {
    let total = text.chars().count();
    let mut out = String::with_capacity(text.len().min(MAX_MESSAGE_CHARS * 2));
    for c in text.chars().take(MAX_MESSAGE_CHARS) {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    if total > MAX_MESSAGE_CHARS {
        out.push_str(&format!("… ({total} characters in all)"));
    }
    out
}

impl From<ApiError> for tonic::Status {
    fn from(e: ApiError) -> Self {
        let message = bounded(&e.to_string());
        match e {
            ApiError::InvalidArgument { .. } => tonic::Status::invalid_argument(message),
            ApiError::NotFound { .. } | ApiError::UnknownScenario { .. } => {
                tonic::Status::not_found(message)
            }
            ApiError::FailedPrecondition(_) => tonic::Status::failed_precondition(message),
            ApiError::AlreadyExists(_) => tonic::Status::already_exists(message),
            ApiError::Aborted(_) => tonic::Status::aborted(message),
            ApiError::Unauthenticated(_) => tonic::Status::unauthenticated(message),
            ApiError::PermissionDenied(_) => tonic::Status::permission_denied(message),
            ApiError::Internal(_) => tonic::Status::internal(message),
            ApiError::ResourceExhausted(_) => tonic::Status::resource_exhausted(message),
            ApiError::Unavailable(_) => tonic::Status::unavailable(message),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_escaped_and_cut_with_their_length_said() {
        assert_eq!(bounded("a\r\nb\u{1b}[2J"), "a\\r\\nb\\u{1b}[2J");
        let long = "x".repeat(5000);
        let cut = bounded(&long);
        assert!(cut.starts_with(&"x".repeat(MAX_MESSAGE_CHARS)));
        assert!(cut.ends_with("(5000 characters in all)"), "{cut}");
        assert!(!cut.contains('\n'));
    }
}
