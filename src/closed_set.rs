//! Closed sets of words that JavaScript sees (an event's status, a drift's consent, a warning's code …): each is
//! an enum whose serde names are those words, so nothing outside the set can be made, and
//! `src/lucs_registrar.d.ts` declares the same words as a union (tests/declarations.rs holds the two together).

/// Declares such an enum: `closed_set! { pub enum Status { Started = "started", Done = "done" } }`. It serializes
/// as its word, displays as it, compares equal to it (`status == "done"`), and lists its words (`Status::WORDS`).
macro_rules! closed_set {
    ($(#[$meta:meta])* $vis:vis enum $name:ident {
        $($(#[$vmeta:meta])* $variant:ident = $word:literal),+ $(,)?
    }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
        $vis enum $name {
            $($(#[$vmeta])* #[serde(rename = $word)] $variant),+
        }

        impl $name {
            /// Every word of the set, in declaration order.
            pub const WORDS: &'static [&'static str] = &[$($word),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $word),+
                }
            }

            /// The member a word names, if it is one.
            pub fn parse(word: &str) -> Option<Self> {
                match word {
                    $($word => Some($name::$variant),)+
                    _ => None,
                }
            }

            /// The member a caller's word names, or an error with `code` naming `field` and every allowed word:
            /// the one option parser every closed set is read through.
            pub fn read(word: &str, field: &str, code: $crate::error::Code) -> $crate::error::Result<Self> {
                Self::parse(word).ok_or_else(|| {
                    let allowed: Vec<String> = Self::WORDS.iter().map(|w| format!("{w:?}")).collect();
                    $crate::error::Error::new(
                        code,
                        field,
                        format!("`{field}` must be one of {}, got {word:?}", allowed.join(", ")),
                    )
                })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }
    };
}

pub(crate) use closed_set;
