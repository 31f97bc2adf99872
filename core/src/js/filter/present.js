// Own properties only (for-in also lists enumerable ones a polluted Object.prototype adds).
const hasOwn = Object.hasOwn ?? ((o, k) => OP.hasOwnProperty.call(o, k));
// RFC 7643 §2.5 presence, as core's `is_present`: null, "", [] and {} (and containers holding
// only such values, up to depth 4) are unassigned.
function present(v, d) {
  switch (typeof v) {
    case 'string':
      return v === '' ? false : wf(v) ? true : U;
    case 'boolean':
      return true;
    case 'number':
      return v - v === 0;
    case 'object': {
      if (v === null) return false;
      let u = false;
      if (Array.isArray(v)) {
        if (v.toJSON !== U) return U;
        if (d >= 4) return v.length > 0;
        for (let i = 0; i < v.length; i++) {
          const x = present(v[i], d + 1);
          if (x === true) return true;
          if (x === U) u = true;
        }
        return u ? U : false;
      }
      if (obj(v) !== true) return U;
      for (const k in v) {
        if (!hasOwn(v, k)) return U;
        const x = d >= 4 ? kept(v[k]) : present(v[k], d + 1);
        if (x === true) return true;
        if (x === U) u = true;
      }
      return u ? U : false;
    }
    case 'bigint':
      return U;
    default:
      return false;
  }
}
// Whether stringify writes a property holding `v` (U when it could drop it through toJSON).
function kept(v) {
  switch (typeof v) {
    case 'object':
      return v === null || obj(v) !== U ? true : U;
    case 'bigint':
      return U;
    case 'undefined':
    case 'function':
    case 'symbol':
      return false;
    default:
      return true;
  }
}
function pr(v) {
  return present(v, 0);
}
