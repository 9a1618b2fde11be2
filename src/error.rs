//! One error type for every input and domain failure. It carries a stable `code` a program can branch on,
//! a sentence a person understands, and — for input errors — the camelCase path of the offending field, so the
//! page can show the message next to the field and the extension can name it.

use std::fmt;

/// Stable error codes. The JS side sees them as camelCase strings (`Error.code`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    /// The input has a field the schema does not know.
    UnknownField,
    /// A field is missing, of the wrong type, or not one of the allowed values.
    InvalidInput,
    UnknownComponent,
    DuplicateComponent,
    NoComponents,
    InvalidInstanceLabel,
    DuplicateInstance,
    TooManyInstances,
    SingleInstanceComponent,
    InvalidPrefix,
    NameTooLong,
    InvalidRedirectUri,
    SecretLifetimeOutOfRange,
    UnknownPermission,
    InvalidGuid,
    UnknownKind,
    DuplicatePermission,
    EmptyComponent,
    InvalidCatalog,
    UnknownFormat,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::UnknownField => "unknownField",
            Code::InvalidInput => "invalidInput",
            Code::UnknownComponent => "unknownComponent",
            Code::DuplicateComponent => "duplicateComponent",
            Code::NoComponents => "noComponents",
            Code::InvalidInstanceLabel => "invalidInstanceLabel",
            Code::DuplicateInstance => "duplicateInstance",
            Code::TooManyInstances => "tooManyInstances",
            Code::SingleInstanceComponent => "singleInstanceComponent",
            Code::InvalidPrefix => "invalidPrefix",
            Code::NameTooLong => "nameTooLong",
            Code::InvalidRedirectUri => "invalidRedirectUri",
            Code::SecretLifetimeOutOfRange => "secretLifetimeOutOfRange",
            Code::UnknownPermission => "unknownPermission",
            Code::InvalidGuid => "invalidGuid",
            Code::UnknownKind => "unknownKind",
            Code::DuplicatePermission => "duplicatePermission",
            Code::EmptyComponent => "emptyComponent",
            Code::InvalidCatalog => "invalidCatalog",
            Code::UnknownFormat => "unknownFormat",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub code: Code,
    pub message: String,
    /// camelCase path such as `components[1].instances[0]`; `None` when no single field is at fault.
    pub field: Option<String>,
}

impl Error {
    pub fn new(code: Code, field: impl Into<String>, message: impl Into<String>) -> Self {
        Error { code, message: message.into(), field: Some(field.into()) }
    }

    pub fn general(code: Code, message: impl Into<String>) -> Self {
        Error { code, message: message.into(), field: None }
    }

    /// Turns a serde error into ours, keeping the path serde_path_to_error tracked. `root` prefixes the path
    /// (e.g. `request`) only when the error sits at the top level.
    pub fn from_serde(err: serde_path_to_error::Error<serde_json::Error>, root: &str) -> Self {
        let path = err.path().to_string();
        let inner = err.into_inner().to_string();
        let field = if path == "." || path.is_empty() { root.to_string() } else { path };
        if let Some(rest) = inner.strip_prefix("unknown field ") {
            let name = rest.split(',').next().unwrap_or(rest).trim_matches('`');
            // serde_path_to_error already ends the path with the unknown key.
            let field = if field == root { name.to_string() } else { field };
            let allowed = rest.split_once("expected ").map(|(_, a)| a).unwrap_or("");
            let message = format!("`{field}` is not a known field; allowed here: {allowed}");
            return Error { code: Code::UnknownField, message, field: Some(field) };
        }
        if let Some(rest) = inner.strip_prefix("missing field `") {
            let name = rest.split('`').next().unwrap_or(rest);
            let field = if field == root { name.to_string() } else { format!("{field}.{name}") };
            let message = format!("`{field}` is required");
            return Error { code: Code::InvalidInput, message, field: Some(field) };
        }
        let message = format!("`{field}`: {inner}");
        Error { code: Code::InvalidInput, message, field: Some(field) }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;
