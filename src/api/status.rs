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
            CatalogError::Store(e) => {
                tracing::error!(error = %e, "scenario store failed");
                ApiError::Internal(e.to_string())
            }
        }
    }
}

impl From<ApiError> for tonic::Status {
    fn from(e: ApiError) -> Self {
        let message = e.to_string();
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
        }
    }
}
