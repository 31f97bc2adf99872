//! Attribute paths of violations, kept on the stack and rendered only when an error is made.
//!
//! Rendering: `name.sub`, `emails[1].value`, `urn:…:User:manager.value`, `schemas[0]`.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

/// One step of a path.
#[derive(Clone, Copy)]
pub(crate) enum Seg<'a> {
    /// A schema URN (extension objects).
    Urn(&'a str),
    /// An attribute or sub-attribute name.
    Name(&'a str),
    /// A position in a multi-valued attribute.
    Index(usize),
}

/// A path: a segment and the path it extends.
#[derive(Clone, Copy)]
pub(crate) struct Path<'a> {
    seg: Seg<'a>,
    parent: Option<&'a Path<'a>>,
}

impl<'a> Path<'a> {
    /// A path of one segment.
    pub(crate) fn root(seg: Seg<'a>) -> Path<'a> {
        Path { seg, parent: None }
    }

    /// The optional parent extended by `seg`.
    pub(crate) fn under(parent: Option<&'a Path<'a>>, seg: Seg<'a>) -> Path<'a> {
        Path { seg, parent }
    }

    /// This path extended by `seg`.
    pub(crate) fn child(&'a self, seg: Seg<'a>) -> Path<'a> {
        Path {
            seg,
            parent: Some(self),
        }
    }

    /// The text form described in the module documentation.
    pub(crate) fn render(&self) -> String {
        let mut segs = Vec::new();
        let mut at = Some(self);
        while let Some(p) = at {
            segs.push(p.seg);
            at = p.parent;
        }
        let mut out = String::new();
        let mut prev: Option<Seg<'_>> = None;
        for seg in segs.into_iter().rev() {
            match (prev, seg) {
                (_, Seg::Index(i)) => out.push_str(&format!("[{i}]")),
                (None, Seg::Urn(s) | Seg::Name(s)) => out.push_str(s),
                (Some(Seg::Urn(_)), Seg::Urn(s) | Seg::Name(s)) => {
                    out.push(':');
                    out.push_str(s);
                }
                (Some(_), Seg::Urn(s) | Seg::Name(s)) => {
                    out.push('.');
                    out.push_str(s);
                }
            }
            prev = Some(seg);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_names_indexes_and_urns() {
        let emails = Path::root(Seg::Name("emails"));
        let first = emails.child(Seg::Index(1));
        assert_eq!(first.child(Seg::Name("value")).render(), "emails[1].value");
        let urn = Path::root(Seg::Urn("urn:x:User"));
        let manager = urn.child(Seg::Name("manager"));
        assert_eq!(
            manager.child(Seg::Name("value")).render(),
            "urn:x:User:manager.value"
        );
        let name = Path::under(None, Seg::Name("name"));
        assert_eq!(
            name.child(Seg::Name("givenName")).render(),
            "name.givenName"
        );
    }
}
