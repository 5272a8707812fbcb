// The local demo: a mock Genesys Cloud (billing API + OAuth login) and a static server for www/.
//
// `make demo` runs this after building the package and copying it to www/pkg/:
//   node scripts/demo.mjs            # Demo: http://127.0.0.1:8080/   Mock Genesys Cloud: http://127.0.0.1:18787
//   DEMO_PORT=9000 MOCK_PORT=19000 node scripts/demo.mjs
// It runs until Ctrl-C and then stops both servers.
//
// The e2e tests reuse it:  const demo = await startDemo({ port: 0, mockPort: 0, writeConfig: false });
//
// The page learns the mock's address from ./local-config.json:
//   {"mockUrl": "http://127.0.0.1:18787", "clientId": "local-demo-client"}
// The static server always serves that file from memory; it is also written to www/local-config.json
// (generated, gitignored) unless `writeConfig: false`, so www/ can be served by any other server too.

import { access, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { startStatic } from "./static-server.mjs";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const LOCAL_CLIENT_ID = "local-demo-client";

async function exists(file) {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * Start the mock and the static server.
 * @param {object} [options]
 * @param {number} [options.port]      static server port (default $DEMO_PORT or 8080; 0 = any free port)
 * @param {number} [options.mockPort]  mock port (default $MOCK_PORT or 18787; 0 = any free port)
 * @param {string} [options.root]      directory to serve (default www/)
 * @param {boolean} [options.writeConfig] also write <root>/local-config.json (default true)
 * @param {object} [options.mock]      extra startMock options (orgs, failingOrgs, usages, seed, currencies, ...)
 * @returns {Promise<{demoUrl: string, mockUrl: string, mock: object, close: () => Promise<void>}>}
 */
export async function startDemo(options = {}) {
  const port = options.port ?? Number(process.env.DEMO_PORT || 8080);
  const mockPort = options.mockPort ?? Number(process.env.MOCK_PORT || 18787);
  const root = path.resolve(options.root ?? path.join(repoRoot, "www"));
  const writeConfig = options.writeConfig ?? true;

  const mockModule = path.join(repoRoot, "tests/mock/genesys-mock.mjs");
  if (!(await exists(mockModule))) {
    throw new Error(`startDemo: the mock server ${mockModule} does not exist`);
  }
  const { startMock } = await import(pathToFileURL(mockModule).href);
  const mock = await startMock({ port: mockPort, orgs: 20, failingOrgs: 3, ...options.mock });
  const mockUrl = String(mock.url).replace(/\/+$/, "");

  const config = { mockUrl, clientId: LOCAL_CLIENT_ID };
  const configJson = JSON.stringify(config, null, 2) + "\n";
  if (writeConfig) await writeFile(path.join(root, "local-config.json"), configJson);

  let site;
  try {
    site = await startStatic({ root, port, files: { "/local-config.json": configJson } });
  } catch (err) {
    await mock.close();
    throw err;
  }

  let closed = false;
  return {
    demoUrl: `${site.url}/`,
    mockUrl,
    mock,
    close: async () => {
      if (closed) return;
      closed = true;
      await Promise.allSettled([site.close(), mock.close()]);
    },
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const wwwPkg = path.join(repoRoot, "www/pkg/genesys_billing.js");
  if (!(await exists(wwwPkg))) {
    console.warn(
      "Warning: www/pkg/genesys_billing.js is missing; build the package and copy pkg/ to www/pkg/ (make demo does both).",
    );
  }
  let demo;
  try {
    demo = await startDemo();
  } catch (err) {
    console.error(`Could not start the demo: ${err.message}`);
    if (err.code === "EADDRINUSE") console.error("Set DEMO_PORT / MOCK_PORT to free ports.");
    process.exit(1);
  }
  console.log(`Demo: ${demo.demoUrl}`);
  console.log(`Mock Genesys Cloud: ${demo.mockUrl}`);
  console.log("Choose the region \"Local demo\" and sign in; press Ctrl-C to stop.");
  // The mock's default client-credentials client (not a secret: the mock's documented default).
  console.log(
    `Command line: GENESYS_CLIENT_ID=mock-client GENESYS_CLIENT_SECRET=mock-secret node pkg/bin/genesys-billing.mjs partner ` +
      `--api-base-url ${demo.mockUrl} --login-base-url ${demo.mockUrl} --out invoice.csv --failures failures.json`,
  );
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log("\nStopping the demo...");
    await demo.close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
