#!/usr/bin/env python3
"""Hit rates of serve's highlighted-block cache (issue 17).

    python3 bench/highlight_cache.py BIN SITE_ROOT PAGE.md

Starts `BIN serve --root SITE_ROOT --port 0` with HANDBOOK_TIMINGS=1 (serve
then prints the cache's hits and misses after each build), makes three edits
to PAGE.md (relative to the content folder; pick one with a code block) and
restores it: a prose edit (the page alone is re-rendered), an edit of its
code, an edit of its first heading, and then a comment added to site.toml (a full
rebuild: every page's markdown is rendered again). Prints each build's
line. Both files are restored at the end.
"""
import os, re, subprocess, sys, time

binary, root, rel = sys.argv[1], sys.argv[2], sys.argv[3]
path = os.path.join(root, "content", rel)
original = open(path, encoding="utf-8").read()
site_toml_path = os.path.join(root, "site.toml")
site_toml = open(site_toml_path, encoding="utf-8").read()
env = dict(os.environ, HANDBOOK_TIMINGS="1")
p = subprocess.Popen([binary, "serve", "--root", root, "--port", "0"], env=env,
                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def wait_for(pattern):
    for line in p.stdout:
        if re.search(pattern, line):
            return line.strip()
    sys.exit("serve stopped")


def edit(what, text, file=path):
    with open(file, "w", encoding="utf-8") as f:
        f.write(text)
    cache = wait_for(r"highlight cache")
    print(f"{what}: {cache} ({wait_for(r'^Rebuilt')})")


try:
    print(f"first build: {wait_for(r'highlight cache')}")
    wait_for(r"Serving on")
    fence = original.index("```")
    body_at = original.index("\n\n", original.index("\n# ") if "\n# " in original else 0)
    edit("prose edit", original[:body_at] + "\n\nA new sentence." + original[body_at:])
    end = original.index("\n```", fence + 3)
    edit("code edit", original[:end] + "\n# one more line" + original[end:])
    heading = re.search(r"^#{1,6} .*$", original, re.M)
    edit("heading edit", original[:heading.end()] + " (revised)" + original[heading.end():])
    edit("site.toml edit", site_toml + "\n# touched\n", site_toml_path)
finally:
    with open(site_toml_path, "w", encoding="utf-8") as f:
        f.write(site_toml)
    with open(path, "w", encoding="utf-8") as f:
        f.write(original)
    time.sleep(0.5)
    p.kill()
    p.wait()
