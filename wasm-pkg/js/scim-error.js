/** An error of the SCIM engine, with its RFC 7644 §3.12 mapping. */
export class ScimError extends Error {
  constructor(status, scimType, detail, path, position) {
    super(detail);
    this.name = 'ScimError';
    this.status = status;
    this.scimType = scimType;
    this.detail = detail;
    this.path = path;
    this.position = position;
  }
}

/**
 * Thrown by a JS store to report a storage outcome the service answers for: `code` is
 * 'notFound', 'versionMismatch', 'duplicate' or 'idTaken'. Any other error is a 500.
 */
export class ScimStoreError extends Error {
  constructor(code, message = code) {
    super(message);
    this.name = 'ScimStoreError';
    this.code = code;
  }
}
