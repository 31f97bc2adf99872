/** The package version. */
export function version(): string;

/** An error of the SCIM engine, with its RFC 7644 §3.12 mapping. */
export class ScimError extends Error {
  readonly name: 'ScimError';
  /** HTTP status (400, 404, 409, …). */
  readonly status: number;
  /** RFC 7644 §3.12 `scimType`, when the error has one. */
  readonly scimType: ScimType | undefined;
  /** Human-readable description. */
  readonly detail: string;
  /** The attribute path concerned, when there is one. */
  readonly path: string | undefined;
  /** Byte offset in the filter or path text, for parse errors. */
  readonly position: number | undefined;
}

/** The `scimType` codes of RFC 7644 §3.12, Table 9. */
export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive';
