// Nanoseconds of the last date-time `instant` read.
let nanos = 0;
// The number the two digits at `at` spell, or -1.
function d2(s, at) {
  const a = s.charCodeAt(at) - 48;
  const b = s.charCodeAt(at + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}
function monthDays(y, m) {
  if (m === 2) return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}
// Days from 1970-01-01 to a proleptic Gregorian date.
function civilDays(year, month, day) {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = month > 2 ? month - 3 : month + 9;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}
// RFC 3339 date-times as core's `Instant::parse`: seconds since the epoch (nanoseconds left in
// `nanos`), or NaN when `s` is not one (core: such a value matches nothing).
function instant(s) {
  const hi = d2(s, 0);
  const lo = d2(s, 2);
  const month = d2(s, 5);
  const day = d2(s, 8);
  const hour = d2(s, 11);
  const minute = d2(s, 14);
  const second = d2(s, 17);
  const t = s.charCodeAt(10);
  if ((hi | lo | month | day | hour | minute | second) < 0) return NaN;
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return NaN;
  if (t !== 84 && t !== 116 && t !== 32) return NaN;
  const year = hi * 100 + lo;
  if (month < 1 || month > 12 || day < 1 || day > monthDays(year, month) || hour > 23 || minute > 59 || second > 60) return NaN;
  let at = 19;
  let ns = 0;
  if (s.charCodeAt(at) === 46) {
    at++;
    const start = at;
    let scale = 1e9;
    for (;;) {
      const c = s.charCodeAt(at) - 48;
      if (!(c >= 0 && c <= 9)) break;
      if (scale > 1) {
        scale /= 10;
        ns += c * scale;
      }
      at++;
    }
    if (at === start) return NaN;
  }
  let offset = 0;
  if (at < s.length) {
    const c = s.charCodeAt(at);
    if (c === 43 || c === 45) {
      const oh = d2(s, at + 1);
      const om = d2(s, at + 4);
      if (at + 6 !== s.length || s.charCodeAt(at + 3) !== 58 || oh < 0 || om < 0 || oh > 23 || om > 59) return NaN;
      offset = (oh * 3600 + om * 60) * (c === 45 ? -1 : 1);
    } else if (!((c === 90 || c === 122) && at + 1 === s.length)) return NaN;
  }
  nanos = ns;
  return civilDays(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset;
}
// -1, 0 or 1: the date-time `s` against the instant (S, N); NaN when `s` is not a date-time.
function dt(s, S, N) {
  const x = instant(s);
  if (x !== x) return NaN;
  return x < S ? -1 : x > S ? 1 : nanos < N ? -1 : nanos > N ? 1 : 0;
}
