//! Redirect URI rules, as Microsoft documents them for Entra apps ("Redirect URI (reply URL) restrictions and
//! limitations", learn.microsoft.com/entra/identity-platform/reply-url): https only, except http on loopback;
//! at most 256 characters; the characters ! $ ' ( ) , ; are not supported; no fragment.

use crate::error::{Code, Error, Result};

pub const MAX_URI_LEN: usize = 256;
/// Per app, for AzureADMyOrg (same Microsoft page).
pub const MAX_URIS_PER_APP: usize = 256;
const FORBIDDEN: [char; 7] = ['!', '$', '\'', '(', ')', ',', ';'];

pub fn check(uri: &str, field: &str) -> Result<()> {
    let fail = |why: String| Err(Error::new(Code::InvalidRedirectUri, field, format!("`{field}`: {why}")));
    if uri.len() > MAX_URI_LEN {
        return fail(format!("a redirect URI may be at most {MAX_URI_LEN} characters; this one has {}", uri.len()));
    }
    if let Some(c) = uri.chars().find(|c| FORBIDDEN.contains(c)) {
        return fail(format!("the character '{c}' is not supported in redirect URIs (nor any of ! $ ' ( ) , ;)"));
    }
    if uri.contains('#') {
        return fail("a redirect URI may not contain a fragment ('#…')".to_string());
    }
    if uri.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return fail("a redirect URI may not contain spaces or control characters".to_string());
    }
    let lower = uri.to_ascii_lowercase();
    let (secure, rest) = if let Some(rest) = lower.strip_prefix("https://") {
        (true, rest)
    } else if let Some(rest) = lower.strip_prefix("http://") {
        (false, rest)
    } else {
        return fail(format!("{uri:?} must start with https:// (http:// only for localhost or 127.0.0.1)"));
    };
    let authority = rest.split(['/', '?']).next().unwrap_or("");
    if authority.contains('@') {
        return fail("a redirect URI may not carry user information ('user@host')".to_string());
    }
    let host = match authority.rsplit_once(':') {
        Some((host, port)) if port.chars().all(|c| c.is_ascii_digit()) => host,
        _ => authority,
    };
    if host.is_empty() {
        return fail(format!("{uri:?} has no host"));
    }
    if !secure && host != "localhost" && host != "127.0.0.1" {
        return fail(format!("{uri:?} uses http://; only https:// is allowed, except for localhost and 127.0.0.1"));
    }
    Ok(())
}
