// Types of the scim-edge package (the same API from `node.js` and `web.js`).

/** The package version. */
export function version(): string;

// ---------------------------------------------------------------------------------------------
// Errors

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

/** An error of the SCIM engine, with its RFC 7644 §3.12 mapping. Every export throws these. */
export class ScimError extends Error {
  constructor(status: number, scimType?: ScimType, detail?: string, path?: string, position?: number);
  readonly name: 'ScimError';
  /** HTTP status: 400 for client mistakes, 404, 409 (uniqueness), 412, … */
  readonly status: number;
  /** RFC 7644 §3.12 `scimType`, when the error has one. */
  readonly scimType: ScimType | undefined;
  /** Human-readable description (also the `message`). */
  readonly detail: string;
  /** The attribute path concerned (`emails[1].value`, `name.givenName`), when there is one. */
  readonly path: string | undefined;
  /** For filter and path syntax errors: index in the text (a JS string index) where it failed. */
  readonly position: number | undefined;
}

// ---------------------------------------------------------------------------------------------
// Resources and schemas (RFC 7643)

/** A JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A SCIM resource: a JSON object with `schemas`, attributes, and extension objects under their URN. */
export interface ScimResource {
  schemas?: string[];
  id?: string;
  externalId?: string;
  meta?: {
    resourceType?: string;
    created?: string;
    lastModified?: string;
    location?: string;
    version?: string;
  };
  [attribute: string]: JsonValue | undefined;
}

/** The data types of RFC 7643 §2.3. */
export type AttributeType =
  | 'string'
  | 'boolean'
  | 'decimal'
  | 'integer'
  | 'dateTime'
  | 'binary'
  | 'reference'
  | 'complex';

/** An attribute definition (RFC 7643 §7); omitted characteristics take their RFC defaults. */
export interface AttributeDefinition {
  name: string;
  type: AttributeType;
  multiValued?: boolean;
  description?: string;
  required?: boolean;
  caseExact?: boolean;
  mutability?: 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
  returned?: 'always' | 'never' | 'default' | 'request';
  uniqueness?: 'none' | 'server' | 'global';
  canonicalValues?: string[];
  referenceTypes?: string[];
  subAttributes?: AttributeDefinition[];
  /** Extension: reject values outside `canonicalValues`. */
  strictCanonical?: boolean;
}

/** A schema definition as `/Schemas` serves it (RFC 7643 §7). */
export interface SchemaDefinition {
  /** The schema URN, e.g. `urn:ietf:params:scim:schemas:core:2.0:User`. */
  id: string;
  name?: string;
  description?: string;
  attributes: AttributeDefinition[];
}

/** A resource type as `/ResourceTypes` serves it (RFC 7643 §6). */
export interface ResourceTypeDefinition {
  id: string;
  name: string;
  /** Endpoint relative to the base URL, e.g. `/Users`. */
  endpoint: string;
  description?: string;
  /** URN of the core schema. */
  schema: string;
  schemaExtensions?: { schema: string; required?: boolean }[];
}

/** The built-in resource types; custom ones are any other string a registry knows. */
export type ResourceTypeName = 'User' | 'Group' | (string & {});

/** Schemas and resource types: the RFC 7643 built-ins, plus custom ones when loaded. */
export class SchemaRegistry {
  /** The built-in registry: User (with the EnterpriseUser extension) and Group. */
  constructor();
  /** Every schema, built-in first. */
  readonly schemas: SchemaDefinition[];
  /** Every resource type. */
  readonly resourceTypes: ResourceTypeDefinition[];
  /** The schema with this URN (case-insensitive). */
  schema(id: string): SchemaDefinition | undefined;
  /** The resource type with this id or name (case-insensitive). */
  resourceType(name: string): ResourceTypeDefinition | undefined;
  /** Same as the top-level {@link validate}, with this registry. */
  validate(resource: unknown, options?: ValidateOptions): ValidationResult;
  /** Same as the top-level {@link compileFilter}, with this registry. */
  compileFilter(text: string, options?: FilterOptions): Filter;
  /** Releases the wasm memory now instead of at garbage collection. */
  free(): void;
  [Symbol.dispose](): void;
}

/** Options every operation takes. */
export interface RegistryOptions {
  /** The registry to use; the built-in one (User, Group, EnterpriseUser) by default. */
  registry?: SchemaRegistry;
  /** The resource type the resource or filter is about; `'User'` by default. */
  resourceType?: ResourceTypeName;
}

// ---------------------------------------------------------------------------------------------
// Validation (RFC 7643)

/** Options of {@link validate}. */
export type ValidateOptions = RegistryOptions & {
  /**
   * Accept what sloppy clients send: unknown attributes and `schemas` entries are dropped, a
   * missing `schemas` is supplied, a single value is wrapped where an array is expected,
   * `"True"`/`"false"` strings become booleans, numbers for string attributes become strings.
   */
  lenient?: boolean;
} & (
    | { /** A new resource (POST); the default. */ mode?: 'create'; existing?: undefined }
    | {
        /** A replacement (PUT): immutable attributes must keep the existing values. */
        mode: 'replace';
        /** The stored resource being replaced. */
        existing: ScimResource;
      }
  );

/** One violation found by {@link validate}. */
export interface ValidationError {
  /**
   * Where: `userName`, `name.givenName`, `emails[1].value`, `schemas[0]`, or
   * `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value`. Absent when the
   * whole body is wrong (not an object).
   */
  path?: string;
  /** `invalidValue`, `mutability`, or `invalidSyntax` (body not a JSON object). */
  scimType: ScimType;
  /** What is wrong. */
  detail: string;
  /** The HTTP status a SCIM service answers with (400). */
  status: number;
}

/** The outcome of {@link validate}. */
export type ValidationResult =
  | {
      valid: true;
      errors: [];
      /**
       * The resource as the engine stores it: canonical attribute names, extension objects under
       * their URN, `schemas` rebuilt, readOnly attributes (`id`, `meta`, …) and unassigned values
       * dropped; values otherwise exactly as sent.
       */
      resource: ScimResource;
    }
  | { valid: false; errors: ValidationError[]; resource?: undefined };

/**
 * Validates a resource against its resource type's schemas (User, Group, EnterpriseUser or
 * custom). Violations are returned, not thrown; a {@link ScimError} is thrown only for invalid
 * options (unknown `resourceType`, `mode: 'replace'` without `existing`).
 */
export function validate(resource: unknown, options?: ValidateOptions): ValidationResult;

// ---------------------------------------------------------------------------------------------
// Filters (RFC 7644 §3.4.2.2)

/** Options of {@link compileFilter}. */
export interface FilterOptions extends RegistryOptions {
  /**
   * Accept Microsoft Entra ID's quirks: unquoted values (`externalId eq jyoung`) and
   * `emails[type eq "work"].value eq "x"`. Strict RFC 7644 syntax by default.
   */
  lenient?: boolean;
  /** Treat unknown attributes as absent instead of throwing `invalidFilter`. */
  lenientUnknown?: boolean;
}

/**
 * A filter compiled once for a resource type. Resources are read with attribute names in
 * their canonical (schema) case, as `validate`, `applyPatch` and `ScimService` return them.
 */
export class Filter {
  private constructor();
  /** Whether `resource` satisfies the filter (`false` for anything but an object). */
  matches(resource: unknown): boolean;
  /** The resources that satisfy the filter: the same objects, in their order. */
  filter<T extends object>(resources: readonly T[]): T[];
  /** The filter in canonical RFC 7644 text; compiling it again gives the same filter. */
  toString(): string;
  /** Releases the wasm memory now instead of at garbage collection. */
  free(): void;
  [Symbol.dispose](): void;
}

/**
 * Parses and compiles a SCIM filter. Throws a {@link ScimError} (`invalidFilter`, with
 * `position`) for a syntax error, an unknown attribute or a comparison RFC 7644 forbids.
 */
export function compileFilter(text: string, options?: FilterOptions): Filter;
