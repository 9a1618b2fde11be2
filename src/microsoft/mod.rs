//! Microsoft's published tables the whole crate reads: directory roles by template id with what each may grant
//! (`roles.rs`), the least delegated scopes each Graph call needs (`scopes.rs`), and what an app management policy
//! allows a new client secret (`app_policy.rs`). Ground floor: the engine
//! (refusals, pre-flight, the scope stop), the exports (who may consent) and the token reader (what a token can do)
//! read them, and they import nothing of the crate.

pub mod app_policy;
pub mod roles;
pub mod scopes;
