//! JavaScript literals for values known at compile time.

use alloc::string::String;
use serde_json::Value;

/// `s` as a JavaScript string literal (JSON string syntax is valid JavaScript since ES2019).
pub(crate) fn string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| String::from("undefined"))
}

/// `v` as a JavaScript expression building an equal value (JSON is valid JavaScript).
pub(crate) fn value(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| String::from("undefined"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn literals_escape_quotes_controls_and_line_separators() {
        assert_eq!(string("a\"b\\c\n"), r#""a\"b\\c\n""#);
        assert_eq!(string("\u{2028}"), "\"\u{2028}\"");
        assert_eq!(
            value(&json!({"a": [1, null, "x"]})),
            r#"{"a":[1,null,"x"]}"#
        );
    }
}
