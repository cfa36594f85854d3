//! Request errors and their gRPC status codes, in one place.

/// Why a request cannot be answered. Every variant names the field and the value.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApiError {
    /// A field is missing, malformed or out of range.
    #[error("{field}: {reason}")]
    InvalidArgument { field: String, reason: String },
    /// A code names nothing in the network.
    #[error("{field}: '{code}' is not a known UN/LOCODE, IATA code or terminal id")]
    NotFound { field: String, code: String },
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
}

impl From<ApiError> for tonic::Status {
    fn from(e: ApiError) -> Self {
        match e {
            ApiError::InvalidArgument { .. } => tonic::Status::invalid_argument(e.to_string()),
            ApiError::NotFound { .. } => tonic::Status::not_found(e.to_string()),
        }
    }
}
