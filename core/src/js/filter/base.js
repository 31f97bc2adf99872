// Answers are true, false or U (undefined: core decides). Values are read as JSON.stringify
// would write them: undefined, functions and symbols as absent or null (core treats both alike),
// non-finite numbers as null; anything stringify could turn into another value is U.
const U = undefined;
const proto = Object.getPrototypeOf;
const OP = Object.prototype;
// Whether a string crosses into core intact (a lone surrogate makes the JSON text unreadable).
const wf = typeof ''.isWellFormed === 'function'
  ? (s) => s.isWellFormed()
  : ((lone) => (s) => !lone.test(s))(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
// true: a plain object (its own properties are what stringify writes); false: not an object in
// JSON (a primitive, null, an array); U: an object stringify could write as something else.
function obj(v) {
  if (typeof v === 'object') {
    if (v === null) return false;
    if (Array.isArray(v)) return v.toJSON === U ? false : U;
    const p = proto(v);
    return (p === OP || p === null) && v.toJSON === U ? true : U;
  }
  return typeof v === 'bigint' ? U : false;
}
// Whether a plain object would inherit `p` from Object.prototype where JSON.stringify writes
// nothing (Object.prototype's own methods read as absent, which they are for core).
function inherits(p) {
  return p !== U && typeof p !== 'function';
}
// A value of another JSON type than the one compared: false, or U when stringify could change it.
function other(v) {
  return obj(v) === U ? U : false;
}
// `f` on each element of an array, or on a single value: true when one holds (core's any).
function any(v, f) {
  if (!Array.isArray(v)) return f(v);
  if (v.toJSON !== U) return U;
  let u = false;
  for (let i = 0; i < v.length; i++) {
    const x = f(v[i]);
    if (x === true) return true;
    if (x === U) u = true;
  }
  return u ? U : false;
}
// Whether `s` is the word `w` (lowercase ASCII letters) in any ASCII case.
function lower(s, w) {
  if (s.length !== w.length) return false;
  for (let i = 0; i < w.length; i++) if ((s.charCodeAt(i) | 32) !== w.charCodeAt(i)) return false;
  return true;
}
