//! Reading plain JSON input (requests, catalogs, plans, run reports) with the offending field's path in every
//! error. Written by hand rather than derived: serde's derived deserializers, monomorphised per type, were most
//! of the Wasm's size, and this way every message can say what is allowed.

use serde_json::{Map, Value};

use crate::error::{Code, Error, Result};

/// A value and where it sits in the input, e.g. `components[2].permissions[0]`.
#[derive(Clone, Copy)]
pub struct Node<'a> {
    pub value: &'a Value,
    path: &'a str,
    /// What the whole document is called (`request`, `catalog`…), for errors about the document itself.
    root: &'a str,
}

fn describe(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

pub fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}.{key}")
    }
}

impl<'a> Node<'a> {
    pub fn new(value: &'a Value, path: &'a str) -> Self {
        Node { value, path, root: "" }
    }

    pub fn path(&self) -> &str {
        if self.path.is_empty() {
            self.root
        } else {
            self.path
        }
    }

    fn field(&self) -> String {
        self.path().to_string()
    }

    pub fn wrong(&self, expected: &str) -> Error {
        Error::new(
            Code::InvalidInput,
            self.field(),
            format!("`{}` must be {expected}, got {}", self.path(), describe(self.value)),
        )
    }

    pub fn string(&self) -> Result<String> {
        self.value.as_str().map(str::to_string).ok_or_else(|| self.wrong("a string"))
    }

    pub fn boolean(&self) -> Result<bool> {
        self.value.as_bool().ok_or_else(|| self.wrong("true or false"))
    }

    pub fn whole_number(&self) -> Result<u32> {
        self.value.as_u64().and_then(|n| u32::try_from(n).ok()).ok_or_else(|| self.wrong("a whole number ≥ 0"))
    }

    pub fn list(&self) -> Result<&'a Vec<Value>> {
        self.value.as_array().ok_or_else(|| self.wrong("a list"))
    }

    /// An object whose other fields are ignored (for documents that carry more than we read, like run reports).
    pub fn fields(&self) -> Result<Fields<'a>> {
        let map = self.value.as_object().ok_or_else(|| self.wrong("an object"))?;
        Ok(Fields { map, path: self.path })
    }

    /// An object whose keys are all in `allowed`; anything else is named as an unknown field.
    pub fn object(&self, allowed: &[&str]) -> Result<Fields<'a>> {
        let map = self.value.as_object().ok_or_else(|| self.wrong("an object"))?;
        if let Some(key) = map.keys().find(|k| !allowed.contains(&k.as_str())) {
            let field = join(self.path, key);
            return Err(Error::new(
                Code::UnknownField,
                field.clone(),
                format!("`{field}` is not a known field; allowed here: {}", allowed.join(", ")),
            ));
        }
        Ok(Fields { map, path: self.path })
    }
}

/// The fields of an object; missing and `null` both mean "not given".
pub struct Fields<'a> {
    map: &'a Map<String, Value>,
    path: &'a str,
}

impl<'a> Fields<'a> {
    pub fn path(&self, key: &str) -> String {
        join(self.path, key)
    }

    pub fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    pub fn missing(&self, key: &str) -> Error {
        let field = self.path(key);
        Error::new(Code::InvalidInput, field.clone(), format!("`{field}` is required"))
    }

    /// Runs `read` on the field's value, if given.
    pub fn opt<T>(&self, key: &str, read: impl FnOnce(Node) -> Result<T>) -> Result<Option<T>> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => {
                let path = self.path(key);
                read(Node::new(v, &path)).map(Some)
            }
        }
    }

    pub fn req<T>(&self, key: &str, read: impl FnOnce(Node) -> Result<T>) -> Result<T> {
        self.opt(key, read)?.ok_or_else(|| self.missing(key))
    }

    pub fn string(&self, key: &str) -> Result<String> {
        self.req(key, |n| n.string())
    }

    pub fn opt_string(&self, key: &str) -> Result<Option<String>> {
        self.opt(key, |n| n.string())
    }

    pub fn boolean(&self, key: &str) -> Result<bool> {
        self.req(key, |n| n.boolean())
    }

    pub fn opt_bool(&self, key: &str) -> Result<Option<bool>> {
        self.opt(key, |n| n.boolean())
    }

    pub fn opt_number(&self, key: &str) -> Result<Option<u32>> {
        self.opt(key, |n| n.whole_number())
    }

    /// A list, each item read with its own indexed path.
    pub fn list<T>(&self, key: &str, read: impl Fn(Node) -> Result<T>) -> Result<Vec<T>> {
        self.opt_list(key, read)?.ok_or_else(|| self.missing(key))
    }

    pub fn opt_list<T>(&self, key: &str, read: impl Fn(Node) -> Result<T>) -> Result<Option<Vec<T>>> {
        self.opt(key, |n| items(n, read))
    }

    pub fn strings(&self, key: &str) -> Result<Vec<String>> {
        Ok(self.opt_list(key, |n| n.string())?.unwrap_or_default())
    }

    /// An object used as a map from its keys to values read by `read`.
    pub fn opt_map<T>(&self, key: &str, read: impl Fn(Node) -> Result<T>) -> Result<Option<Vec<(String, T)>>> {
        self.opt(key, |n| entries(n, &read))
    }
}

/// Compiled once per value type, and small: the loop is `each_entry`'s.
#[inline(never)]
fn entries<T>(n: Node, read: &dyn Fn(Node) -> Result<T>) -> Result<Vec<(String, T)>> {
    let mut out = Vec::new();
    each_entry(n, &mut |k, v| {
        out.push((k.to_string(), read(v)?));
        Ok(())
    })?;
    Ok(out)
}

/// The loop of `entries`, compiled once for every value type: each value is handed on rather than returned.
#[inline(never)]
fn each_entry(n: Node, take: &mut dyn FnMut(&str, Node) -> Result<()>) -> Result<()> {
    let map = n.value.as_object().ok_or_else(|| n.wrong("an object"))?;
    for (k, v) in map {
        let path = join(n.path, k);
        take(k, Node::new(v, &path))?;
    }
    Ok(())
}

pub fn items<T>(node: Node, read: impl Fn(Node) -> Result<T>) -> Result<Vec<T>> {
    each(node, &read)
}

/// Compiled once per item type rather than once per reader (the readers are called through `dyn`), and small:
/// the loop is `each_item`'s.
#[inline(never)]
fn each<T>(node: Node, read: &dyn Fn(Node) -> Result<T>) -> Result<Vec<T>> {
    let mut out = Vec::new();
    each_item(node, &mut |n| {
        out.push(read(n)?);
        Ok(())
    })?;
    Ok(out)
}

/// The loop of `items`, compiled once for every item type: each item is handed on rather than returned.
#[inline(never)]
fn each_item(node: Node, take: &mut dyn FnMut(Node) -> Result<()>) -> Result<()> {
    for (i, v) in node.list()?.iter().enumerate() {
        let path = format!("{}[{i}]", node.path);
        take(Node::new(v, &path))?;
    }
    Ok(())
}

/// Reads a whole document called `root`; `read` gets the top-level node.
pub fn read<'a, T>(value: &'a Value, root: &'a str, read: impl FnOnce(Node<'a>) -> Result<T>) -> Result<T> {
    read(Node { value, path: "", root })
}
