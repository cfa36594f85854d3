//! The loader's one error type: which file, which record, and what is wrong with it.

use std::path::Path;

/// A data file that cannot be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {record}: {reason}")]
pub struct DataError {
    pub file: String,
    /// The record, e.g. `line 4 (CNDLC-PORT)` or `service 'SEA-DLC-PUS'`.
    pub record: String,
    pub reason: String,
}

impl DataError {
    pub fn new(file: &Path, record: impl Into<String>, reason: impl Into<String>) -> Self {
        DataError {
            file: file.display().to_string(),
            record: record.into(),
            reason: reason.into(),
        }
    }
}
