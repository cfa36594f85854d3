//! Who may change scenarios: bearer tokens in the `authorization` metadata, checked against
//! the tokens the server was started with. Tokens are compared in constant time and never
//! written to a log or an error message.

use tonic::metadata::MetadataMap;

use super::ApiError;

/// What a token allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Create, change and delete scenarios.
    Planner,
    /// Nothing beyond what needs no token; kept so that a known reader gets PERMISSION_DENIED
    /// rather than UNAUTHENTICATED.
    ReadOnly,
}

/// The tokens the server accepts.
#[derive(Clone, Default)]
pub struct Tokens {
    entries: Vec<(Vec<u8>, Role)>,
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the tokens themselves.
        write!(f, "Tokens({} configured)", self.entries.len())
    }
}

/// Equal length and bytes, in time that does not depend on where they differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl Tokens {
    pub fn new(entries: impl IntoIterator<Item = (String, Role)>) -> Self {
        Tokens {
            entries: entries
                .into_iter()
                .filter(|(t, _)| !t.trim().is_empty())
                .map(|(t, r)| (t.trim().as_bytes().to_vec(), r))
                .collect(),
        }
    }

    /// Parses a token file: one `planner <token>` or `read-only <token>` per line; blank
    /// lines and `#` comments are skipped. Errors name the line, never the token.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut entries = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (role, token) = line
                .split_once(char::is_whitespace)
                .ok_or_else(|| format!("line {}: expected '<role> <token>'", i + 1))?;
            let role = match role {
                "planner" => Role::Planner,
                "read-only" => Role::ReadOnly,
                other => {
                    return Err(format!(
                        "line {}: role '{other}' is not planner or read-only",
                        i + 1
                    ))
                }
            };
            entries.push((token.trim().to_string(), role));
        }
        Ok(Tokens::new(entries))
    }

    /// The tokens and roles, to merge token sources (a file and the environment).
    pub fn into_entries(self) -> Vec<(String, Role)> {
        self.entries
            .into_iter()
            .map(|(t, r)| (String::from_utf8_lossy(&t).into_owned(), r))
            .collect()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn role(&self, token: &[u8]) -> Option<Role> {
        // Look at every entry, so the time does not tell which one matched.
        self.entries.iter().fold(
            None,
            |found, (t, role)| if same(t, token) { Some(*role) } else { found },
        )
    }

    /// Passes a request carrying a planner token; the action is named in the error.
    pub fn require_planner(&self, metadata: &MetadataMap, action: &str) -> Result<(), ApiError> {
        let header = metadata
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let token = header
            .strip_prefix("Bearer ")
            .or_else(|| header.strip_prefix("bearer "))
            .map(str::trim)
            .unwrap_or("");
        if token.is_empty() {
            return Err(ApiError::Unauthenticated(format!(
                "authorization: {action} needs a planner token ('authorization: Bearer <token>' metadata)"
            )));
        }
        match self.role(token.as_bytes()) {
            Some(Role::Planner) => Ok(()),
            Some(Role::ReadOnly) => Err(ApiError::PermissionDenied(format!(
                "authorization: the token is read-only; {action} needs a planner token"
            ))),
            None => Err(ApiError::Unauthenticated(
                "authorization: the bearer token is not recognised".to_string(),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(header: &str) -> MetadataMap {
        let mut m = MetadataMap::new();
        m.insert("authorization", header.parse().unwrap());
        m
    }

    #[test]
    fn planner_passes_reader_is_denied_strangers_are_unauthenticated() {
        let tokens = Tokens::parse("# team\nplanner s3cret-p\nread-only s3cret-r\n").unwrap();
        assert_eq!(tokens.len(), 2);
        assert!(tokens
            .require_planner(&with("Bearer s3cret-p"), "x")
            .is_ok());
        assert!(matches!(
            tokens.require_planner(&with("Bearer s3cret-r"), "x"),
            Err(ApiError::PermissionDenied(_))
        ));
        for bad in [
            "Bearer nope",
            "Basic s3cret-p",
            "Bearer s3cret-p2",
            "Bearer ",
        ] {
            let err = tokens.require_planner(&with(bad), "x").unwrap_err();
            assert!(matches!(err, ApiError::Unauthenticated(_)), "{bad}");
            assert!(!err.to_string().contains("s3cret"), "{err}");
        }
        assert!(matches!(
            tokens.require_planner(&MetadataMap::new(), "x"),
            Err(ApiError::Unauthenticated(_))
        ));
        assert!(!format!("{tokens:?}").contains("s3cret"));
    }

    #[test]
    fn token_files_with_unknown_roles_are_refused_by_line() {
        let err = Tokens::parse("planner a\nadmin b\n").unwrap_err();
        assert!(err.starts_with("line 2:") && !err.contains(" b"), "{err}");
    }
}
