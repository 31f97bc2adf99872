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
