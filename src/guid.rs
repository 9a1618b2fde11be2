//! GUIDs as Microsoft Graph writes them: 8-4-4-4-12 hex digits. Other spellings uuid accepts (braces, urn:,
//! no hyphens) are refused so a catalog or plan never carries an id Graph would print differently.

pub fn is_guid(s: &str) -> bool {
    s.len() == 36 && uuid::Uuid::try_parse(s).is_ok()
}
