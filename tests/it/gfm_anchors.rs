//! Heading ids against github-slugger, the slugger GitHub's ids follow
//! (npm, installed into tests/browser/node_modules by `.ci/run`, never
//! committed): thousands of generated headings (emoji with and without
//! U+FE0F, Unicode spaces, combining marks, symbols, punctuation, letters
//! from many scripts, repeats) go through a real build and through
//! github-slugger in node; every id must match. Without node or the package
//! the test skips visibly (`tools::skip`; a failure when tools are required).

use std::io::Write;
use std::process::{Command, Stdio};

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;

use crate::harness::*;
use crate::tools;

fn pieces() -> impl Strategy<Value = String> {
    let chars: Vec<&str> = vec![
        "a",
        "Z",
        "é",
        "É",
        "ß",
        "İ",
        "Σ",
        "ς",
        "Ω",
        "ж",
        "Ж",
        "給",
        "与",
        "한",
        "ع",
        "א",
        "ह",
        "ि",
        "\u{301}",
        "\u{308}",
        "\u{20dd}",
        "7",
        "٣",
        "½",
        "²",
        "Ⅻ",
        "_",
        "‿",
        "-",
        "–",
        "—",
        " ",
        "  ",
        "\u{a0}",
        "\u{2003}",
        "\u{3000}",
        "\t",
        "!",
        "?",
        ".",
        ",",
        ":",
        "'",
        "’",
        "\"",
        "(",
        ")",
        "[",
        "]",
        "&",
        "@",
        "#",
        "$",
        "%",
        "/",
        "\\",
        "+",
        "=",
        "<",
        ">",
        "©",
        "™",
        "€",
        "→",
        "✓",
        "⚙",
        "⚙\u{fe0f}",
        "❤\u{fe0f}",
        "🚀",
        "🎉",
        "👩\u{200d}💻",
        "🇩🇪",
        "👍🏽",
        "\u{200b}",
        "\u{200d}",
        "\u{fe0f}",
        "ǅ",
        "ﬁ",
        "Ⓐ",
        "𝔘",
        "𐐀",
    ];
    prop::sample::select(chars).prop_map(str::to_string)
}

fn heading() -> impl Strategy<Value = String> {
    prop::collection::vec(pieces(), 1..8).prop_map(|v| v.concat())
}

/// Generated heading texts: no leading/trailing whitespace (markdown trims
/// it), no markdown syntax characters that would change the text content.
fn headings(count: usize) -> Vec<String> {
    let mut runner = TestRunner::deterministic();
    let strategy = heading();
    let mut out = Vec::new();
    while out.len() < count {
        let h = strategy.new_tree(&mut runner).expect("value").current();
        let h = h.trim_matches(|c: char| c.is_whitespace()).to_string();
        let syntax = h.contains(['#', '<', '>', '[', ']', '\\', '&', '`', '*', '_', '!'])
            || h.starts_with([
                '-', '+', '=', '.', ')', '(', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9',
            ]);
        if !h.is_empty() && !syntax {
            out.push(h);
        }
    }
    // Repeats and ids that collide with numbered ones.
    out.extend(["Example", "Example", "Example 1", "Example", "FAQ", "faq"].map(String::from));
    out
}

#[test]
fn heading_ids_match_github_slugger() {
    let Some(node) = tools::find_program("HANDBOOK_NODE", &["node", "nodejs"]) else {
        return tools::skip("node is not installed; apt-get install nodejs (.ci/run does)");
    };
    let Some(module) = tools::node_module("tests/browser", "github-slugger/index.js") else {
        return tools::skip(
            "github-slugger is not installed; run `npm ci --prefix tests/browser` (.ci/run does)",
        );
    };
    let headings = headings(3000);
    // One page holds them all, so repeats number as on GitHub.
    let body: String = headings.iter().map(|h| format!("## {h}\n\n")).collect();
    let site = TestSite::new();
    site.file("site.toml", "title = \"Slugs\"\n");
    site.file(
        "content/slugs.md",
        &format!("---\ntitle: Slugs\n---\n{body}"),
    );
    site.build().ok();
    let doc = site.html("slugs/index.html");
    let ours = attrs(&doc, "article .content h2", "id");
    let script = format!(
        "import('{}').then(m => {{ const s = new m.default(); let d = ''; \
         process.stdin.on('data', c => d += c); process.stdin.on('end', () => \
         console.log(JSON.stringify(JSON.parse(d).map(h => s.slug(h))))); }});",
        module.display()
    );
    let mut child = Command::new(node)
        .args(["--input-type=module", "-e", &script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("node");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(serde_json::to_string(&headings).unwrap().as_bytes())
        .unwrap();
    let out = child.wait_with_output().expect("node output");
    let theirs: Vec<String> = serde_json::from_slice(&out.stdout).expect("slugger JSON");
    assert_eq!(ours.len(), headings.len(), "one id per heading");
    let diffs: Vec<String> = headings
        .iter()
        .zip(ours.iter().zip(&theirs))
        .filter(|(_, (a, b))| a != b)
        .map(|(h, (a, b))| format!("{h:?}: handbook {a:?}, github-slugger {b:?}"))
        .collect();
    eprintln!(
        "slugger: {} headings, {} differences",
        headings.len(),
        diffs.len()
    );
    assert!(
        diffs.is_empty(),
        "{}",
        diffs[..diffs.len().min(20)].join("\n")
    );
}
