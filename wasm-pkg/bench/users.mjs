// Deterministic generator of SCIM users for the Node comparison bench: the same seed gives the
// same users, byte for byte, on every machine.

export const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

const GIVEN = ['Liam', 'Olivia', 'Noah', 'Emma', 'Wei', 'Aiko', 'Mateo', 'Sofia', 'Arjun', 'Chloe', 'Jonas', 'Fatima', 'Kwame', 'Ingrid', 'Diego', 'Mei'];
const FAMILY = ['Kowalski', 'Smith', 'Li', 'Tanaka', 'Garcia', 'Okafor', 'Müller', 'Andersen', 'Patel', 'Dubois', 'Rossi', 'Nguyen', 'Alvarez', 'Kim', 'Brown', 'Ivanova'];
const TITLES = ['Engineer', 'Senior Engineer', 'Designer', 'Sales Manager', 'Product Manager', 'Engineering Lead', 'Accountant', null];
const TYPES = ['Employee', 'Employee', 'Employee', 'Contractor', 'Intern'];
const DEPARTMENTS = ['Sales', 'Engineering', 'Support', 'Marketing', 'Finance'];
const DOMAINS = ['example.com', 'Example.COM', 'example.org'];
const OFFSETS = ['Z', 'Z', '+02:00', '-05:00', '+05:30'];

/** A small fast PRNG (mulberry32): uniform floats in [0, 1) from a 32-bit seed. */
export function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n, w) => String(n).padStart(w, '0');

/** An RFC 3339 date-time in 2024 with one of several offsets (the same instant rules apply). */
function timestamp(rnd) {
  const month = 1 + Math.floor(rnd() * 12);
  const day = 1 + Math.floor(rnd() * 28);
  const hour = Math.floor(rnd() * 24);
  const minute = Math.floor(rnd() * 60);
  const offset = OFFSETS[Math.floor(rnd() * OFFSETS.length)];
  return `2024-${pad(month, 2)}-${pad(day, 2)}T${pad(hour, 2)}:${pad(minute, 2)}:00${offset}`;
}

/** The id of user `i`: a UUID-shaped string. */
export function userId(i) {
  return `2819c223-7f76-453a-919d-${pad(i.toString(16), 12)}`;
}

/** `n` users in canonical attribute case, about 1 KB of JSON each. */
export function generateUsers(n, seed = 7643) {
  const rnd = random(seed);
  const pick = (list) => list[Math.floor(rnd() * list.length)];
  const users = [];
  for (let i = 0; i < n; i++) {
    const given = pick(GIVEN);
    const family = pick(FAMILY);
    const handle = `${given}.${family}${i}`;
    const domain = pick(DOMAINS);
    const created = timestamp(rnd);
    const user = {
      schemas: [USER, ENTERPRISE],
      id: userId(i),
      externalId: `EXT-${pad(i, 6)}`,
      userName: `${handle}@${domain}`,
      name: { formatted: `${given} ${family}`, familyName: family, givenName: given },
      displayName: `${given} ${family}`,
      userType: pick(TYPES),
      active: rnd() < 0.7,
      emails: [{ value: `${handle}@${domain}`, type: 'work', primary: true }],
      phoneNumbers: [
        { value: `+1 555 ${pad(i % 10000, 4)}`, type: 'work' },
        { value: `+1 555 9${pad(i % 1000, 3)}`, type: 'mobile' },
      ],
      [ENTERPRISE]: {
        employeeNumber: String(100000 + i),
        department: pick(DEPARTMENTS),
        manager: { value: userId(Math.floor(i / 10)) },
      },
      meta: {
        resourceType: 'User',
        created,
        lastModified: timestamp(rnd),
        version: `W/"${1 + (i % 7)}"`,
        location: `https://example.com/scim/v2/Users/${userId(i)}`,
      },
    };
    const title = pick(TITLES);
    if (title !== null) user.title = title;
    if (rnd() < 0.3) user.emails.push({ value: `${given.toLowerCase()}${i}@mail.test`, type: 'home' });
    users.push(user);
  }
  return users;
}
