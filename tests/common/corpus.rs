//! The fixture corpus the property tests run over (`tests/proptest_chunks.rs`,
//! `tests/proptest_ranges.rs`): every `.csv`, `.tsv` and `.txt` file of the given folders under
//! `tests/fixtures/`, sorted by name, with the options of its `.expect.json` (default options
//! without one).

use serde_json::Value;
use std::path::PathBuf;
use tierwise::Options;

/// One fixture file.
pub struct Fixture {
    /// `folder/file name`.
    pub name: String,
    pub bytes: Vec<u8>,
    pub opts: Options,
}

/// The fixtures of `dirs` (folders of `tests/fixtures/`), in folder order, files sorted.
pub fn fixtures(dirs: &[&str]) -> Vec<Fixture> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut out = Vec::new();
    for dir in dirs {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(root.join(dir))
            .expect("fixture directory")
            .map(|e| e.expect("dir entry").path())
            .filter(|p| {
                matches!(
                    p.extension().and_then(|e| e.to_str()),
                    Some("csv" | "tsv" | "txt")
                )
            })
            .collect();
        paths.sort();
        for p in paths {
            let bytes = std::fs::read(&p).expect("read fixture");
            let opts = match std::fs::read_to_string(p.with_extension("expect.json")) {
                Ok(t) => {
                    let v: Value = serde_json::from_str(&t).expect("expectation JSON");
                    let o = v.get("options").map(Value::to_string).unwrap_or_default();
                    Options::from_json(&o).expect("fixture options")
                }
                Err(_) => Options::default(),
            };
            out.push(Fixture {
                name: format!("{dir}/{}", p.file_name().unwrap().to_string_lossy()),
                bytes,
                opts,
            });
        }
    }
    out
}
