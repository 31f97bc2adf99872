//! The client quirks the PATCH engine accepts on top of RFC 7644 §3.5.2.

use crate::query::parser::ParseOptions;

/// Which non-RFC request shapes are accepted.
///
/// Each quirk accepts a shape that RFC 7644 leaves undefined or rejects, and gives it the
/// meaning Microsoft Entra ID or Okta intend, so none changes what a request written to the RFC
/// does; the only visible difference for a strict client is that [`create_missing_value`]
/// answers success where the RFC answers `noTarget`. `Default` turns on every quirk but
/// [`remove_unmatched_ok`] (an idempotent remove hides a real `noTarget`);
/// [`PatchOptions::STRICT`] turns them all off, [`PatchOptions::LENIENT`] all on.
///
/// [`create_missing_value`]: PatchOptions::create_missing_value
/// [`remove_unmatched_ok`]: PatchOptions::remove_unmatched_ok
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PatchOptions {
    /// `op` names in any case (`Add`, `Replace`, `Remove`), as Entra sends. Default on.
    pub op_any_case: bool,
    /// `"True"`/`"False"` (any case) for boolean attributes, e.g. `active` and `primary`, as Entra
    /// sends. Default on.
    pub string_booleans: bool,
    /// Keys of a path-less `add`/`replace` value that are whole paths: `"name.givenName"`,
    /// `"emails[type eq \"work\"].value"`, as Entra sends; each key is applied like an operation
    /// with that path. Default on. URN-qualified keys
    /// (`"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber"`) name a
    /// single attribute and are accepted either way.
    pub path_keys: bool,
    /// A plain string (or number) given for a single-valued complex attribute that has a `value`
    /// sub-attribute becomes `{"value": …}`: Entra sets the enterprise `manager` to its id this
    /// way. Default on.
    pub scalar_as_value: bool,
    /// `remove` on a multi-valued attribute with a `value` listing some of its values removes just
    /// those (Entra and Okta remove group members so) instead of the whole attribute. Default on.
    pub remove_listed_values: bool,
    /// `add`/`replace` on a filtered path that matches no value creates the value when the
    /// filter is made of `eq` comparisons of sub-attributes joined by `and`:
    /// `emails[type eq "work"].value` on a user without a work email adds
    /// `{"type": "work", "value": …}`, which Entra and Okta expect. Off: `noTarget`, as RFC 7644
    /// §3.5.2.3 says. Default on.
    pub create_missing_value: bool,
    /// `remove` with a filter that matches no value succeeds without a change, instead of
    /// `noTarget` (RFC 7644 §3.12). Default off: a strict client may rely on the error.
    pub remove_unmatched_ok: bool,
    /// Paths are parsed in the parser's lenient mode (e.g. unquoted filter values). Default on.
    pub lenient_paths: bool,
}

impl PatchOptions {
    /// RFC 7644 only: every quirk off.
    pub const STRICT: PatchOptions = PatchOptions {
        op_any_case: false,
        string_booleans: false,
        path_keys: false,
        scalar_as_value: false,
        remove_listed_values: false,
        create_missing_value: false,
        remove_unmatched_ok: false,
        lenient_paths: false,
    };

    /// Every quirk on, including the ones that answer success where RFC 7644 answers an error.
    pub const LENIENT: PatchOptions = PatchOptions {
        op_any_case: true,
        string_booleans: true,
        path_keys: true,
        scalar_as_value: true,
        remove_listed_values: true,
        create_missing_value: true,
        remove_unmatched_ok: true,
        lenient_paths: true,
    };

    /// The options the path parser runs with.
    pub(crate) fn parse_options(&self) -> ParseOptions {
        ParseOptions {
            lenient: self.lenient_paths,
        }
    }
}

impl Default for PatchOptions {
    fn default() -> Self {
        PatchOptions {
            op_any_case: true,
            string_booleans: true,
            path_keys: true,
            scalar_as_value: true,
            remove_listed_values: true,
            create_missing_value: true,
            remove_unmatched_ok: false,
            lenient_paths: true,
        }
    }
}
