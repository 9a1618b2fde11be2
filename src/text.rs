//! Free text (names, purposes, errata, notes, labels…) that ends up in Graph bodies and in exported scripts.
//! One rule for every place text enters: no control characters, no line or paragraph separators and no bidi
//! controls. A line break would end a comment in every script language we export; the Unicode separators end a
//! line for some tools and editors (U+0085 NEL, U+2028, U+2029: Unicode UAX #14 "mandatory breaks"); the bidi
//! embedding, override and isolate controls make a reviewer read a line differently from how a shell runs it
//! (CVE-2021-42574, "Trojan Source"; Unicode UAX #9 lists them).

use crate::error::{Code, Error, Result};

/// Characters that free text may not hold: every Unicode control character (C0, DEL, C1 — U+0085 included),
/// the line and paragraph separators, the bidi marks, embeddings, overrides and isolates, and the BOM.
pub fn is_forbidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'
                ..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}'
        )
}

/// Rejects text with a forbidden character, naming the field and the character's code point.
pub fn check(field: &str, value: &str) -> Result<()> {
    match value.chars().find(|c| is_forbidden(*c)) {
        None => Ok(()),
        Some(c) => Err(Error::new(
            Code::InvalidText,
            field,
            format!(
                "`{field}` holds the control or line-separator character U+{:04X}; use plain text on one line",
                c as u32
            ),
        )),
    }
}

/// `check`, plus: not blank and at most `max` characters.
pub fn check_line(field: &str, value: &str, max: usize, code: Code) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::new(code, field, format!("`{field}` must not be blank")));
    }
    if value.chars().count() > max {
        return Err(Error::new(code, field, format!("`{field}` is longer than {max} characters")));
    }
    check(field, value)
}

/// Text for a one-line comment in any export: each forbidden character is written as `\u{…}`, so nothing a
/// comment holds can end it or reorder how it is displayed.
pub fn comment(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        if is_forbidden(c) {
            out.push_str(&format!("\\u{{{:04X}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_breaks_of_every_kind_are_forbidden() {
        for c in ['\n', '\r', '\t', '\0', '\u{7F}', '\u{85}', '\u{2028}', '\u{2029}', '\u{202E}', '\u{2066}'] {
            assert!(is_forbidden(c), "U+{:04X}", c as u32);
        }
        for c in ['a', ' ', 'ü', '\'', '"', '$', '`', '\u{2019}', '€'] {
            assert!(!is_forbidden(c), "{c}");
        }
    }

    #[test]
    fn comments_escape_what_would_end_them() {
        assert_eq!(comment("a\nb\u{2028}c"), "a\\u{000A}b\\u{2028}c");
        assert_eq!(comment("plain $x 'y'"), "plain $x 'y'");
    }
}
