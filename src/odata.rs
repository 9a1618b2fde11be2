//! OData string literals: a single quote inside a literal is written twice (OData v4 URL conventions, §5.1.1.1.1
//! "primitive literals"), so a key or display name can never break out of `uniqueName='…'` or a `$filter`.

pub fn escape(literal: &str) -> String {
    literal.replace('\'', "''")
}

#[cfg(test)]
mod tests {
    #[test]
    fn quotes_are_doubled() {
        assert_eq!(super::escape("o'neil"), "o''neil");
        assert_eq!(super::escape("plain"), "plain");
    }
}
