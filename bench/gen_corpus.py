#!/usr/bin/env python3
"""Deterministic benchmark corpus for handbook, Zola and Hugo.

    python3 bench/gen_corpus.py --pages N --out DIR [--flavor handbook|zola|hugo|all] [--seed S]

Writes a careers handbook of N markdown files (section `_index.md` files
included): about 20 top sections, each with sub-sections, handbook-like pages
(headings, some repeated; lists; a table; prose from a word list; links to
other pages with `#anchors` that exist; a fenced code block on about a third
of the pages) and about 10% role pages carrying `[role]` data.

Flavors, all built from one plan so the three sites hold the same markdown:

* handbook: DIR/site.toml + DIR/content/, links as relative `.md` paths with
  GitHub heading ids (what handbook resolves and checks).
* zola: DIR/config.toml + DIR/templates/ + DIR/content/. Zola rejects unknown
  front matter keys, so role data sit under `[extra.role]`. Links use Zola's
  `@/path.md#anchor` form so Zola checks them too, and anchors use Zola's own
  heading ids (the `slug` crate: every run of non-alphanumerics becomes one
  `-`), which differ from GitHub's for headings with punctuation.
* hugo: DIR/hugo.toml + DIR/layouts/ + DIR/content/, the handbook markdown as
  is (Hugo's heading ids follow GitHub's); relative `.md` links are resolved by
  Hugo's embedded link render hook (`useEmbedded = "always"`).

Career framework (handbook flavor only): `--ladder LEVELS,TRACKS` widens the
careers ladder of site.toml to that many levels and tracks (the extra ones
have no roles), and `--framework AREAS,COMPETENCIES` writes a framework.toml
over every track and level: AREAS areas, COMPETENCIES competencies spread
over them (one in five belongs to a single track), text at most levels.
Compare `--ladder 8,4` with `--ladder 8,4 --framework 15,60` to see what the
framework costs (bench/framework.sh does).

`--flavor all` writes DIR/handbook, DIR/zola and DIR/hugo. Same seed and N
give byte-identical output. Pure Python 3.11 standard library.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
from dataclasses import dataclass, field

BASE_URL = "https://bench.example/"
SITE_TITLE = "Bench Handbook"

TRACKS = [
    ("engineering", "Engineering", "People who build and run the product."),
    ("design", "Product Design", "People who research and design the product."),
    ("people", "People", "People who hire, pay and look after everyone else."),
]
LEVELS = [
    ("associate", "Associate"),
    ("mid", "Mid-level"),
    ("senior", "Senior"),
    ("staff", "Staff"),
    ("principal", "Principal"),
]
DISCIPLINES = {
    "engineering": ["Software Engineer", "Platform Engineer", "Data Engineer",
                    "Site Reliability Engineer", "Security Engineer", "Mobile Engineer"],
    "design": ["Product Designer", "User Researcher", "Content Designer",
               "Interaction Designer"],
    "people": ["People Partner", "Recruiter", "Learning Partner",
               "Reward Analyst"],
}
SALARY_BASE = {"associate": 32000, "mid": 45000, "senior": 62000, "staff": 80000, "principal": 98000}
LOCATIONS = ["London", "Manchester", "Leeds", "Bristol", "Edinburgh", "Glasgow", "Cardiff", "Belfast"]
WORKPLACES = ["onsite", "hybrid", "remote"]  # remote iff no locations

TOP_SECTIONS = [
    "roles", "culture", "hiring", "onboarding", "benefits", "engineering-practices",
    "design-practices", "security", "operations", "customer-support", "product",
    "finance", "legal", "learning", "wellbeing", "communication", "tools",
    "incident-response", "leadership", "policies",
]
SUB_WORDS = [
    "overview", "guides", "process", "checklists", "standards", "playbooks",
    "teams", "rituals", "reviews", "planning", "reference", "templates",
    "examples", "history", "decisions", "faq", "handover", "metrics",
]

WORDS = """
we our team teams people candidate candidates role roles manager managers work working
hire hiring interview interviews feedback salary band bands level levels promotion
review reviews plan planning goal goals quarter quarterly week weekly day daily meeting
meetings document documents write writing decision decisions owner owners ownership
customer customers product products service services release releases change changes
incident incidents support process processes policy policies benefit benefits leave
holiday holidays pension equipment laptop budget budgets training learning mentor
mentoring onboarding first month months year years expect expectation expectations
clear clearly honest honestly open openly calm careful careful small smaller fast
quickly safely often usually always sometimes rarely each every most many few all
new existing shared written agreed public private remote hybrid office offices home
time times hours flexible core async sync handbook page pages section sections link
question questions answer answers help helps ask asks share shares explain explains
learn learns improve improves measure measures deliver delivers ship ships build
builds run runs own owns lead leads support supports protect protects agree agrees
and and and the the the the of of of to to to a a in in for for with with on on is
is are are be can will should when if that this it as by from at so not but or
""".split()

HEADINGS = [
    "Overview", "Why this matters", "What we expect", "How it works", "Who is involved",
    "Examples", "Common questions", "Step 1: Preparation", "Step 2: The conversation",
    "Step 3: Follow-up", "What's in it for you?", "Pay & benefits", "Timelines",
    "Exceptions", "Related pages", "Getting help", "Tools we use", "Checklist",
    "Responsibilities", "Notes", "Do's and don'ts", "Escalation", "Metrics",
    "Further reading", "History of this page", "Background", "Principles",
    "Open questions", "C++ & Rust services", "On-call (24/7)",
]
REPEATED = ["Examples", "Notes", "Checklist"]

CODE = {
    "rust": ["fn main() {", "    let team = Team::new(\"{w}\");",
             "    for person in team.members() {", "        println!(\"{{}}\", person.name);",
             "    }", "}"],
    "yaml": ["team: {w}", "owners:", "  - alice", "  - bob", "review:",
             "  cadence: weekly", "  channel: \"#{w}\""],
    "bash": ["#!/usr/bin/env bash", "set -euo pipefail", "git switch -c {w}-update",
             "make check", "git push origin HEAD"],
    "toml": ["[team]", "name = \"{w}\"", "cadence = \"weekly\"", "", "[review]",
             "owners = [\"alice\", \"bob\"]"],
    "python": ["def review(team: str) -> list[str]:", "    owners = load_owners(team)",
               "    return sorted(o for o in owners if o.active)", "",
               "print(review(\"{w}\"))"],
}


def github_id(text: str) -> str:
    """GitHub's heading id: lowercase, keep letters, digits, `-`, `_`; space → `-`."""
    out = []
    for c in text.strip():
        if c == " ":
            out.append("-")
        elif c.isalnum() or c in "-_":
            out.append(c.lower())
    return "".join(out)


def zola_id(text: str) -> str:
    """Zola's heading id (`slug::slugify`, ASCII input): runs of other chars → one `-`."""
    out = []
    prev_dash = True
    for c in text:
        if c.isascii() and c.isalnum():
            out.append(c.lower())
            prev_dash = False
        elif not prev_dash:
            out.append("-")
            prev_dash = True
    s = "".join(out)
    return s[:-1] if s.endswith("-") else s


def unique_ids(headings: list[str], idfn) -> list[str]:
    """Duplicates get -1, -2, …, skipping ids already taken (GitHub and Zola agree)."""
    seen: dict[str, int] = {}
    out = []
    for h in headings:
        base = idfn(h)
        result = base
        while result in seen:
            seen[base] = seen.get(base, 0) + 1
            result = f"{base}-{seen[base]}"
        seen[result] = 0
        out.append(result)
    return out


@dataclass
class Role:
    track: str
    level: str
    salary_min: int
    salary_max: int
    opening: dict | None


@dataclass
class Page:
    path: str  # relative to content/, e.g. "hiring/process/page-0001.md"
    title: str
    description: str
    weight: int
    headings: list[tuple[int, str]]  # (level, text)
    is_index: bool = False
    role: Role | None = None
    body: list = field(default_factory=list)  # str chunks and ("link", text, target, heading_idx)

    @property
    def github_ids(self) -> list[str]:
        return unique_ids([h for _, h in self.headings], github_id)

    @property
    def zola_ids(self) -> list[str]:
        return unique_ids([h for _, h in self.headings], zola_id)


def title_case(words: list[str]) -> str:
    return " ".join(w.capitalize() if i == 0 or len(w) > 3 else w for i, w in enumerate(words))


class Generator:
    def __init__(self, pages: int, seed: int):
        self.rng = random.Random(seed)
        self.seed = seed
        self.ladder_size: tuple[int, int] | None = None
        self.framework_size: tuple[int, int] | None = None
        self.n = pages
        self.pages: list[Page] = []

    # ---- plan -----------------------------------------------------------
    def plan(self) -> None:
        rng = self.rng
        subs_per_top = max(1, self.n // 200)
        # A small handbook (under 61 files: bench/coldstart.sh's 27) keeps
        # the first (N - 1) // 5 top sections, each with an index, a
        # sub-section and pages; 61 files and more use them all, as before.
        tops = TOP_SECTIONS if self.n >= 61 else TOP_SECTIONS[: max(2, (self.n - 1) // 5)]
        index_count = 1 + len(tops) * (1 + subs_per_top)
        if len(tops) < 2 or self.n < index_count + len(tops):
            sys.exit("gen_corpus: --pages must be at least 7")
        leaf = self.n - index_count
        roles_n = round(leaf * 0.10)

        self.pages.append(self.new_page("_index.md", SITE_TITLE, is_index=True, weight=0))
        containers: dict[str, list[str]] = {}
        for ti, top in enumerate(tops):
            top_title = top.replace("-", " ").capitalize()
            self.pages.append(self.new_page(f"{top}/_index.md", top_title, is_index=True, weight=ti + 1))
            dirs = [top]
            for si in range(subs_per_top):
                sub = f"{SUB_WORDS[si % len(SUB_WORDS)]}-{si // len(SUB_WORDS) + 1}" if si >= len(SUB_WORDS) else SUB_WORDS[si]
                title = f"{top_title}: {sub.replace('-', ' ')}"
                self.pages.append(self.new_page(f"{top}/{sub}/_index.md", title, is_index=True, weight=si + 1))
                dirs.append(f"{top}/{sub}")
            containers[top] = dirs

        role_dirs = containers["roles"]
        other_dirs = [d for top in tops[1:] for d in containers[top]]
        for i in range(leaf):
            if i < roles_n:
                d = role_dirs[i % len(role_dirs)]
                track = TRACKS[i % len(TRACKS)][0]
                level_id, level_name = LEVELS[(i // len(TRACKS)) % len(LEVELS)]
                disc = rng.choice(DISCIPLINES[track])
                title = f"{level_name} {disc}"
                role = self.new_role(track, level_id)
                p = self.new_page(f"{d}/role-{i:05d}.md", title, weight=i + 1)
                p.role = role
            else:
                d = rng.choice(other_dirs)
                words = [rng.choice(WORDS) for _ in range(rng.randint(2, 4))]
                title = title_case(words)
                p = self.new_page(f"{d}/page-{i:05d}.md", title, weight=i + 1)
            self.pages.append(p)
        for p in self.pages:
            p.body = self.plan_body(p)

    def new_page(self, path: str, title: str, is_index: bool = False, weight: int = 0) -> Page:
        rng = self.rng
        count = rng.randint(3, 8)
        texts = rng.sample(HEADINGS, count - 1) + [rng.choice(REPEATED)]
        if texts[-1] not in texts[:-1] and rng.random() < 0.6:
            texts[0] = texts[-1]  # most pages repeat a heading: ids get -1
        rng.shuffle(texts)
        headings = [(2 if j == 0 or rng.random() < 0.75 else 3, t) for j, t in enumerate(texts)]
        desc = self.sentence(8, 16)
        return Page(path, title, desc, weight, headings, is_index=is_index)

    def new_role(self, track: str, level: str) -> Role:
        rng = self.rng
        lo = SALARY_BASE[level] + rng.randrange(0, 8000, 500)
        hi = lo + rng.randrange(8000, 20000, 500)
        opening = None
        if rng.random() < 0.4:
            opening = {
                "locations": rng.sample(LOCATIONS, rng.randint(0, 3)),
                "workplace": rng.choice(WORKPLACES[:2]),
                "opens": f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                "closes": f"2099-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            }
            if not opening["locations"]:
                opening["workplace"] = "remote"
        return Role(track, level, lo, hi, opening)

    # ---- prose ----------------------------------------------------------
    def sentence(self, lo: int = 8, hi: int = 20) -> str:
        words = [self.rng.choice(WORDS) for _ in range(self.rng.randint(lo, hi))]
        return " ".join(words).capitalize() + "."

    def paragraph(self, page: Page, links: bool) -> list:
        rng = self.rng
        chunks: list = []
        for _ in range(rng.randint(2, 4)):
            s = self.sentence()
            r = rng.random()
            if r < 0.15:
                w = rng.choice(WORDS)
                s = s.replace(f" {w} ", f" `{w}` ", 1)
            elif r < 0.3:
                w = rng.choice(WORDS)
                s = s.replace(f" {w} ", f" **{w}** ", 1)
            chunks.append(s + " ")
            if links and rng.random() < 0.35:
                chunks.extend(self.link_chunk(page))
                chunks.append(" ")
        return chunks

    def link_chunk(self, page: Page) -> list:
        rng = self.rng
        while True:
            target = rng.randrange(len(self.pages))
            if self.pages[target] is not page:
                break
        t = self.pages[target]
        heading = rng.randrange(len(t.headings)) if rng.random() < 0.6 else None
        text = f"see {t.title.lower()}"
        return ["(", ("link", text, target, heading), ")."]

    def plan_body(self, page: Page) -> list:
        rng = self.rng
        out: list = []
        out.extend(self.paragraph(page, links=True))
        out.append("\n\n")
        table_at = rng.randrange(len(page.headings))
        code_at = rng.randrange(len(page.headings)) if rng.random() < 1 / 3 else None
        for j, (level, text) in enumerate(page.headings):
            out.append(f"{'#' * level} {text}\n\n")
            kind = rng.random()
            if kind < 0.45:
                out.extend(self.paragraph(page, links=True))
                out.append("\n\n")
            else:
                for _ in range(rng.randint(3, 5)):
                    out.append("- ")
                    out.append(self.sentence(5, 12))
                    if rng.random() < 0.2:
                        out.append(" ")
                        out.extend(self.link_chunk(page))
                    out.append("\n")
                out.append("\n")
            if j == table_at:
                out.append("| Stage | Owner | Typical time |\n| --- | --- | --- |\n")
                for _ in range(rng.randint(3, 5)):
                    out.append(f"| {rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} | "
                               f"{rng.choice(['People team', 'Hiring manager', 'Recruiter', 'Team lead'])} | "
                               f"{rng.randint(1, 10)} days |\n")
                out.append("\n")
            if j == code_at:
                lang = rng.choice(sorted(CODE))
                w = rng.choice(WORDS)
                out.append(f"```{lang}\n" + "\n".join(CODE[lang]).replace("{w}", w) + "\n```\n\n")
        return out

    # ---- write ----------------------------------------------------------
    def render_body(self, page: Page, flavor: str) -> str:
        parts = []
        here = os.path.dirname(page.path)
        for c in page.body:
            if isinstance(c, str):
                parts.append(c)
                continue
            _, text, target, heading = c
            t = self.pages[target]
            if flavor == "zola":
                href = "@/" + t.path
                frag = t.zola_ids[heading] if heading is not None else None
            else:
                href = os.path.relpath(t.path, here or ".")
                frag = t.github_ids[heading] if heading is not None else None
            parts.append(f"[{text}]({href}{'#' + frag if frag else ''})")
        return "".join(parts)

    def front_matter(self, page: Page, flavor: str) -> str:
        lines = ["+++", f'title = "{page.title}"', f'description = "{page.description}"',
                 f"weight = {page.weight}"]
        if flavor == "zola" and page.is_index:
            # Zola lists a section's pages unsorted unless told; handbook sorts by weight.
            lines.append('sort_by = "weight"')
        r = page.role
        if r is not None:
            prefix = "extra.role" if flavor == "zola" else "role"
            lines += ["", f"[{prefix}]", f'track = "{r.track}"', f'level = "{r.level}"',
                      f'salary = {{ min = {r.salary_min}, max = {r.salary_max}, currency = "GBP", period = "year" }}']
            if r.opening:
                o = r.opening
                locs = ", ".join(f'"{x}"' for x in o["locations"])
                lines += ["", f"[{prefix}.opening]", f"locations = [{locs}]",
                          f'workplace = "{o["workplace"]}"',
                          f"opens = {o['opens']}", f"closes = {o['closes']}"]
        lines.append("+++")
        return "\n".join(lines) + "\n\n"

    def write_content(self, content_dir: str, flavor: str) -> None:
        for p in self.pages:
            path = os.path.join(content_dir, p.path)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8", newline="\n") as f:
                f.write(self.front_matter(p, flavor))
                f.write(self.render_body(p, flavor))

    def ladder(self) -> tuple[list[tuple[str, str, str]], list[tuple[str, str]]]:
        """The site's tracks and levels: the corpus's own, widened to --ladder."""
        levels_n, tracks_n = self.ladder_size or (len(LEVELS), len(TRACKS))
        tracks = list(TRACKS) + [(f"track-{i}", f"Track {i}", "A generated track.")
                                 for i in range(len(TRACKS) + 1, tracks_n + 1)]
        levels = list(LEVELS) + [(f"level-{i}", f"Level {i}")
                                 for i in range(len(LEVELS) + 1, levels_n + 1)]
        return tracks[:max(tracks_n, len(TRACKS))], levels[:max(levels_n, len(LEVELS))]

    def write_framework(self, out: str, areas_n: int, comps_n: int) -> None:
        rng = random.Random(self.seed + 1)
        tracks, levels = self.ladder()
        text = lambda n: " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."
        out_lines = ["# Generated by bench/gen_corpus.py --framework.\n"]
        for a in range(areas_n):
            out_lines.append(f'[[area]]\nid = "area-{a}"\nname = "Area {a}"\ndescription = "{text(12)}"\n')
        for c in range(comps_n):
            out_lines.append(f'[[competency]]\nid = "competency-{c}"\narea = "area-{c % areas_n}"\n'
                             f'name = "Competency {c}"\ndescription = "{text(10)}"')
            if c % 5 == 4:
                out_lines.append(f'tracks = ["{tracks[c % len(tracks)][0]}"]')
            out_lines.append("[competency.levels]")
            for li, (lid, _) in enumerate(levels):
                if li == 0 or rng.random() < 0.75:
                    out_lines.append(f'{lid} = "{text(rng.randint(12, 30))} **{text(2)}**"')
            if c % 3 == 0:
                out_lines.append(f'[[competency.examples]]\nlevel = "{levels[c % len(levels)][0]}"\ntext = "{text(14)}"')
            out_lines.append("")
        write(out, "framework.toml", "\n".join(out_lines))

    def write_handbook(self, out: str) -> None:
        site_tracks, site_levels = self.ladder()
        tracks = "".join(f'\n[[careers.tracks]]\nid = "{i}"\nname = "{n}"\ndescription = "{d}"\n'
                         for i, n, d in site_tracks)
        levels = "".join(f'\n[[careers.levels]]\nid = "{i}"\nname = "{n}"\n' for i, n in site_levels)
        write(out, "site.toml", f'''# Generated by bench/gen_corpus.py ({self.n} pages).
title = "{SITE_TITLE}"
base_url = "{BASE_URL}"
description = "A generated handbook for benchmarks."
language = "en-GB"

[organization]
name = "Bench Ltd"
logo = "images/logo.svg"

[markdown]
highlight_theme = "css"

[links]
internal = "warn"

[careers]
require_salary = true
default_currency = "GBP"
country = "GB"
apply_url = "https://bench.example/apply"
{tracks}{levels}''')
        self.write_content(os.path.join(out, "content"), "handbook")
        write(out, "content/images/logo.svg", '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64">'
              '<rect width="64" height="64" rx="12" fill="#1d4ed8"/></svg>\n')
        if self.framework_size:
            self.write_framework(out, *self.framework_size)

    def write_zola(self, out: str) -> None:
        write(out, "config.toml", f'''# Generated by bench/gen_corpus.py ({self.n} pages).
base_url = "{BASE_URL}"
title = "{SITE_TITLE}"
compile_sass = false
build_search_index = false
generate_feeds = false

[markdown.highlighting]
style = "class"
light_theme = "github-light"
dark_theme = "github-dark"
''')
        nav = '''<nav>
  <a href="{{ get_url(path="@/_index.md") }}">Home</a>
  {% set root = get_section(path="_index.md", metadata_only=true) %}
  {% for s in root.subsections %}{% set sub = get_section(path=s, metadata_only=true) %}<a href="{{ sub.permalink | safe }}">{{ sub.title }}</a> {% endfor %}
</nav>'''
        head = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ %s.title }} | {{ config.title }}</title><link rel="stylesheet" href="{{ get_url(path="giallo-light.css") }}"></head><body>'
        write(out, "templates/page.html", head % "page" + "\n" + nav + '''
<main><h1>{{ page.title }}</h1>
{% if page.extra.role %}<p>{{ page.extra.role.track }} · {{ page.extra.role.level }} · {{ page.extra.role.salary.min }}–{{ page.extra.role.salary.max }} {{ page.extra.role.salary.currency }}</p>{% endif %}
{{ page.content | safe }}</main></body></html>
''')
        section = head % "section" + "\n" + nav + '''
<main><h1>{{ section.title }}</h1>
{{ section.content | safe }}
<ul>{% for s in section.subsections %}{% set sub = get_section(path=s, metadata_only=true) %}<li><a href="{{ sub.permalink | safe }}">{{ sub.title }}</a></li>{% endfor %}</ul>
<ul>{% for p in section.pages %}<li><a href="{{ p.permalink | safe }}">{{ p.title }}</a></li>{% endfor %}</ul>
</main></body></html>
'''
        write(out, "templates/section.html", section)
        write(out, "templates/index.html", section)
        self.write_content(os.path.join(out, "content"), "zola")

    def write_hugo(self, out: str) -> None:
        write(out, "hugo.toml", f'''# Generated by bench/gen_corpus.py ({self.n} pages).
baseURL = "{BASE_URL}"
title = "{SITE_TITLE}"
disableKinds = ["taxonomy", "term", "RSS"]

[markup.highlight]
noClasses = false

[markup.goldmark.renderHooks.link]
useEmbedded = "always"
''')
        write(out, "layouts/_default/baseof.html", '''<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} | {{ site.Title }}</title></head><body>
{{ partialCached "nav.html" . }}
<main>{{ block "main" . }}{{ end }}</main></body></html>
''')
        # The nav is the same on every page: partialCached renders it once.
        # Calling site.Sections on every page made N=10,000 take minutes (O(N²)).
        write(out, "layouts/partials/nav.html", '''<nav><a href="{{ site.Home.RelPermalink }}">Home</a> {{ range site.Sections }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ end }}</nav>
''')
        write(out, "layouts/_default/single.html", '''{{ define "main" }}<h1>{{ .Title }}</h1>
{{ with .Params.role }}<p>{{ .track }} · {{ .level }} · {{ .salary.min }}–{{ .salary.max }} {{ .salary.currency }}</p>{{ end }}
{{ .Content }}{{ end }}
''')
        write(out, "layouts/_default/list.html", '''{{ define "main" }}<h1>{{ .Title }}</h1>
{{ .Content }}
<ul>{{ range .Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
<ul>{{ range .RegularPages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
''')
        self.write_content(os.path.join(out, "content"), "hugo")


def write(root: str, rel: str, text: str) -> None:
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, required=True, help="markdown files to write, _index.md included")
    ap.add_argument("--out", required=True, help="output folder (replaced if it exists)")
    ap.add_argument("--flavor", choices=["handbook", "zola", "hugo", "all"], default="handbook")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--ladder", help="LEVELS,TRACKS: widen the careers ladder (handbook flavor)")
    ap.add_argument("--framework", help="AREAS,COMPETENCIES: write framework.toml (handbook flavor)")
    args = ap.parse_args()

    gen = Generator(args.pages, args.seed)
    pair = lambda v, name: tuple(int(x) for x in v.split(",")) if v else None
    try:
        gen.ladder_size = pair(args.ladder, "ladder")
        gen.framework_size = pair(args.framework, "framework")
    except ValueError:
        sys.exit("gen_corpus: --ladder and --framework take two numbers, e.g. --ladder 8,4 --framework 15,60")
    gen.plan()
    if os.path.exists(args.out):
        shutil.rmtree(args.out)
    flavors = ["handbook", "zola", "hugo"] if args.flavor == "all" else [args.flavor]
    for fl in flavors:
        out = os.path.join(args.out, fl) if args.flavor == "all" else args.out
        getattr(gen, f"write_{fl}")(out)
    md = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(
        os.path.join(args.out, "handbook" if args.flavor == "all" else "", "content")) for f in fs)
    print(f"gen_corpus: {len(gen.pages)} pages ({sum(p.role is not None for p in gen.pages)} roles), "
          f"{md / len(gen.pages) / 1024:.1f} KiB of markdown per page → {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
