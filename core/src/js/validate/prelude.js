  // Helpers of every emitted create-validator (scim_core::js::validate). A checker returns
  // the normalised value, null for an unassigned one (null, [], {}), undefined to leave the
  // body to core.
  if (typeof "".isWellFormed !== "function") return () => undefined;
  const OP = Object.prototype, proto = Object.getPrototypeOf, isArray = Array.isArray;
  // Never given a member: `for (const _ in EMPTY)` finds a member only when Object.prototype
  // has an enumerable one, which for…in over a body would visit too (the body goes to core).
  const EMPTY = {};
  // Makes the output resource: a plain object (its prototype is Object.prototype, it has no
  // own member) that V8 allocates with room for about ten members in the object, where `{}`
  // has four, so the resource's members need no separate property store.
  function Out() {}
  Out.prototype = OP;
  const ASCII = /^[\x00-\x7f]*$/;
  // A character outside Unicode White_Space (what Rust's str::trim removes): not blank.
  const SOLID = /[^\t-\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;
  // Whether a string is not blank as Rust's str::trim sees it (ASCII fast path first).
  function solid(s) {
    const c = s.charCodeAt(0);
    return (c > 32 && c < 127) || SOLID.test(s);
  }
  const B64 = /^[A-Za-z0-9+\/]*={0,2}$/;
  const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  // The two ASCII digits at i as a number, or -1.
  function d2(s, i) {
    const a = s.charCodeAt(i) - 48, b = s.charCodeAt(i + 1) - 48;
    return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
  }
  // RFC 3339 date-time as core checks it (formats.rs is_date_time).
  function dateTime(s) {
    if (s.length < 20) return false;
    const yh = d2(s, 0), yl = d2(s, 2), mo = d2(s, 5), d = d2(s, 8);
    const h = d2(s, 11), mi = d2(s, 14), se = d2(s, 17);
    if (yh < 0 || yl < 0 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 60) return false;
    if (mo < 1 || mo > 12 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return false;
    if ((s.charCodeAt(10) | 32) !== 116 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return false;
    const y = yh * 100 + yl;
    if (d > (mo === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : DAYS[mo])) return false;
    let i = 19;
    if (s.charCodeAt(i) === 46) {
      let j = i + 1;
      for (let c = s.charCodeAt(j); c >= 48 && c <= 57; c = s.charCodeAt(++j));
      if (j === i + 1) return false;
      i = j;
    }
    const c = s.charCodeAt(i);
    if ((c | 32) === 122) return s.length === i + 1;
    if (c !== 43 && c !== 45) return false;
    const oh = d2(s, i + 1), om = d2(s, i + 4);
    return s.length === i + 6 && s.charCodeAt(i + 3) === 58 && oh >= 0 && oh < 24 && om >= 0 && om < 60;
  }
  // base64 with the standard alphabet and padding (formats.rs is_base64).
  function base64(s) {
    return s.length % 4 === 0 && B64.test(s);
  }
  // A boolean sent as a string (lenient mode), or undefined.
  function boolText(s) {
    if (s.length > 5 || !ASCII.test(s)) return undefined;
    const l = s.toLowerCase();
    return l === "true" ? true : l === "false" ? false : undefined;
  }
  // Whether a value core drops unseen reaches it at all: JSON.stringify keeps it and serde_json
  // reads it back (no BigInt, no lone surrogate, no toJSON, no cycle).
  function inert(v, depth) {
    if (typeof v === "string") return v.isWellFormed();
    if (typeof v !== "object") return typeof v !== "bigint";
    if (v === null) return true;
    if (depth > 32) return false;
    if (isArray(v)) {
      for (let i = 0; i < v.length; i++) if (!inert(v[i], depth + 1)) return false;
      return true;
    }
    if (proto(v) !== OP) return false;
    for (const k in v) {
      if (k === "toJSON" || !k.isWellFormed() || !inert(v[k], depth + 1)) return false;
    }
    return true;
  }
