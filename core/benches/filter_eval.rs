//! Filter evaluation throughput: 8 representative filters over 10 000 generated users.
//!
//! Run with `cargo bench -p scim-core --bench filter_eval`; results are printed and written to
//! `bench-results/filter_eval.txt` at the repository root. `FILTER_EVAL_ONLY=<text>` runs only
//! the filters containing `<text>` and writes nothing.

use std::alloc::{GlobalAlloc, Layout, System};
use std::fmt::Write as _;
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use scim_core::query::{
    compile, parse_filter, Collection, CompileOptions, CompiledFilter, ParseOptions,
};
use scim_core::schema::Registry;
use serde_json::{json, Value};

const USERS: usize = 10_000;
const HOT_USERS: usize = 64;
const MIN_TIME: Duration = Duration::from_millis(300);
const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/// The system allocator, counting the bytes currently allocated (to measure memory per user).
struct Counting;

static ALLOCATED: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded unchanged to the system allocator.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATED.fetch_add(layout.size(), Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        ALLOCATED.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATED.fetch_add(new_size, Ordering::Relaxed);
        ALLOCATED.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocated() -> usize {
    ALLOCATED.load(Ordering::Relaxed)
}

/// xorshift64*: deterministic, dependency-free.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

const GIVEN: &[&str] = &[
    "Barbara", "Alice", "Émile", "Jonas", "Priya", "Wei", "Olga", "Kwame", "Sofía", "Liam", "Noah",
    "Ava", "Mateo", "Yuki", "Fatima", "Lars", "Chloé", "Omar", "Ingrid", "Ravi",
];
const FAMILY: &[&str] = &[
    "Jensen",
    "Anderson",
    "Okafor",
    "Müller",
    "García",
    "Nakamura",
    "Smith",
    "Abbott",
    "O'Malley",
    "Kowalski",
    "Nguyen",
    "Andersson",
    "Rossi",
    "Haddad",
    "Petrov",
    "Singh",
    "Brown",
    "Álvarez",
    "Li",
    "Dubois",
];
const TITLES: &[&str] = &[
    "Software Engineer",
    "Engineering Manager",
    "Tour Guide",
    "Account Executive",
    "Data Scientist",
    "Product Manager",
    "Site Reliability Engineer",
    "Designer",
    "Recruiter",
    "Support Engineer",
];
const USER_TYPES: &[&str] = &["Employee", "Contractor", "Intern", "Employee", "Employee"];
const DOMAINS: &[&str] = &[
    "example.com",
    "example.org",
    "mail.test",
    "corp.example.com",
];
const OFFSETS: &[&str] = &["Z", "+02:00", "-07:00", "+05:30", "z"];

fn timestamp(rng: &mut Rng) -> String {
    let year = 2023 + rng.below(3);
    let month = 1 + rng.below(12);
    let day = 1 + rng.below(28);
    let (h, m, s) = (rng.below(24), rng.below(60), rng.below(60));
    let fraction = match rng.below(3) {
        0 => String::new(),
        1 => format!(".{:03}", rng.below(1000)),
        _ => format!(".{:07}", rng.below(10_000_000)),
    };
    let offset = rng.pick(OFFSETS);
    format!("{year}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}{fraction}{offset}")
}

fn user(rng: &mut Rng, n: usize) -> Value {
    let given = rng.pick(GIVEN);
    let family = rng.pick(FAMILY);
    let login = format!("{}.{}{n}", given.to_lowercase(), family.to_lowercase());
    let mut emails = Vec::new();
    for (i, kind) in ["work", "home", "other"]
        .iter()
        .take(1 + rng.below(3) as usize)
        .enumerate()
    {
        let domain = rng.pick(DOMAINS);
        emails.push(json!({"value": format!("{login}@{domain}"), "type": kind, "primary": i == 0}));
    }
    let mut u = json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "id": format!("{:016x}", rng.next()),
        "externalId": format!("EXT-{n:06}"),
        "userName": format!("{login}@example.com"),
        "name": {"givenName": given, "familyName": family, "formatted": format!("{given} {family}")},
        "displayName": format!("{given} {family}"),
        "userType": rng.pick(USER_TYPES),
        "active": rng.chance(85),
        "emails": emails,
        "phoneNumbers": [{"value": format!("+1 555 {:04}", rng.below(10_000)), "type": "work"}],
        "meta": {
            "resourceType": "User",
            "created": "2023-01-01T00:00:00Z",
            "lastModified": timestamp(rng),
            "version": format!("W/\"{}\"", rng.below(100)),
        },
    });
    if rng.chance(70) {
        u["title"] = json!(rng.pick(TITLES));
    }
    if rng.chance(50) {
        if let Some(schemas) = u["schemas"].as_array_mut() {
            schemas.push(json!(ENTERPRISE));
        }
        u[ENTERPRISE] = json!({"employeeNumber": format!("{n}"), "department": rng.pick(&["R&D", "Sales", "Ops"])});
    }
    u
}

fn compiled(reg: &Registry, text: &str) -> (CompiledFilter, Duration) {
    let rt = reg.resource_type("User").expect("User resource type");
    let start = Instant::now();
    let rounds = 1000;
    let mut last = None;
    for _ in 0..rounds {
        let f = parse_filter(black_box(text), ParseOptions::LENIENT).expect("filter parses");
        last = Some(compile(&f, reg, rt, CompileOptions::default()).expect("filter compiles"));
    }
    (last.expect("compiled"), start.elapsed() / rounds)
}

fn main() {
    let mut rng = Rng(0x5C1A_ED6E_2024_0001);
    // Resources are stored as JSON text and parsed on load, as a store does.
    let texts: Vec<String> = (0..USERS).map(|n| user(&mut rng, n).to_string()).collect();
    let before_values = allocated();
    let users: Vec<Value> = texts
        .iter()
        .map(|t| serde_json::from_str(t).expect("generated JSON parses"))
        .collect();
    let value_bytes = allocated() - before_values;
    let json_bytes: usize = texts.iter().map(String::len).sum();
    drop(texts);
    let hot = &users[..HOT_USERS];
    let target = users[HOT_USERS / 2]["userName"]
        .as_str()
        .expect("userName")
        .to_owned();
    let reg = Registry::builtin();
    let user_type = reg.resource_type("User").expect("User resource type");
    let copies = users.clone();
    let before_resident = allocated();
    let (build, build_cpu) = (Instant::now(), cpu_time());
    let resident = Collection::from_values(&reg, user_type, copies).expect("users are objects");
    let build_time = match (build_cpu, cpu_time()) {
        (Some(a), Some(b)) if b > a => b - a,
        _ => build.elapsed(),
    };
    // The collection moved the copies in: what it added is its columns and id index.
    let columns_bytes = allocated() - before_resident;
    let filters = [
        format!(r#"userName eq "{}""#, target.to_uppercase()),
        "title pr".to_owned(),
        r#"emails[type eq "work" and value co "@example.com"]"#.to_owned(),
        r#"name.familyName sw "A""#.to_owned(),
        r#"meta.lastModified gt "2024-06-01T00:00:00Z""#.to_owned(),
        r#"active eq true and title co "eng""#.to_owned(),
        r#"not (userType eq "Employee" or emails.type eq "home")"#.to_owned(),
        r#"userName eq "nobody@example.com" or externalId eq "EXT-000042" or displayName eq "Wei Li" or title eq "Designer" or emails.value ew "@mail.test""#.to_owned(),
    ];
    let mut report = String::new();
    let _ = writeln!(
        report,
        "filter_eval: evaluations per second of CPU time (native, bench profile)\n\
         all: {USERS} generated users ({} KB of JSON), read from memory on each pass\n\
         hot: the first {HOT_USERS} of them, which stay in the CPU caches\n\
         resident: all {USERS} users in a query::resident::Collection, Collection::count\n\
         compile: parse + compile of the filter text\n\
         memory per user: JSON text {} B, serde_json::Value {} B, resident columns and id index {} B \
         (+ the Values it keeps); building the collection: {:.0} ns of CPU per user\n\
         load average when started: {} (CPU-time rates still suffer from shared caches)\n",
        json_bytes / 1024,
        json_bytes / USERS,
        value_bytes / USERS,
        columns_bytes / USERS,
        build_time.as_secs_f64() * 1e9 / USERS as f64,
        std::fs::read_to_string("/proc/loadavg")
            .ok()
            .and_then(|l| l.split_whitespace().next().map(str::to_owned))
            .unwrap_or_else(|| "unknown".to_owned())
    );
    let _ = writeln!(
        report,
        "{:>12}  {:>12}  {:>12}  {:>8}  {:>9}  filter",
        "all/s", "hot/s", "resident/s", "matches", "compile"
    );
    // FILTER_EVAL_ONLY=<text>: only the filters containing <text>, results not written.
    let only = std::env::var("FILTER_EVAL_ONLY").ok();
    for text in filters
        .iter()
        .filter(|t| only.as_deref().is_none_or(|o| t.contains(o)))
    {
        let (f, compile_time) = compiled(&reg, text);
        let matches = users.iter().filter(|u| f.matches(u)).count();
        assert_eq!(resident.count(&f), matches, "resident count of {text}");
        let _ = writeln!(
            report,
            "{:>12}  {:>12}  {:>12}  {matches:>8}  {:>7.1}µs  {text}",
            group_thousands(rate(&f, &users)),
            group_thousands(rate(&f, hot)),
            group_thousands(resident_rate(&f, &resident)),
            compile_time.as_secs_f64() * 1e6
        );
    }
    print!("{report}");
    if only.is_some() {
        return;
    }
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../bench-results");
    let written = std::fs::create_dir_all(dir)
        .and_then(|()| std::fs::write(format!("{dir}/filter_eval.txt"), &report));
    if let Err(e) = written {
        eprintln!("could not write {dir}/filter_eval.txt: {e}");
    }
}

/// Evaluations of `f` per second of CPU time over `users`, repeated for [`MIN_TIME`].
fn rate(f: &CompiledFilter, users: &[Value]) -> u64 {
    let start = Instant::now();
    let cpu_start = cpu_time();
    let mut rounds = 0u64;
    while start.elapsed() < MIN_TIME {
        for u in users {
            black_box(f.matches(black_box(u)));
        }
        rounds += 1;
    }
    let spent = match (cpu_start, cpu_time()) {
        (Some(a), Some(b)) if b > a => b - a,
        _ => start.elapsed(),
    };
    ((rounds * users.len() as u64) as f64 / spent.as_secs_f64()) as u64
}

/// Evaluations of `f` per second of CPU time over the resident collection.
fn resident_rate(f: &CompiledFilter, resident: &Collection) -> u64 {
    let start = Instant::now();
    let cpu_start = cpu_time();
    let mut rounds = 0u64;
    while start.elapsed() < MIN_TIME {
        black_box(resident.count(black_box(f)));
        rounds += 1;
    }
    let spent = match (cpu_start, cpu_time()) {
        (Some(a), Some(b)) if b > a => b - a,
        _ => start.elapsed(),
    };
    ((rounds * resident.len() as u64) as f64 / spent.as_secs_f64()) as u64
}

/// Time this thread spent on a CPU (Linux `schedstat`), so that results do not depend on
/// how busy the machine is; `None` elsewhere, where wall-clock time is used.
fn cpu_time() -> Option<Duration> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos = text.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanos))
}

fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
