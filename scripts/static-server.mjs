// A tiny static file server for the demo page (node:http only, no dependencies).
//
//   import { startStatic } from "./static-server.mjs";
//   const server = await startStatic({ root: "www", port: 8080 }); // port 0 = any free port
//   console.log(server.url); // http://127.0.0.1:8080
//   await server.close();
//
// CLI: node scripts/static-server.mjs [root=www] [port=8080]
//
// `files` (optional) maps URL paths to in-memory content served instead of the disk, e.g.
// `{ "/local-config.json": JSON.stringify(config) }` (startDemo uses it so tests never touch www/).
//
// It listens on 127.0.0.1 only, serves GET and HEAD, maps "/" and "/dir/" to index.html,
// refuses any path that leaves the root (.., encoded slashes, NUL bytes, symlinks out of root),
// and never lists directories. Files are sent with `Cache-Control: no-store` so a rebuilt
// package is picked up on reload.

import { createServer } from "node:http";
import { createReadStream } from "node:fs";
import { realpath, stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const MIME_TYPES = {
  ".html": "text/html; charset=utf-8",
  ".htm": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".md": "text/markdown; charset=utf-8",
  ".csv": "text/csv; charset=utf-8",
  ".ts": "text/plain; charset=utf-8",
};

export function mimeType(file) {
  return MIME_TYPES[path.extname(file).toLowerCase()] ?? "application/octet-stream";
}

function send(res, status, text, headers = {}) {
  res.writeHead(status, {
    "Content-Type": "text/plain; charset=utf-8",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
    ...headers,
  });
  res.end(text);
}

/** Resolve a URL path to a file under `root` (already realpath'd), or null when it must not be served. */
async function resolveFile(root, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes("\0") || decoded.includes("\\")) return null;
  const segments = decoded.split("/");
  if (segments.some((s) => s === ".." || s === ".")) return null;
  let candidate = path.join(root, ...segments);
  if (candidate !== root && !candidate.startsWith(root + path.sep)) return null;
  let info;
  try {
    info = await stat(candidate);
  } catch {
    return null;
  }
  if (info.isDirectory()) {
    candidate = path.join(candidate, "index.html");
    try {
      info = await stat(candidate);
    } catch {
      return null;
    }
  }
  if (!info.isFile()) return null;
  // Follow symlinks, then check again that the real file is still inside the root.
  const real = await realpath(candidate).catch(() => null);
  if (!real || !(real === root || real.startsWith(root + path.sep))) return null;
  return { file: real, size: info.size };
}

/**
 * Start serving `root` on 127.0.0.1:`port` (0 picks a free port).
 * @returns {Promise<{url: string, port: number, close: () => Promise<void>}>}
 */
export async function startStatic({ root, port = 8080, host = "127.0.0.1", files = {} } = {}) {
  if (!root) throw new Error("startStatic: root is required");
  if (host !== "127.0.0.1" && host !== "localhost" && host !== "::1") {
    throw new Error("startStatic: this server only listens on the loopback interface");
  }
  const realRoot = await realpath(path.resolve(root));

  const server = createServer(async (req, res) => {
    try {
      if (req.method !== "GET" && req.method !== "HEAD") {
        send(res, 405, "Method Not Allowed\n", { Allow: "GET, HEAD" });
        return;
      }
      const url = new URL(req.url ?? "/", "http://localhost");
      let urlPath = url.pathname;
      if (Object.hasOwn(files, urlPath)) {
        const body = Buffer.from(String(files[urlPath]));
        res.writeHead(200, {
          "Content-Type": mimeType(urlPath),
          "Content-Length": body.length,
          "X-Content-Type-Options": "nosniff",
          "Cache-Control": "no-store",
        });
        res.end(req.method === "HEAD" ? undefined : body);
        return;
      }
      if (urlPath.endsWith("/")) urlPath += "index.html";
      const found = await resolveFile(realRoot, urlPath);
      if (!found) {
        send(res, 404, "Not Found\n");
        return;
      }
      res.writeHead(200, {
        "Content-Type": mimeType(found.file),
        "Content-Length": found.size,
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "no-store",
        "Referrer-Policy": "no-referrer",
      });
      if (req.method === "HEAD") {
        res.end();
        return;
      }
      const stream = createReadStream(found.file);
      stream.on("error", () => res.destroy());
      stream.pipe(res);
    } catch {
      if (!res.headersSent) send(res, 500, "Internal Server Error\n");
      else res.destroy();
    }
  });

  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const actualPort = server.address().port;
  const urlHost = host === "::1" ? "[::1]" : host;
  return {
    url: `http://${urlHost}:${actualPort}`,
    port: actualPort,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      }),
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = process.argv[2] ?? "www";
  const port = Number(process.argv[3] ?? process.env.PORT ?? 8080);
  const server = await startStatic({ root, port });
  console.log(`Serving ${path.resolve(root)} at ${server.url}/`);
  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
