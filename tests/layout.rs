//! `cargo test --test layout` checks the layout: the dependency graph of the modules in `src/`
//! (one module per file, `src/bin/` left out) must have no cycle, and the stages must only use
//! earlier stages.
//!
//! - A file's module: `src/lib.rs` is the root, `src/a.rs` and `src/a/mod.rs` are `a`, `src/a/b.rs`
//!   is `a::b`.
//! - Its edges: every `crate::…` path in its code (in `use` items, brace groups included, and
//!   inline), every `super::…` path (relative to the file's module), and the `use` paths that start
//!   with a child module (in `src/lib.rs`: a top-level module). A path goes to the longest prefix of
//!   it that is a module; when the next segment is a name that module re-exports with `use` (the
//!   root's `crate::Options`, `crate::Result`, `crate::analyze`, …, or a folder's `mod.rs`), it goes
//!   on to the module that defines that name. Comments are skipped, and so is everything from a
//!   `#[cfg(test)]` (or `#[cfg(all(test, …))]`) line followed by `mod tests` to the end of the file
//!   (unit tests may drive the whole pipeline). A module's references to itself and to its own descendants (a folder's
//!   `mod.rs` re-exporting or calling its files) are not edges.
//! - No cycle: no module may reach itself through these edges.
//! - Stage order: a module's stage is its first path component (the root's is the root). An edge
//!   from one stage to another is allowed only towards a lower rank ([`RANKS`]), so e.g. `analytics`
//!   and `model` must not use each other and nothing uses a later stage. The base modules (rank 0:
//!   `error`, `options`, `calendar`, …) may use one another, as `options` returns `error::Result`
//!   (cycles among them still fail). A new top-level module needs a rank in [`RANKS`] before this
//!   test passes.
//!
//! The checker is plain std Rust; the tests at the end of this file try it on small made-up crates.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt::Write as _;
use std::path::Path;

/// Stage ranks: an edge between two stages must go to a strictly lower rank, except between two
/// base modules (rank [`BASE`]).
const RANKS: &[(&str, u32)] = &[
    ("calendar", 0),
    ("clock", 0),
    ("error", 0),
    ("options", 0),
    ("labels", 0),
    ("messages", 0),
    ("ingest", 1),
    ("inspect", 2),
    ("facts", 2),
    ("analytics", 3),
    ("model", 3),
    ("report", 4),
    ("analyzer", 5),
    ("sql", 5),
    ("compare", 6),
    ("workbook", 6),
    ("wasm", 7),
];
/// The rank of the base modules, which may use one another.
const BASE: u32 = 0;
/// The root module (`src/lib.rs`) is a stage of its own, above every other.
const ROOT_RANK: u32 = 8;

/// A module path: `[]` is the root, `["ingest", "reader"]` is `ingest::reader`.
type ModPath = Vec<String>;

fn show(m: &[String]) -> String {
    if m.is_empty() {
        "crate (lib.rs)".to_string()
    } else {
        m.join("::")
    }
}

/// The module of a file path relative to `src/` (`/`-separated), or `None` for a non-Rust file.
fn module_of(rel: &str) -> Option<ModPath> {
    let stem = rel.strip_suffix(".rs")?;
    let mut parts: Vec<String> = stem.split('/').map(str::to_string).collect();
    if parts == ["lib"] {
        return Some(Vec::new());
    }
    if parts.last().map(String::as_str) == Some("mod") {
        parts.pop();
    }
    Some(parts)
}

// ── Tokens ──────────────────────────────────────────────────────────────────────────────────────

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    PathSep,
    Punct(char),
}

/// The code of a file up to its unit tests: from a `#[cfg(test)]` line (or a `#[cfg(all(test, …))]`
/// one) whose next non-blank line starts with `mod tests`, the rest is dropped.
fn without_test_tail(src: &str) -> String {
    let lines: Vec<&str> = src.lines().collect();
    let mut end = lines.len();
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim();
        if t == "#[cfg(test)]" || (t.starts_with("#[cfg(all(test,") && t.ends_with(")]")) {
            let next = lines[i + 1..]
                .iter()
                .map(|l| l.trim())
                .find(|l| !l.is_empty());
            if next.is_some_and(|l| l.starts_with("mod tests")) {
                end = i;
                break;
            }
        }
    }
    lines[..end].join("\n")
}

/// Rust tokens with their 1-based line, enough to find paths: comments, string, character and byte
/// literals and lifetimes are skipped; numbers come out as identifiers, which is harmless.
fn tokenize(src: &str) -> Vec<(Tok, usize)> {
    let c: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let (mut i, mut line) = (0, 1);
    let n = c.len();
    // Skips a quoted literal starting at the quote `c[j]`; returns the index after it.
    let skip_quoted = |mut j: usize, line: &mut usize| -> usize {
        j += 1;
        while j < n && c[j] != '"' {
            if c[j] == '\\' {
                j += 1;
            }
            if j < n && c[j] == '\n' {
                *line += 1;
            }
            j += 1;
        }
        j + 1
    };
    while i < n {
        let ch = c[i];
        if ch == '\n' {
            line += 1;
            i += 1;
        } else if ch.is_whitespace() {
            i += 1;
        } else if ch == '/' && c.get(i + 1) == Some(&'/') {
            while i < n && c[i] != '\n' {
                i += 1;
            }
        } else if ch == '/' && c.get(i + 1) == Some(&'*') {
            let mut depth = 0;
            while i < n {
                if c[i] == '/' && c.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if c[i] == '*' && c.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    if c[i] == '\n' {
                        line += 1;
                    }
                    i += 1;
                }
            }
        } else if ch == '"' {
            i = skip_quoted(i, &mut line);
        } else if ch == '\'' {
            // a character literal ('x', '\n', '\u{..}') or a lifetime / label ('a)
            if c.get(i + 1) == Some(&'\\') {
                i += 3;
                while i < n && c[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if c.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                i += 1;
            }
        } else if ch.is_alphanumeric() || ch == '_' {
            let start = i;
            while i < n && (c[i].is_alphanumeric() || c[i] == '_') {
                i += 1;
            }
            let word: String = c[start..i].iter().collect();
            // raw strings r"…", r#"…"#, byte strings b"…", br#"…"#, byte chars b'x'
            let hashes = c[i..].iter().take_while(|&&h| h == '#').count();
            let raw = word == "r" || word == "br";
            if raw && c.get(i + hashes) == Some(&'"') {
                let close: Vec<char> = std::iter::once('"')
                    .chain(std::iter::repeat_n('#', hashes))
                    .collect();
                i += hashes + 1;
                while i < n && c[i..].iter().take(close.len()).ne(close.iter()) {
                    if c[i] == '\n' {
                        line += 1;
                    }
                    i += 1;
                }
                i += close.len();
            } else if word == "b" && c.get(i) == Some(&'"') {
                i = skip_quoted(i, &mut line);
            } else if word == "b" && c.get(i) == Some(&'\'') {
                i += 1;
                if c.get(i) == Some(&'\\') {
                    i += 1;
                }
                i += 1;
                while i < n && c[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if word == "r" && hashes == 1 {
                // a raw identifier r#name
                i += 1;
                let s = i;
                while i < n && (c[i].is_alphanumeric() || c[i] == '_') {
                    i += 1;
                }
                out.push((Tok::Ident(c[s..i].iter().collect()), line));
            } else {
                out.push((Tok::Ident(word), line));
            }
        } else if ch == ':' && c.get(i + 1) == Some(&':') {
            out.push((Tok::PathSep, line));
            i += 2;
        } else {
            out.push((Tok::Punct(ch), line));
            i += 1;
        }
    }
    out
}

// ── Paths ───────────────────────────────────────────────────────────────────────────────────────

/// A path written in a file: its segments, the line of its last segment, and for a `use` item the
/// name it brings into scope (the last segment or its `as` rename).
#[derive(Debug, Clone, PartialEq)]
struct Written {
    segs: Vec<String>,
    line: usize,
    alias: Option<String>,
    in_use: bool,
}

fn ident(t: Option<&(Tok, usize)>) -> Option<&str> {
    match t {
        Some((Tok::Ident(s), _)) => Some(s),
        _ => None,
    }
}

/// Parses one use tree at `toks[*i]` with the segments `prefix` before it.
fn use_tree(toks: &[(Tok, usize)], i: &mut usize, prefix: &[String], out: &mut Vec<Written>) {
    let mut segs = prefix.to_vec();
    let mut line = toks.get(*i).map_or(0, |t| t.1);
    loop {
        match toks.get(*i) {
            Some((Tok::Punct('{'), _)) => {
                *i += 1;
                loop {
                    match toks.get(*i) {
                        None => return,
                        Some((Tok::Punct('}'), _)) => {
                            *i += 1;
                            return;
                        }
                        Some((Tok::Punct(','), _)) => *i += 1,
                        _ => {
                            let before = *i;
                            use_tree(toks, i, &segs, out);
                            if *i == before {
                                *i += 1; // not a use tree: skip the token
                            }
                        }
                    }
                }
            }
            Some((Tok::Punct('*'), l)) => {
                *i += 1;
                out.push(Written {
                    segs,
                    line: *l,
                    alias: None,
                    in_use: true,
                });
                return;
            }
            Some((Tok::PathSep, _)) => *i += 1, // a leading `::`
            Some((Tok::Ident(s), l)) => {
                let (s, l) = (s.clone(), *l);
                *i += 1;
                if s != "self" || segs.is_empty() {
                    segs.push(s.clone());
                }
                line = l;
                if toks.get(*i).map(|t| &t.0) == Some(&Tok::PathSep) {
                    *i += 1;
                    continue;
                }
                let mut alias = if s == "self" {
                    segs.last().cloned()
                } else {
                    Some(s)
                };
                if ident(toks.get(*i)) == Some("as") {
                    alias = ident(toks.get(*i + 1)).map(str::to_string);
                    *i += 2;
                }
                out.push(Written {
                    segs,
                    line,
                    alias,
                    in_use: true,
                });
                return;
            }
            _ => {
                if segs.len() > prefix.len() {
                    out.push(Written {
                        segs,
                        line,
                        alias: None,
                        in_use: true,
                    });
                }
                return;
            }
        }
    }
}

/// Every path of a file that starts with `crate` (`$crate` in macros too), `super` or `self`, and
/// every path of its `use` items (the caller decides what a bare first segment means).
fn paths_in(code: &str) -> Vec<Written> {
    let toks = tokenize(code);
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        match &toks[i].0 {
            Tok::Ident(w) if w == "use" => {
                i += 1;
                while i < toks.len() && toks[i].0 != Tok::Punct(';') {
                    let before = i;
                    use_tree(&toks, &mut i, &[], &mut out);
                    if i == before {
                        i += 1;
                    }
                }
            }
            Tok::Ident(w)
                if (w == "crate" || w == "super" || w == "self")
                    && toks.get(i + 1).map(|t| &t.0) == Some(&Tok::PathSep)
                    && (i == 0 || toks[i - 1].0 != Tok::PathSep) =>
            {
                let mut segs = vec![w.clone()];
                let mut line = toks[i].1;
                i += 1;
                while toks.get(i).map(|t| &t.0) == Some(&Tok::PathSep) {
                    match toks.get(i + 1) {
                        Some((Tok::Ident(s), l)) => {
                            segs.push(s.clone());
                            line = *l;
                            i += 2;
                        }
                        _ => break,
                    }
                }
                out.push(Written {
                    segs,
                    line,
                    alias: None,
                    in_use: false,
                });
            }
            _ => i += 1,
        }
    }
    out
}

// ── The graph ───────────────────────────────────────────────────────────────────────────────────

#[derive(Debug, Clone)]
struct Edge {
    from: ModPath,
    to: ModPath,
    file: String,
    line: usize,
    path: String,
}

struct Crate {
    files: BTreeMap<ModPath, String>,
    edges: Vec<Edge>,
}

/// The longest prefix of `segs` (absolute, without `crate`) that is a module.
fn longest_module(segs: &[String], modules: &BTreeMap<ModPath, String>) -> ModPath {
    (0..=segs.len())
        .rev()
        .map(|k| segs[..k].to_vec())
        .find(|p| modules.contains_key(p))
        .unwrap_or_default()
}

/// A written path as an absolute one (segments after `crate`), seen from module `m`; `None` for a
/// path of another crate or a name in scope. Bare first segments count in `use` items only, where
/// they name a child module of `m` (or, in the root, a top-level module).
fn absolute(w: &Written, m: &[String], files: &BTreeMap<ModPath, String>) -> Option<Vec<String>> {
    let first = w.segs[0].as_str();
    match first {
        "crate" => Some(w.segs[1..].to_vec()),
        "self" => Some(m.iter().chain(&w.segs[1..]).cloned().collect()),
        "super" => {
            let ups = w.segs.iter().take_while(|s| *s == "super").count();
            // `None` above the root: not ours to judge
            let base = m.get(..m.len().checked_sub(ups)?)?;
            Some(base.iter().chain(&w.segs[ups..]).cloned().collect())
        }
        _ if w.in_use => {
            let child: ModPath = m.iter().chain([&w.segs[0]]).cloned().collect();
            files
                .contains_key(&child)
                .then(|| m.iter().chain(&w.segs).cloned().collect())
        }
        _ => None,
    }
}

/// Everything a module brings into scope with `use`: name → absolute path.
type Imports = BTreeMap<ModPath, BTreeMap<String, Vec<String>>>;

/// The module that defines what an absolute path names: its longest prefix that is a module, and
/// when the next segment is a name that module imports (`pub use`, or a plain `use` its children
/// can reach through `super::`), the module that defines that name, and so on.
fn resolve(abs: &[String], files: &BTreeMap<ModPath, String>, imports: &Imports) -> ModPath {
    let mut abs = abs.to_vec();
    for _ in 0..16 {
        let m = longest_module(&abs, files);
        let Some(target) = abs.get(m.len()).and_then(|name| imports.get(&m)?.get(name)) else {
            return m;
        };
        abs = target.iter().chain(&abs[m.len() + 1..]).cloned().collect();
    }
    longest_module(&abs, files)
}

/// Reads a crate from `(path relative to src/, contents)` pairs (`src/bin/` already left out).
fn read_crate(sources: &[(String, String)]) -> Crate {
    let mut files = BTreeMap::new();
    let mut paths = BTreeMap::new();
    for (rel, text) in sources {
        if let Some(m) = module_of(rel) {
            files.insert(m.clone(), format!("src/{rel}"));
            paths.insert(m, paths_in(&without_test_tail(text)));
        }
    }
    let mut imports: Imports = BTreeMap::new();
    for (m, written) in &paths {
        for w in written.iter().filter(|w| w.in_use) {
            if let (Some(alias), Some(abs)) = (&w.alias, absolute(w, m, &files)) {
                imports
                    .entry(m.clone())
                    .or_default()
                    .insert(alias.clone(), abs);
            }
        }
    }
    let mut edges = Vec::new();
    for (m, written) in &paths {
        for w in written {
            let Some(abs) = absolute(w, m, &files) else {
                continue;
            };
            let to = resolve(&abs, &files, &imports);
            if to.starts_with(m) {
                continue; // itself or its own descendants
            }
            edges.push(Edge {
                from: m.clone(),
                to,
                file: files[m].clone(),
                line: w.line,
                path: w.segs.join("::"),
            });
        }
    }
    Crate { files, edges }
}

// ── The checks ──────────────────────────────────────────────────────────────────────────────────

/// Every cycle, one per knot of mutually reachable modules (the shortest through its first
/// module), each as `a -> b -> a` followed by the file and line of each of its edges.
fn cycles(krate: &Crate) -> Vec<String> {
    let mut next: BTreeMap<&ModPath, BTreeSet<&ModPath>> = BTreeMap::new();
    for e in &krate.edges {
        next.entry(&e.from).or_default().insert(&e.to);
    }
    let reach = |from: &ModPath| -> BTreeSet<&ModPath> {
        let mut seen = BTreeSet::new();
        let mut todo: Vec<&ModPath> = next.get(from).into_iter().flatten().copied().collect();
        while let Some(m) = todo.pop() {
            if seen.insert(m) {
                todo.extend(next.get(m).into_iter().flatten().copied());
            }
        }
        seen
    };
    let reachable: BTreeMap<&ModPath, BTreeSet<&ModPath>> =
        krate.files.keys().map(|m| (m, reach(m))).collect();
    let mut done: BTreeSet<&ModPath> = BTreeSet::new();
    let mut out = Vec::new();
    for m in krate.files.keys() {
        if done.contains(m) || !reachable[m].contains(m) {
            continue;
        }
        let knot: BTreeSet<&ModPath> = reachable[m]
            .iter()
            .copied()
            .filter(|o| reachable[o].contains(m))
            .collect();
        done.extend(knot.iter().copied());
        // the shortest cycle through m, by breadth-first search back to it
        let mut parent: BTreeMap<&ModPath, &ModPath> = BTreeMap::new();
        let mut queue = VecDeque::from([m]);
        let mut last = None;
        'search: while let Some(a) = queue.pop_front() {
            for b in next.get(a).into_iter().flatten().copied() {
                if b == m {
                    last = Some(a);
                    break 'search;
                }
                if knot.contains(b) && !parent.contains_key(b) {
                    parent.insert(b, a);
                    queue.push_back(b);
                }
            }
        }
        let mut chain = vec![m];
        let mut at = last.expect("a module that reaches itself has a cycle");
        while at != m {
            chain.push(at);
            at = parent[at];
        }
        chain[1..].reverse();
        chain.push(m);
        let names: Vec<String> = chain.iter().map(|p| show(p)).collect();
        let mut text = format!("cycle: {}", names.join(" -> "));
        for pair in chain.windows(2) {
            for e in krate
                .edges
                .iter()
                .filter(|e| &e.from == pair[0] && &e.to == pair[1])
            {
                let _ = write!(
                    text,
                    "\n    {}:{}: {} -> {} ({})",
                    e.file,
                    e.line,
                    show(&e.from),
                    show(&e.to),
                    e.path
                );
            }
        }
        if knot.len() + 1 > chain.len() {
            let all: Vec<String> = knot.iter().map(|p| show(p)).collect();
            let _ = write!(text, "\n    (all modules in this knot: {})", all.join(", "));
        }
        out.push(text);
    }
    out
}

fn stage(m: &[String]) -> &str {
    m.first().map_or("", String::as_str)
}

fn rank(stage: &str) -> Option<u32> {
    if stage.is_empty() {
        return Some(ROOT_RANK);
    }
    RANKS.iter().find(|(s, _)| *s == stage).map(|(_, r)| *r)
}

/// Top-level modules without a rank.
fn unranked(krate: &Crate) -> Vec<String> {
    let stages: BTreeSet<&str> = krate.files.keys().map(|m| stage(m)).collect();
    stages
        .into_iter()
        .filter(|s| rank(s).is_none())
        .map(|s| {
            format!(
                "top-level module `{s}` has no stage rank: give it one in RANKS in tests/layout.rs"
            )
        })
        .collect()
}

/// Every edge from one stage to a stage of the same or a higher rank (but base to base).
fn stage_violations(krate: &Crate) -> Vec<String> {
    let mut out = Vec::new();
    for e in &krate.edges {
        let (a, b) = (stage(&e.from), stage(&e.to));
        if a == b {
            continue;
        }
        let (Some(ra), Some(rb)) = (rank(a), rank(b)) else {
            continue; // reported by `unranked`
        };
        if rb >= ra && !(ra == BASE && rb == BASE) {
            let name = |s: &str| if s.is_empty() { "crate" } else { s }.to_string();
            out.push(format!(
                "{}:{}: {} -> {} ({}): stage {} (rank {ra}) must not use stage {} (rank {rb})",
                e.file,
                e.line,
                show(&e.from),
                show(&e.to),
                e.path,
                name(a),
                name(b)
            ));
        }
    }
    out
}

fn read_src(dir: &Path, rel: &str, out: &mut Vec<(String, String)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir.join(rel))
        .unwrap_or_else(|e| panic!("reading src/{rel}: {e}"))
        .map(|e| e.expect("a directory entry").path())
        .collect();
    entries.sort();
    for p in entries {
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        let child = if rel.is_empty() {
            name.clone()
        } else {
            format!("{rel}/{name}")
        };
        if p.is_dir() {
            if child != "bin" {
                read_src(dir, &child, out);
            }
        } else if name.ends_with(".rs") {
            let text =
                std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            out.push((child, text));
        }
    }
}

#[test]
fn layout_of_src() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut sources = Vec::new();
    read_src(&src, "", &mut sources);
    let krate = read_crate(&sources);
    assert!(krate.files.contains_key(&Vec::new()), "no src/lib.rs");
    assert!(
        krate.edges.len() > 10,
        "only {} edges found in src/: the checker must be broken",
        krate.edges.len()
    );
    let mut problems = Vec::new();
    problems.extend(unranked(&krate));
    problems.extend(cycles(&krate));
    problems.extend(stage_violations(&krate));
    assert!(
        problems.is_empty(),
        "the module layout breaks {} rule(s) (see the top of tests/layout.rs):\n{}\n",
        problems.len(),
        problems.join("\n")
    );
}

// ── The checker on made-up crates ───────────────────────────────────────────────────────────────

fn krate(files: &[(&str, &str)]) -> Crate {
    let sources: Vec<(String, String)> = files
        .iter()
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .collect();
    read_crate(&sources)
}

fn edge_list(k: &Crate) -> Vec<String> {
    let mut v: Vec<String> = k
        .edges
        .iter()
        .map(|e| format!("{} -> {} @{}", show(&e.from), show(&e.to), e.line))
        .collect();
    v.sort();
    v.dedup();
    v
}

#[test]
fn module_paths_follow_files() {
    let m = |s: &str| module_of(s).map(|p| p.join("::"));
    assert_eq!(m("lib.rs").as_deref(), Some(""));
    assert_eq!(m("a.rs").as_deref(), Some("a"));
    assert_eq!(m("a/mod.rs").as_deref(), Some("a"));
    assert_eq!(m("a/b.rs").as_deref(), Some("a::b"));
    assert_eq!(m("a/b/mod.rs").as_deref(), Some("a::b"));
    assert_eq!(m("a/types.d.ts"), None);
}

#[test]
fn brace_groups_and_inline_paths_parse() {
    let k = krate(&[
        ("lib.rs", "pub mod ingest;\npub mod facts;\npub mod error;\n"),
        ("ingest/mod.rs", "pub mod reader;\npub mod money;\n"),
        ("ingest/reader.rs", ""),
        ("ingest/money.rs", ""),
        ("error.rs", ""),
        (
            "facts.rs",
            "use crate::ingest::{\n    reader::Reader,\n    money::{self, Money as M},\n};\n\
             use crate::{error::Result, ingest};\n\
             // use crate::nothing::Here;\n\
             /// crate::error::Doc\n\
             fn f() -> Result<()> { let s = \"crate::ingest::money\"; crate::ingest::reader::read(b'x', 'y') }\n",
        ),
    ]);
    assert_eq!(
        edge_list(&k),
        [
            "facts -> error @5",
            "facts -> ingest @5",
            "facts -> ingest::money @3",
            "facts -> ingest::reader @2",
            "facts -> ingest::reader @8",
        ]
    );
}

#[test]
fn super_paths_root_reexports_and_test_tails_resolve() {
    let k = krate(&[
        (
            "lib.rs",
            "mod analyzer;\npub mod options;\npub mod model;\npub use analyzer::{analyze, Analyzer as Runner};\n\
             pub use options::Options;\n",
        ),
        ("analyzer.rs", ""),
        ("options.rs", "pub struct Options;\n#[cfg(test)]\nmod tests {\n    use crate::analyze;\n}\n"),
        ("model/mod.rs", "mod optim;\nmod special;\n"),
        ("model/special.rs", ""),
        (
            "model/optim.rs",
            "use super::special::ln;\nfn f(o: &crate::Options) { super::super::Runner::new(); super::fit(); }\n",
        ),
    ]);
    assert_eq!(
        edge_list(&k),
        [
            "model::optim -> analyzer @2",
            "model::optim -> model @2",
            "model::optim -> model::special @1",
            "model::optim -> options @2",
        ]
    );
    // the root's own `use analyzer::…` lines are descendants of the root, not edges
    assert!(k.edges.iter().all(|e| !e.from.is_empty()));
}

#[test]
fn a_cycle_is_found() {
    let k = krate(&[
        ("lib.rs", "pub mod ingest;\npub mod facts;\n"),
        ("ingest/mod.rs", "pub mod reader;\n"),
        ("ingest/reader.rs", "\n\nfn f(x: crate::facts::Facts) {}\n"),
        ("facts.rs", "use crate::ingest::reader::read;\n"),
    ]);
    let c = cycles(&k);
    assert_eq!(c.len(), 1, "{c:?}");
    assert!(
        c[0].starts_with("cycle: facts -> ingest::reader -> facts\n"),
        "{}",
        c[0]
    );
    assert!(c[0].contains("src/ingest/reader.rs:3: ingest::reader -> facts (crate::facts::Facts)"));
    assert!(c[0].contains("src/facts.rs:1: facts -> ingest::reader"));

    // a parent using its children, and children using their parent, is no cycle
    let k = krate(&[
        ("lib.rs", "pub mod facts;\n"),
        (
            "facts/mod.rs",
            "mod group;\nuse crate::facts::group::by_customer;\n",
        ),
        ("facts/group.rs", "use super::Facts;\n"),
    ]);
    assert_eq!(cycles(&k), Vec::<String>::new());
    assert_eq!(edge_list(&k), ["facts::group -> facts @1"]);
}

#[test]
fn a_backward_stage_edge_is_found() {
    let k = krate(&[
        (
            "lib.rs",
            "pub mod ingest;\npub mod analytics;\npub mod model;\npub mod report;\npub mod error;\n\
             pub mod options;\n",
        ),
        ("ingest.rs", "use crate::error::Result;\nuse crate::options::Options;\n"),
        ("options.rs", "use crate::error::Result;\n"),
        ("analytics.rs", "use crate::ingest::Row;\n\nuse crate::model::Fit;\n"),
        ("model.rs", "use crate::report::Analysis;\n"),
        ("report.rs", "use crate::{analytics, model};\n"),
        ("error.rs", ""),
    ]);
    assert_eq!(
        stage_violations(&k),
        [
            "src/analytics.rs:3: analytics -> model (crate::model::Fit): stage analytics (rank 3) must not use stage model (rank 3)",
            "src/model.rs:1: model -> report (crate::report::Analysis): stage model (rank 3) must not use stage report (rank 4)",
        ]
    );
    assert_eq!(unranked(&k), Vec::<String>::new());
    let k = krate(&[("lib.rs", "pub mod extras;\n"), ("extras.rs", "")]);
    assert_eq!(unranked(&k).len(), 1);
    assert!(unranked(&k)[0].contains("`extras`"));
}

#[test]
fn reexports_lead_to_the_defining_module() {
    let k = krate(&[
        (
            "lib.rs",
            "mod analyzer;\npub mod ingest;\npub mod report;\npub use analyzer::{Analyzer, Decisions};\n",
        ),
        ("analyzer.rs", "pub use crate::ingest::decisions::Decisions;\npub struct Analyzer;\n"),
        ("ingest/mod.rs", "mod decisions;\nmod quality;\npub use quality::{Excluded, Report as R};\n"),
        ("ingest/decisions.rs", ""),
        ("ingest/quality.rs", ""),
        (
            "report.rs",
            "fn f(d: crate::Decisions, a: crate::Analyzer, e: crate::ingest::Excluded, r: crate::ingest::R) {}\n",
        ),
    ]);
    assert_eq!(
        edge_list(&k),
        [
            "analyzer -> ingest::decisions @1",
            "report -> analyzer @1",
            "report -> ingest::decisions @1",
            "report -> ingest::quality @1",
        ]
    );
    assert_eq!(
        stage_violations(&k),
        ["src/report.rs:1: report -> analyzer (crate::Analyzer): stage report (rank 4) must not use stage analyzer (rank 5)"]
    );
}
