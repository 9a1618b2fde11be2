//! Microsoft's published tables the whole crate reads: directory roles by template id with what each may grant
//! (`roles.rs`), and the least delegated scopes each Graph call needs (`scopes.rs`). Ground floor: the engine
//! (refusals, pre-flight, the scope stop), the exports (who may consent) and the token reader (what a token can do)
//! read them, and they import nothing of the crate.

pub mod roles;
pub mod scopes;
