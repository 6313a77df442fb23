//! Differential tests against GitHub's own parser: the same markdown goes
//! through handbook (a real build, one page per input) and through the
//! `cmark-gfm` command with GitHub's extensions, and the two are compared
//! after `canon`, a normalisation written here (attribute order, whitespace
//! between block tags, entities, and what handbook adds on purpose).
//!
//! Inputs: hand-written cases for every construct of the GFM spec, plus
//! generated documents (proptest strategies, fixed seed), over 1,000
//! distinct inputs in all. The GFM spec's own examples are measured too
//! when `HANDBOOK_GFM_SPEC` names cmark-gfm's `test/spec.txt`.
//!
//! `cmark-gfm` is a test-time tool (Debian package `cmark-gfm`, installed
//! by `.ci/run`); without it these tests skip visibly (`tools::skip`), and
//! fail when `HANDBOOK_REQUIRE_TOOLS=1`, as in CI.
//!
//! Deliberate differences, each handled in `canon` with its reason:
//! - heading ids and the `#` permalink inside headings: handbook adds them
//!   (GitHub adds the same ids after cmark-gfm, with a `user-content-` prefix);
//! - code blocks: handbook highlights them (spans, classes, `data-lang`),
//!   so only the text of a `<pre>` is compared;
//! - task lists: GitHub's `task-list-item`/`contains-task-list` classes and
//!   the checkboxes' accessible names, which GitHub adds after cmark-gfm;
//! - footnote ids `fn:x`/`fnref:x` instead of `fn-x`/`fnref-x`, which a
//!   heading id cannot collide with, and with the label in lower case;
//! - level-one headings in a page body are `<h2>`: the page title is the
//!   page's one `<h1>` (compared as the same level).
//!
//! Constructs GitHub renders after cmark-gfm (emoji shortcodes, alerts,
//! `$math$`, mermaid) are not in the differential corpus; their own tests
//! are in `gfm_features.rs`.

use std::collections::HashSet;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use scraper::{ElementRef, Node};

use crate::harness::*;
use crate::tools;

/// The `cmark-gfm` command (`HANDBOOK_CMARK_GFM`, else on PATH), or a
/// visible skip (a failure when tools are required, as in CI).
fn cmark_gfm() -> Option<PathBuf> {
    let found = tools::find_program("HANDBOOK_CMARK_GFM", &["cmark-gfm"]);
    if found.is_none() {
        tools::skip("cmark-gfm is not installed; apt-get install cmark-gfm (.ci/run does)");
    }
    found
}

/// A line past the test harness's capture, for optional inputs (spec file,
/// corpus) that CI does not have: their absence is never a failure.
fn note(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

const EXTENSIONS: [&str; 6] = [
    "table",
    "strikethrough",
    "autolink",
    "tagfilter",
    "tasklist",
    "footnotes",
];

/// GitHub's rendering of `md`: cmark-gfm with GitHub's extensions. Raw
/// HTML is rendered (`--unsafe`), as GitHub does before sanitising.
fn cmark(bin: &PathBuf, md: &str) -> String {
    let mut cmd = Command::new(bin);
    for e in EXTENSIONS {
        cmd.args(["-e", e]);
    }
    let mut child = cmd
        .arg("--unsafe")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("run cmark-gfm");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(md.as_bytes())
        .unwrap();
    let out = child.wait_with_output().expect("cmark-gfm output");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// handbook's rendering of each input: one build of a site with a page per
/// input, each page's `.content` as HTML.
fn handbook_render(inputs: &[String]) -> Vec<String> {
    let site = TestSite::new();
    site.file("site.toml", "title = \"Differential\"\n");
    for (i, md) in inputs.iter().enumerate() {
        site.file(
            &format!("content/case{i:05}.md"),
            &format!("---\ntitle: Differential case {i}\n---\n{md}"),
        );
    }
    site.build().ok();
    // Cut the page's content out of the file as text: parsing the whole page
    // would let unclosed raw HTML (spec examples have some) swallow the
    // theme around it.
    (0..inputs.len())
        .map(|i| {
            let page = site.read(&format!("public/case{i:05}/index.html"));
            let start = page.find(CONTENT_START).expect("content start") + CONTENT_START.len();
            let end = page.rfind(CONTENT_END).expect("content end");
            page[start..end].to_string()
        })
        .collect()
}

/// Where page.html puts the rendered markdown.
const CONTENT_START: &str = "<div class=\"content\">";
const CONTENT_END: &str = "</div>\n  <footer class=\"page-meta\">";

/// HTML in a canonical form: parsed as a browser parses it, attributes
/// sorted, whitespace collapsed and dropped around block tags, and
/// handbook's deliberate additions removed (see the module comment).
pub(crate) fn canon(html: &str) -> String {
    let doc = Html::parse_fragment(html);
    let mut out = String::new();
    walk(doc.root_element(), &mut out);
    let mut collapsed = String::with_capacity(out.len());
    let mut last_space = false;
    for c in out.chars() {
        let space = c.is_ascii_whitespace();
        if !(space && last_space) {
            collapsed.push(if space { ' ' } else { c });
        }
        last_space = space;
    }
    let blocks = regex::Regex::new(
        r"\s*(</?(?:p|div|ul|ol|li|table|thead|tbody|tr|th|td|blockquote|h[1-6]|pre|hr|section|br|dl|dt|dd)(?: [^>]*)?>)\s*",
    )
    .unwrap();
    let trimmed = blocks.replace_all(&collapsed, "$1");
    // A paragraph of only a form feed: cmark-gfm keeps it, empty; nothing
    // shows either way.
    trimmed.replace("<p></p>", "").trim().to_string()
}

fn walk(el: ElementRef, out: &mut String) {
    for child in el.children() {
        match child.value() {
            Node::Text(t) => out.push_str(&escape(t)),
            Node::Comment(c) => out.push_str(&format!("<!--{}-->", &**c)),
            Node::Element(e) => {
                let child_el = ElementRef::wrap(child).unwrap();
                let name = e.name();
                if name == "a" && e.attr("class") == Some("anchor") {
                    continue; // handbook's permalink
                }
                // A page's title is its one <h1>: body `#` headings are <h2>.
                let name = if name == "h1" { "h2" } else { name };
                if name == "math" {
                    // GitHub renders math after cmark-gfm: compare its source.
                    let tex: String = child_el
                        .select(&Selector::parse("annotation").unwrap())
                        .flat_map(|a| a.text())
                        .collect();
                    let fence = if e.attr("display") == Some("block") {
                        "$$"
                    } else {
                        "$"
                    };
                    out.push_str(&escape(&format!("{fence}{tex}{fence}")));
                    continue;
                }
                let mut attrs: Vec<(String, String)> = e
                    .attrs()
                    .filter(|(k, v)| keep_attr(name, k, v))
                    .map(|(k, v)| (k.to_string(), relative_link(k, &footnote_id(k, v))))
                    .collect();
                attrs.sort();
                out.push('<');
                out.push_str(name);
                for (k, v) in attrs {
                    out.push_str(&format!(" {k}=\"{}\"", escape(&v)));
                }
                out.push('>');
                if name == "pre" {
                    // Highlighted by handbook: compare the code's text only.
                    let text: String = child_el.text().collect();
                    out.push_str(&escape(&text).replace('\n', "\u{2424}"));
                } else {
                    walk(child_el, out);
                }
                if !is_void(name) {
                    out.push_str(&format!("</{name}>"));
                }
            }
            _ => {}
        }
    }
}

fn keep_attr(element: &str, name: &str, value: &str) -> bool {
    match (element, name) {
        ("h1" | "h2" | "h3" | "h4" | "h5" | "h6", "id") => false,
        ("pre" | "code", "class" | "data-lang") => false,
        ("input", "class" | "aria-label") => false,
        ("li", "class") => value != "task-list-item",
        ("ul" | "ol", "class") => value != "contains-task-list",
        _ => true,
    }
}

/// handbook's footnote ids use `:` where cmark-gfm uses `-`, and the
/// label in lower case (cmark-gfm keeps the definition's spelling).
fn footnote_id(attr: &str, value: &str) -> String {
    let ours = ["fn:", "fnref:", "#fn:", "#fnref:"]
        .iter()
        .any(|p| value.starts_with(p));
    let theirs = ["fn-", "fnref-", "#fn-", "#fnref-"]
        .iter()
        .any(|p| value.starts_with(p));
    if (attr == "id" || attr == "href") && (ours || theirs) {
        value.replace(':', "-").to_lowercase()
    } else {
        value.to_string()
    }
}

/// handbook rewrites relative links to the output's pretty URLs (as it
/// must: `roles/x.md` becomes `/roles/x/`), so only their presence counts.
fn relative_link(attr: &str, value: &str) -> String {
    let absolute = value.contains("://")
        || value.starts_with("mailto:")
        || value.starts_with('#')
        || value.starts_with("//")
        || value.is_empty();
    if matches!(attr, "href" | "src") && !absolute {
        "(relative link)".to_string()
    } else {
        value.to_string()
    }
}

fn is_void(name: &str) -> bool {
    matches!(
        name,
        "br" | "hr"
            | "img"
            | "input"
            | "meta"
            | "link"
            | "area"
            | "col"
            | "embed"
            | "source"
            | "wbr"
    )
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// One difference, for the failure message.
struct Miss {
    input: String,
    handbook: String,
    github: String,
}

/// Renders `inputs` both ways and returns the inputs that differ.
fn differences(bin: &PathBuf, inputs: &[String]) -> Vec<Miss> {
    let ours = handbook_render(inputs);
    inputs
        .iter()
        .zip(ours)
        .filter_map(|(md, html)| {
            let (handbook, github) = (canon(&html), canon(&cmark(bin, md)));
            (handbook != github).then(|| Miss {
                input: md.clone(),
                handbook,
                github,
            })
        })
        .collect()
}

/// The first dozen differences; all of them go to the file named by
/// `HANDBOOK_GFM_REPORT`, if set (for investigating a corpus).
fn report(misses: &[Miss]) -> String {
    if let Some(path) = std::env::var_os("HANDBOOK_GFM_REPORT") {
        let all: Vec<String> = misses
            .iter()
            .map(|m| {
                format!(
                    "input:    {:?}\nhandbook: {}\ngithub:   {}\n",
                    m.input, m.handbook, m.github
                )
            })
            .collect();
        std::fs::write(path, all.join("\n")).expect("write the report");
    }
    misses
        .iter()
        .take(12)
        .map(|m| {
            format!(
                "input:    {:?}\nhandbook: {}\ngithub:   {}\n",
                m.input, m.handbook, m.github
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Hand-written cases, a few per construct of the GFM spec.
fn cases() -> Vec<String> {
    include_str!("gfm_cases.md")
        .split("\n~~~~ case\n")
        .map(|c| c.trim_start_matches('\n').to_string())
        .filter(|c| !c.trim().is_empty() && !c.starts_with("<!--"))
        .collect()
}

fn word() -> impl Strategy<Value = String> + Clone {
    prop_oneof![
        Just("role".to_string()),
        Just("levels".to_string()),
        Just("salary".to_string()),
        Just("Über".to_string()),
        Just("給与".to_string()),
        Just("a_b".to_string()),
        Just("x*y".to_string()),
        Just("5 > 3".to_string()),
        Just("AT&T".to_string()),
        Just("&copy;".to_string()),
        Just("\\*".to_string()),
        Just("(see".to_string()),
        Just("note)".to_string()),
    ]
}

fn inline() -> impl Strategy<Value = String> {
    let w = word();
    prop_oneof![
        4 => w.clone(),
        1 => w.clone().prop_map(|w| format!("*{w}*")),
        1 => w.clone().prop_map(|w| format!("**{w}**")),
        1 => w.clone().prop_map(|w| format!("_{w}_")),
        1 => w.clone().prop_map(|w| format!("~~{w}~~")),
        1 => w.clone().prop_map(|w| format!("`{w}`")),
        1 => w.clone().prop_map(|w| format!("[{w}](https://example.com/{w})")),
        1 => w.clone().prop_map(|w| format!("![{w}](https://example.com/i.png \"t\")")),
        1 => Just("<https://example.com/auto>".to_string()),
        1 => Just("www.example.org/jobs".to_string()),
        1 => Just("(www.example.org/a)".to_string()),
        1 => Just("https://example.com/a?b=c.".to_string()),
        1 => Just("hr@example.com".to_string()),
        1 => Just("<span class=\"x\">tag</span>".to_string()),
        1 => Just("<!-- note -->".to_string()),
        1 => Just("[^1]".to_string()),
        1 => Just("line  \nbreak".to_string()),
        1 => Just("<script>x</script>".to_string()),
    ]
}

fn line() -> impl Strategy<Value = String> {
    prop::collection::vec(inline(), 1..6).prop_map(|v| v.join(" "))
}

/// Table cells are one line: a hard line break in the header would leave a
/// paragraph line ending in a hard break right above the table, which
/// pulldown-cmark does not let the table interrupt (a known difference
/// listed in the README; tables under plain lines are in the cases).
fn cell() -> impl Strategy<Value = String> {
    line().prop_map(|l| l.replace("  \n", " "))
}

fn block() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => line(),
        1 => (1..7usize, line()).prop_map(|(n, l)| format!("{} {l}", "#".repeat(n))),
        1 => line().prop_map(|l| format!("{l}\n---")),
        1 => prop::collection::vec(line(), 1..4).prop_map(|v| v.iter().map(|l| format!("- {l}")).collect::<Vec<_>>().join("\n")),
        1 => prop::collection::vec(line(), 1..4).prop_map(|v| v.iter().enumerate().map(|(i, l)| format!("{}. {l}", i + 1)).collect::<Vec<_>>().join("\n")),
        1 => prop::collection::vec((any::<bool>(), line()), 1..4).prop_map(|v| v.iter().map(|(d, l)| format!("- [{}] {l}", if *d { "x" } else { " " })).collect::<Vec<_>>().join("\n")),
        1 => line().prop_map(|l| format!("> {l}\n> > {l}")),
        1 => line().prop_map(|l| format!("```\n{l}\n```")),
        1 => line().prop_map(|l| format!("    {l}")),
        1 => (cell(), cell()).prop_map(|(a, b)| format!("| {a} | b |\n|:--|--:|\n| {b} | `c|d` |")),
        1 => Just("***".to_string()),
        1 => line().prop_map(|l| format!("<div>\n{l}\n</div>")),
        1 => line().prop_map(|l| format!("[^1]: {l}")),
        1 => line().prop_map(|l| format!("- {l}\n  - {l}\n\n  more")),
    ]
}

/// Generated documents: fixed seed, so every run checks the same inputs.
fn generated(count: usize, taken: &HashSet<String>) -> Vec<String> {
    let strategy = prop::collection::vec(block(), 1..5).prop_map(|v| v.join("\n\n"));
    let mut runner = TestRunner::deterministic();
    let mut seen = taken.clone();
    let mut out = Vec::new();
    while out.len() < count {
        let doc = strategy.new_tree(&mut runner).expect("value").current();
        if seen.insert(doc.clone()) {
            out.push(doc);
        }
    }
    out
}

#[test]
fn renders_as_cmark_gfm_on_over_a_thousand_inputs() {
    let Some(bin) = cmark_gfm() else {
        return;
    };
    let mut inputs = cases();
    let hand = inputs.len();
    let taken: HashSet<String> = inputs.iter().cloned().collect();
    assert_eq!(taken.len(), hand, "hand-written cases are distinct");
    inputs.extend(generated(1000, &taken));
    let misses = differences(&bin, &inputs);
    eprintln!(
        "differential: {} inputs ({hand} hand-written, 1000 generated), {} differences",
        inputs.len(),
        misses.len()
    );
    assert!(
        misses.is_empty(),
        "{} of {} inputs render differently from cmark-gfm:\n{}",
        misses.len(),
        inputs.len(),
        report(&misses)
    );
}

/// Real handbooks (issue 10's corpus: folders of markdown, never
/// committed) when `HANDBOOK_GFM_CORPUS` names a folder; every `.md` file
/// in it is an input.
#[test]
fn real_handbooks_render_as_cmark_gfm() {
    let Some(bin) = cmark_gfm() else {
        return;
    };
    let Some(dir) = std::env::var_os("HANDBOOK_GFM_CORPUS") else {
        eprintln!(
            "skipped: real-handbook corpus: set HANDBOOK_GFM_CORPUS to a folder of handbooks"
        );
        return;
    };
    let mut inputs: Vec<String> = walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .collect();
    inputs.sort();
    inputs.dedup();
    let misses = differences(&bin, &inputs);
    let mut explained = std::collections::BTreeMap::new();
    let mut unexplained = Vec::new();
    for m in misses {
        let around = near(&m);
        match CORPUS_KNOWN.iter().find(|(_, applies)| applies(&around)) {
            Some((why, _)) => *explained.entry(*why).or_insert(0) += 1,
            None => unexplained.push(m),
        }
    }
    eprintln!(
        "corpus: {} files; explained differences: {explained:?}; unexplained: {}",
        inputs.len(),
        unexplained.len()
    );
    assert!(unexplained.is_empty(), "{}", report(&unexplained));
}

/// Why a real page may render differently from cmark-gfm on purpose (or by
/// a known parser difference), recognised around the first difference.
type Known = (&'static str, fn(&Near) -> bool);
const CORPUS_KNOWN: &[Known] = &[
    ("math: GitHub parses $…$ itself, cmark-gfm has no math", |n| {
        n.github.contains('$') || n.handbook.contains('$')
    }),
    ("emoji shortcodes: GitHub replaces them after cmark-gfm", |n| {
        regex::Regex::new(r":[a-z0-9_+-]+:")
            .unwrap()
            .is_match(n.github)
    }),
    ("alerts: GitHub renders them after cmark-gfm", |n| {
        n.handbook.contains("markdown-alert")
    }),
    ("`[^…]` that is no footnote: cmark-gfm leaves its escapes and entities undecoded", |n| {
        n.github.contains("[^")
    }),
    ("emphasis next to a symbol: CommonMark 0.31 (pulldown-cmark) counts symbols as punctuation, 0.29 (cmark-gfm) does not", |n| {
        n.github.contains("<del>") != n.handbook.contains("<del>")
    }),
    ("an autolink ending in an entity (`&gt;`): cmark-gfm trims the raw entity", |n| {
        n.handbook.contains("&gt;\"")
    }),
];

/// Both renderings around their first difference.
struct Near<'m> {
    handbook: &'m str,
    github: &'m str,
}

fn near(m: &Miss) -> Near<'_> {
    let at = m
        .handbook
        .bytes()
        .zip(m.github.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    let window = |s: &'_ str| -> (usize, usize) {
        let mut lo = at.saturating_sub(120).min(s.len());
        while !s.is_char_boundary(lo) {
            lo -= 1;
        }
        let mut hi = (at + 120).min(s.len());
        while !s.is_char_boundary(hi) {
            hi += 1;
        }
        (lo, hi)
    };
    let (hl, hh) = window(&m.handbook);
    let (gl, gh) = window(&m.github);
    Near {
        handbook: &m.handbook[hl..hh],
        github: &m.github[gl..gh],
    }
}

/// Examples of the GFM spec that render differently on purpose, with why.
const SPEC_DELIBERATE: &[(usize, &str)] = &[];

/// The GFM spec's examples (cmark-gfm's `test/spec.txt`): read at test time
/// from `HANDBOOK_GFM_SPEC`, never committed.
fn spec_examples(path: &str) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let fence = "```````````````````````````````` example";
    let mut out = Vec::new();
    for chunk in text.split(fence).skip(1) {
        let body = chunk.split_once('\n').map_or("", |(_, b)| b);
        let md = body.split("\n.\n").next().unwrap_or("");
        let md = if md.starts_with(".\n") { "" } else { md };
        out.push(format!("{md}\n").replace('→', "\t"));
    }
    out
}

#[test]
fn gfm_spec_examples_render_as_cmark_gfm_apart_from_listed_differences() {
    let Some(bin) = cmark_gfm() else {
        return;
    };
    let Some(path) = std::env::var_os("HANDBOOK_GFM_SPEC") else {
        note("skipped: GFM spec examples: set HANDBOOK_GFM_SPEC to cmark-gfm's test/spec.txt");
        return;
    };
    let examples = spec_examples(&path.to_string_lossy());
    let misses = differences(&bin, &examples);
    let mut unexplained = Vec::new();
    let mut failing = Vec::new();
    for m in &misses {
        let n = examples.iter().position(|e| *e == m.input).unwrap() + 1;
        failing.push(n);
        if !SPEC_DELIBERATE.iter().any(|(d, _)| *d == n) {
            unexplained.push(format!("example {n}:\n{}", report(std::slice::from_ref(m))));
        }
    }
    eprintln!(
        "GFM spec: {}/{} examples render as cmark-gfm renders them; differing: {failing:?}",
        examples.len() - misses.len(),
        examples.len()
    );
    assert!(
        unexplained.is_empty(),
        "{} unexplained differences:\n{}",
        unexplained.len(),
        unexplained.join("\n")
    );
}
