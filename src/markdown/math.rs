//! Math and diagrams, as GitHub shows them. `$…$`, `$$…$$` and ```` ```math
//! ```` blocks become MathML at build time (pulldown-latex), which browsers
//! render natively: no script, no fonts to download. ```` ```mermaid ````
//! blocks become `<pre class="mermaid">` holding the escaped source; the
//! theme loads mermaid's script (URL from `[markdown] mermaid_url`) only on
//! pages that have one, since no maintained crate renders mermaid to SVG.
//!
//! Pure string functions; whether a page needs the script is recorded on
//! `Rendered` by the caller.

use pulldown_latex::{config::DisplayMode, push_mathml, Parser, RenderConfig, Storage};

use crate::escape::escape_html;

/// LaTeX to MathML. The source rides along as an annotation (copy and
/// paste, screen readers); invalid input renders as pulldown-latex's red
/// error text, never as raw HTML.
pub(crate) fn mathml(latex: &str, display: bool) -> String {
    let safe = prepare(latex);
    let storage = Storage::new();
    let parser = Parser::new(&safe, &storage);
    // pulldown-latex writes the annotation as is: escape it here.
    let annotation = escape_html(latex);
    let config = RenderConfig {
        display_mode: if display {
            DisplayMode::Block
        } else {
            DisplayMode::Inline
        },
        annotation: Some(&annotation),
        ..RenderConfig::default()
    };
    let mut out = String::new();
    match push_mathml(&mut out, parser, config) {
        Ok(()) => out,
        Err(_) => format!("<code class=\"math-error\">{annotation}</code>"),
    }
}

/// Why `latex` does not parse (first problem, one line), for a warning
/// that names the file and line; `None` when it is fine.
pub(crate) fn problem(latex: &str) -> Option<String> {
    let safe = prepare(latex);
    let storage = Storage::new();
    let error = Parser::new(&safe, &storage).find_map(Result::err)?;
    let text = error.to_string();
    let first = text.lines().next().unwrap_or("invalid LaTeX");
    Some(first.trim_start_matches("parsing error: ").to_string())
}

/// The source as pulldown-latex gets it. It copies `<` and `>` into its
/// output unescaped (in operators and in error messages), so they reach it
/// as `\lt`/`\gt`; the logo commands GitHub's MathJax knows and it does not
/// (`\LaTeX`, `\TeX`) become their names as text.
fn prepare(latex: &str) -> String {
    let mut out = latex.replace('<', "\\lt ").replace('>', "\\gt ");
    for (command, text) in [("\\LaTeX", "\\text{LaTeX}"), ("\\TeX", "\\text{TeX}")] {
        let mut from = 0;
        while let Some(i) = out[from..].find(command).map(|i| i + from) {
            let end = i + command.len();
            if out[end..].starts_with(|c: char| c.is_ascii_alphabetic()) {
                from = end;
                continue;
            }
            out.replace_range(i..end, text);
            from = i + text.len();
        }
    }
    out
}

/// A mermaid diagram's placeholder: mermaid's script replaces it by an SVG.
pub(crate) fn mermaid(source: &str) -> String {
    format!("<pre class=\"mermaid\">{}</pre>\n", escape_html(source))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_mathml_with_the_source_as_an_escaped_annotation() {
        let html = mathml("x < y^2", false);
        assert!(html.starts_with("<math"), "{html}");
        assert!(html.contains("<msup>"), "{html}");
        assert!(html.contains("x &lt; y^2</annotation>"), "{html}");
        assert!(!html.contains("x < y"), "{html}");
    }

    #[test]
    fn problems_are_one_line_and_absent_for_valid_math() {
        assert_eq!(problem("x^2 + \\frac{1}{2}"), None);
        let p = problem("\\notacommand").expect("a problem");
        assert!(!p.contains('\n') && p.contains("unknown"), "{p}");
    }

    #[test]
    fn logo_commands_render_as_their_names() {
        assert_eq!(problem("\\LaTeX"), None);
        assert_eq!(problem("x^2 + \\TeX"), None);
        assert!(mathml("\\LaTeX", false).contains("LaTeX</mtext>"));
        assert!(problem("\\TeXtra").is_some());
    }

    #[test]
    fn display_math_is_a_block() {
        assert!(mathml("\\sum_i i", true).contains("display=\"block\""));
    }

    #[test]
    fn invalid_latex_never_injects_markup() {
        for src in [
            "\\foo<script>",
            "\\text{<img src=x onerror=alert(1)>}",
            "}{<b>",
        ] {
            let html = mathml(src, false);
            assert!(
                !html.contains("<script") && !html.contains("<img") && !html.contains("<b>"),
                "{html}"
            );
        }
    }
}
