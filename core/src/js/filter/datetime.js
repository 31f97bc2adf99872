// RFC 3339 date-times as core's `Instant::parse`: seconds since the epoch (nanoseconds left in
// `nanos`), or NaN when `s` is not one (core: such a value matches nothing).
let nanos = 0;
function digits(s, at, len) {
  let x = 0;
  for (let i = at; i < at + len; i++) {
    const c = s.charCodeAt(i) - 48;
    if (!(c >= 0 && c <= 9)) return -1;
    x = x * 10 + c;
  }
  return x;
}
function monthDays(y, m) {
  if (m === 2) return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}
function civilDays(year, month, day) {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = month > 2 ? month - 3 : month + 9;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}
function instant(s) {
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  const second = digits(s, 17, 2);
  const t = s.charCodeAt(10);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return NaN;
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return NaN;
  if (t !== 84 && t !== 116 && t !== 32) return NaN;
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
      const oh = digits(s, at + 1, 2);
      const om = digits(s, at + 4, 2);
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
