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
    /// Free text holds a control, line-separator or bidi character (see `text`).
    InvalidText,
    /// An input is larger than its documented cap.
    TooLarge,
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
            Code::InvalidText => "invalidText",
            Code::TooLarge => "tooLarge",
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
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;
