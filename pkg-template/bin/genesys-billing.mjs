#!/usr/bin/env node
// genesys-billing: the package's command line, for a monthly job (cron, a CI schedule).
//
//   genesys-billing partner --region R [--period N] [--format F] [--out FILE] [--failures FILE] ...
//   genesys-billing partner --region R --period N --compare-with M [--format comparison-csv|json] ...
//   genesys-billing usage --region R --start DATE --end DATE --currency C --price-book FILE ...
//
// `genesys-billing --help` lists every option. Credentials come only from the environment:
// GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET (an OAuth client of type Client Credentials), or
// GENESYS_ACCESS_TOKEN; they are never taken from arguments and never printed. Progress and the
// summary go to stderr; the output file appears whole or not at all (written beside the target,
// renamed at the end). Exit status: 0 every enabled customer org billed; 3 the file was written
// but some orgs failed; 2 bad arguments or environment; 1 nothing written; 130 interrupted.
import { parseArgs } from "node:util";
import { randomBytes } from "node:crypto";
import { readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { open, readFile } from "node:fs/promises";
import path from "node:path";
import * as billing from "../node/index.mjs";

const NAME = "genesys-billing";
const EXIT = { ok: 0, failed: 1, usage: 2, partial: 3, interrupted: 130, terminated: 143 };
const FORMATS = ["csv", "json", "focus", "stripe", "xero", "quickbooks", "comparison-csv"];
// With --compare-with the output is the comparison: its rows as CSV, or everything as JSON.
const COMPARISON_FORMATS = ["comparison-csv", "json"];
const ROUNDINGS = ["half-up", "half-even"];
const DATE_FORMATS = ["DD/MM/YYYY", "MM/DD/YYYY", "YYYY-MM-DD"];
const FOCUS_VERSIONS = ["1.2", "1.3", "1.4"];
const MAX_CONCURRENCY = 32;
const MAX_PERIOD = 1000; // the package's largest billing period index
// The comparison's alert thresholds: flag → the package's option.
const THRESHOLDS = {
  "overage-amount": "overageAmount",
  "overage-quantity-increase": "overageQuantityIncrease",
  "total-increase-percent": "totalIncreasePercent",
};
// Alert codes in the order the summary lists them (any other code after these).
const ALERT_CODES = ["overage", "total_increase", "new_license", "gone_license", "ramp_period"];

// What each flag takes, for parseArgs and for the messages of a bad value.
const OPTIONS = {
  region: { type: "string", allowed: "a Genesys Cloud region: its domain (mypurecloud.ie) or id (eu-west-1)" },
  "api-base-url": { type: "string", allowed: "an https URL (plain http only for localhost), e.g. https://api.mypurecloud.ie" },
  "login-base-url": { type: "string", allowed: "an https URL (plain http only for localhost), e.g. https://login.mypurecloud.ie" },
  "requests-per-minute": { type: "string", allowed: "a whole number from 0 (no pacing) to 1000000; default 300" },
  format: { type: "string", short: "f", allowed: `one of ${FORMATS.join(", ")} (with --compare-with: ${COMPARISON_FORMATS.join(" or ")})` },
  out: { type: "string", short: "o", allowed: "a file name, or - for stdout" },
  quiet: { type: "boolean", short: "q" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean" },
  rounding: { type: "string", allowed: `one of ${ROUNDINGS.join(", ")}` },
  "price-book": { type: "string", allowed: "a JSON or CSV file" },
  "invoice-date": { type: "string", allowed: "a date YYYY-MM-DD" },
  "date-format": { type: "string", allowed: `one of ${DATE_FORMATS.join(", ")}` },
  "focus-version": { type: "string", allowed: `one of ${FOCUS_VERSIONS.join(", ")}` },
  "allow-unpriced": { type: "boolean" },
  // partner
  period: { type: "string", allowed: `a whole number: 0 the current billing period, 1 the one before, … up to ${MAX_PERIOD}` },
  "compare-with": { type: "string", allowed: `a whole number up to ${MAX_PERIOD}: an earlier billing period than --period, i.e. a larger number (--period 1 --compare-with 2)` },
  "overage-amount": { type: "string", allowed: "a decimal amount of at least 0 such as 100 or 12.50 (the currency's own units)" },
  "overage-quantity-increase": { type: "string", allowed: "a decimal quantity of at least 0 such as 10 or 2.5" },
  "total-increase-percent": { type: "string", allowed: "a decimal percentage of at least 0 such as 20 or 12.5" },
  markup: { type: "string", allowed: "a decimal percentage such as 12.5, or --markup=-5 for a discount" },
  "no-minimum": { type: "boolean" },
  concurrency: { type: "string", allowed: `a whole number from 1 to ${MAX_CONCURRENCY}` },
  failures: { type: "string", allowed: "a file name" },
  // usage
  start: { type: "string", allowed: "a date YYYY-MM-DD (UTC)" },
  end: { type: "string", allowed: "a date YYYY-MM-DD (UTC), not before --start" },
  currency: { type: "string", allowed: "a three-letter ISO 4217 code such as USD" },
  company: { type: "string", allowed: "the name to write in the Company column" },
};
const ONLY = {
  partner: ["period", "markup", "no-minimum", "concurrency", "failures", "compare-with", ...Object.keys(THRESHOLDS)],
  usage: ["start", "end", "currency", "company"],
};

const HELP = `Usage:
  ${NAME} partner --region R [--period N] [--format F] [--out FILE] [options]
      An invoice of every enabled customer org of a partner (trusteebillingoverview).
  ${NAME} partner --region R --period N --compare-with M [--format comparison-csv|json] [--out FILE] [options]
      What changed from billing period M to N for every enabled customer org, with alerts.
  ${NAME} usage --region R --start DATE --end DATE --currency C --price-book FILE [--format F] [--out FILE]
      Your own org's billable usage, priced from your price book.

Where:
  --region R              a region's domain (mypurecloud.ie) or id (eu-west-1)
  --api-base-url URL      instead of --region, for a proxy or a local mock (plain http only for localhost)
  --login-base-url URL    where to sign in (with --api-base-url; default: the region's login host)
  --requests-per-minute N pace API requests (default 300, Genesys Cloud's per-token limit; 0: off)

Output:
  --format F              csv (default), json, focus, stripe, xero, quickbooks;
                          with --compare-with: comparison-csv (default) or json
  --out FILE              write FILE whole or not at all (default, or -: stdout)
  --invoice-date DATE     xero and quickbooks: the invoices' date (default: the day after the billing period)
  --date-format F         xero and quickbooks: DD/MM/YYYY, MM/DD/YYYY or YYYY-MM-DD
                          (default DD/MM/YYYY for Xero, MM/DD/YYYY for QuickBooks)
  --focus-version V       focus: 1.2, 1.3 or 1.4 (default 1.4)
  --allow-unpriced        focus, stripe, xero, quickbooks: write the file even if some lines have no rate
                          (focus: empty cost cells; the others leave those lines out)
  --quiet                 no progress, summary or export notes on stderr (errors, failed orgs and
                          a comparison's alert counts still)

Pricing:
  --rounding R            half-up (default) or half-even
  --price-book FILE       partner: JSON {"part number or usage name": {"prepay": "1.00", "onDemand": "2.00"}}
                          usage (required): CSV lines "usage name,rate" or JSON {"usage name": "rate"}
  --markup P              partner: every rate × (1 + P/100); --markup=-5 for a 5 % discount
  --no-minimum            partner: no minimum-commitment top-up lines

Partner runs:
  --period N              billing period: 0 the current one (default), 1 the previous one, …
  --concurrency N         overviews fetched at once, 1 to ${MAX_CONCURRENCY} (default 4)
  --failures FILE         write the orgs that could not be billed as JSON ([] when none)

Comparisons (partner):
  --compare-with M        compare billing period M with --period N; M is the earlier one, a larger
                          number (--period 1 --compare-with 2: last month against the month before).
                          A row per org, currency, license and charge (both quantities and amounts,
                          the change, its % half-up), alerts and both periods' totals on stderr.
                          comparison-csv: the rows; json: {comparison, previous, current, failures,
                          skipped} (previous, current: the two periods' invoices). An org that fails
                          in either period is in neither; --failures names the period.
  --overage-amount A      alert on an on-demand line whose current amount is at least A
                          (default: any amount above zero)
  --overage-quantity-increase Q
                          ... or whose quantity rose by at least Q
  --total-increase-percent P
                          alert on an org whose total rose by at least P % (default 20)

Usage runs:
  --start DATE --end DATE the days (YYYY-MM-DD, UTC), both included
  --currency C            the price book's currency (ISO 4217, e.g. USD)
  --company NAME          the Company column

Credentials (environment only, never printed):
  GENESYS_CLIENT_ID, GENESYS_CLIENT_SECRET   an OAuth client of type Client Credentials
  GENESYS_ACCESS_TOKEN                       or a token (used first when set)

Exit status: 0 all billed; 3 file written, some orgs failed; 2 bad arguments; 1 nothing written;
130 interrupted (Ctrl-C: requests in flight are aborted and no file is left behind).
`;

class UsageError extends Error {}
class RunError extends Error {}

// Every text written to stderr goes through say(), which blanks the secrets it knows.
const secrets = [];
function redact(text) {
  let out = String(text);
  for (const s of secrets) if (s) out = out.split(s).join("[redacted]");
  return out;
}
function say(text) {
  process.stderr.write(`${redact(text)}\n`);
}

// ---------------------------------------------------------------------------------------------
// Interruption: Ctrl-C aborts the requests in flight; temporary files are removed.

const controller = new AbortController();
const temporaries = new Set();
let stopSignal = null;
function removeTemporaries() {
  for (const file of temporaries) rmSync(file, { force: true });
  temporaries.clear();
}
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    if (stopSignal) {
      // A second Ctrl-C: stop now.
      removeTemporaries();
      process.exit(signal === "SIGINT" ? EXIT.interrupted : EXIT.terminated);
    }
    stopSignal = signal;
    controller.abort();
  });
}
const interruptedExit = () => (stopSignal === "SIGTERM" ? EXIT.terminated : EXIT.interrupted);

// ---------------------------------------------------------------------------------------------
// Arguments

function parse(argv) {
  const options = Object.fromEntries(Object.entries(OPTIONS).map(([k, { type, short }]) => [k, short ? { type, short } : { type }]));
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    const flag = /'(?:-\w, )?(--[\w-]+)/.exec(err.message)?.[1];
    const name = flag?.slice(2);
    if (err.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") throw new UsageError(`unknown option ${flag ?? err.message} (see ${NAME} --help)`);
    const allowed = name && OPTIONS[name]?.allowed;
    if (allowed && /argument missing/.test(err.message)) throw new UsageError(`${flag} needs a value: ${allowed}`);
    if (allowed && /ambiguous/.test(err.message)) throw new UsageError(`${flag}: write a value starting with "-" as ${flag}=VALUE; it takes ${allowed}`);
    if (name && OPTIONS[name]?.type === "boolean") throw new UsageError(`${flag} takes no value`);
    throw new UsageError(`${err.message.split("\n")[0]} (see ${NAME} --help)`);
  }
  return parsed;
}

function need(values, name) {
  const value = values[name];
  if (value === undefined || value === "") throw new UsageError(`--${name} is required: ${OPTIONS[name].allowed}`);
  return value;
}

function bad(name, value, reason = "") {
  return new UsageError(`--${name} ${JSON.stringify(value)}${reason ? `: ${reason}` : " is not valid"}; it takes ${OPTIONS[name].allowed}`);
}

function wholeNumber(values, name, min, max, fallback) {
  const raw = values[name];
  if (raw === undefined) return fallback;
  if (!/^\d{1,9}$/.test(raw) || Number(raw) < min || Number(raw) > max) throw bad(name, raw);
  return Number(raw);
}

function oneOf(values, name, allowed, fallback) {
  const raw = values[name];
  if (raw === undefined) return fallback;
  if (!allowed.includes(raw)) throw bad(name, raw);
  return raw;
}

function day(values, name) {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw);
  const date = m && new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (!date || date.toISOString().slice(0, 10) !== raw) throw bad(name, raw, "no such day");
  return raw;
}

/** A file path to write: its folder must exist; "-" is stdout where allowed. */
function outputPath(values, name, { stdout }) {
  const raw = values[name];
  if (raw === undefined || (stdout && raw === "-")) return raw === undefined && stdout ? "-" : raw;
  if (raw === "" || raw === "-") throw bad(name, raw);
  const file = path.resolve(raw);
  let info;
  try {
    info = statSync(path.dirname(file));
  } catch {
    throw bad(name, raw, `the folder ${path.dirname(file)} does not exist`);
  }
  if (!info.isDirectory()) throw bad(name, raw, `${path.dirname(file)} is not a folder`);
  try {
    if (statSync(file).isDirectory()) throw bad(name, raw, "that is a folder");
  } catch (err) {
    if (err instanceof UsageError) throw err;
  }
  return file;
}

/** Runs a check of the package on a value; its error becomes a bad-argument error for the flag. */
function checkWith(name, value, check) {
  try {
    check();
  } catch (err) {
    if (err?.name === "GenesysBillingError") throw bad(name, value, err.message);
    throw err;
  }
}

// Empty inputs on which the package checks options exactly as a run would.
const EMPTY_OVERVIEW = { organization: { id: "-", name: "-" }, currency: "USD", enabledProducts: [], subscriptionType: "PREPAY", usages: [] };
const EMPTY_REPORT = { startDate: "2026-01-01T00:00:00Z", endDate: "2026-01-31T23:59:59.999Z", usages: [] };
const EMPTY_INVOICE = { lines: [], totals: [], warnings: [] };

function settings(argv, env) {
  const { values, positionals } = parse(argv);
  const settings = { quiet: Boolean(values.quiet) };
  if (values.help) return { ...settings, help: true };
  if (values.version) return { ...settings, version: true };
  const [command, ...extra] = positionals;
  if (command === undefined) throw new UsageError(`a command is required: partner or usage (see ${NAME} --help)`);
  if (!["partner", "usage"].includes(command)) throw new UsageError(`unknown command ${JSON.stringify(command)}: partner or usage (see ${NAME} --help)`);
  if (extra.length) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])} (options start with --; see ${NAME} --help)`);
  const other = command === "partner" ? "usage" : "partner";
  for (const name of ONLY[other]) if (values[name] !== undefined) throw new UsageError(`--${name} is for \`${NAME} ${other}\`, not \`${command}\``);
  settings.command = command;

  // Where: a region, or an API base URL (with a login base URL to sign in with a client).
  if (values.region !== undefined && values["api-base-url"] !== undefined) {
    throw new UsageError("--region and --api-base-url exclude each other: give one");
  }
  if (values.region === undefined && values["api-base-url"] === undefined) {
    throw new UsageError(`--region is required: ${OPTIONS.region.allowed} (or --api-base-url URL)`);
  }
  const where = values.region !== undefined ? { region: need(values, "region") } : { apiBaseUrl: need(values, "api-base-url") };
  const requestsPerMinute = wholeNumber(values, "requests-per-minute", 0, 1_000_000, undefined);
  settings.client = { ...where, ...(requestsPerMinute !== undefined && { requestsPerMinute }) };
  // The package checks the region, the URL and the pacing exactly as a run would (no request).
  try {
    new billing.BillingClient({ accessToken: "argument-check", ...settings.client }).free();
  } catch (err) {
    if (err?.name !== "GenesysBillingError") throw err;
    const name = err.code === "unknown_region" ? "region" : err.code === "invalid_base_url" ? "api-base-url" : "requests-per-minute";
    throw bad(name, values[name], err.message);
  }

  // Output.
  const comparing = values["compare-with"] !== undefined;
  const format = oneOf(values, "format", FORMATS, comparing ? "comparison-csv" : "csv");
  if (comparing && !COMPARISON_FORMATS.includes(format)) {
    throw new UsageError(`--format ${JSON.stringify(format)} does not go with --compare-with: a comparison takes --format comparison-csv (the default) or json`);
  }
  if (!comparing && format === "comparison-csv") {
    throw new UsageError(`--format comparison-csv needs --compare-with M (\`${NAME} partner --period N --compare-with M\`): ${OPTIONS["compare-with"].allowed}`);
  }
  for (const name of Object.keys(THRESHOLDS)) {
    if (values[name] !== undefined && !comparing && command === "partner") throw new UsageError(`--${name} is for comparisons: add --compare-with M`);
  }
  settings.format = format;
  const accounting = format === "xero" || format === "quickbooks";
  for (const [name, applies, which] of [
    ["invoice-date", accounting, "xero or quickbooks"],
    ["date-format", accounting, "xero or quickbooks"],
    ["focus-version", format === "focus", "focus"],
    ["allow-unpriced", !["csv", "json", "comparison-csv"].includes(format), "focus, stripe, xero or quickbooks (csv, json and comparison-csv always list unpriced lines)"],
  ]) {
    if (values[name] !== undefined && !applies) throw new UsageError(`--${name} is for --format ${which}, not ${format}`);
  }
  settings.invoiceDate = day(values, "invoice-date");
  settings.dateFormat = oneOf(values, "date-format", DATE_FORMATS, undefined);
  settings.focusVersion = oneOf(values, "focus-version", FOCUS_VERSIONS, undefined);
  settings.allowUnpriced = Boolean(values["allow-unpriced"]);
  if (settings.invoiceDate) {
    checkWith("invoice-date", settings.invoiceDate, () => billing.invoiceToXeroCsv(EMPTY_INVOICE, { invoiceDate: settings.invoiceDate }));
  }
  settings.out = outputPath(values, "out", { stdout: true });
  settings.failures = outputPath(values, "failures", { stdout: false });
  if (settings.failures !== undefined && settings.failures === settings.out) throw new UsageError("--failures and --out must be different files");

  // Pricing.
  settings.rounding = oneOf(values, "rounding", ROUNDINGS, undefined);
  if (command === "partner") {
    settings.period = wholeNumber(values, "period", 0, MAX_PERIOD, 0);
    if (comparing) {
      settings.compareWith = wholeNumber(values, "compare-with", 0, MAX_PERIOD, undefined);
      if (settings.compareWith <= settings.period) {
        const which = values.period === undefined ? `the default --period ${settings.period}` : `--period ${settings.period}`;
        throw bad("compare-with", values["compare-with"], settings.compareWith === settings.period ? `it is ${which} itself` : `it is later than ${which}`);
      }
      settings.thresholds = {};
      for (const [name, option] of Object.entries(THRESHOLDS)) {
        if (values[name] === undefined) continue;
        const value = name === "total-increase-percent" ? values[name].trim().replace(/\s*%$/, "") : values[name].trim();
        checkWith(name, values[name], () => billing.compareInvoices(EMPTY_INVOICE, EMPTY_INVOICE, { [option]: value }));
        settings.thresholds[option] = value;
      }
    }
    settings.concurrency = wholeNumber(values, "concurrency", 1, MAX_CONCURRENCY, 4);
    settings.applyMinimum = !values["no-minimum"];
    if (values.markup !== undefined) {
      const markup = values.markup.trim().replace(/\s*%$/, "");
      checkWith("markup", values.markup, () => billing.invoiceFromOverview(EMPTY_OVERVIEW, { markupPercent: markup }));
      settings.markup = markup;
    }
    if (values["price-book"] !== undefined) {
      settings.priceBookFile = values["price-book"];
    }
  } else {
    const start = day(values, "start") ?? need(values, "start");
    const end = day(values, "end") ?? need(values, "end");
    if (end < start) throw bad("end", end, `it is before --start ${start}`);
    settings.start = start;
    settings.end = end;
    const currency = need(values, "currency").trim().toUpperCase();
    if (!/^[A-Z]{3}$/.test(currency)) throw bad("currency", values.currency);
    try {
      billing.invoiceFromUsage(EMPTY_REPORT, { priceBook: {}, currency });
    } catch (err) {
      if (err?.name === "GenesysBillingError") throw bad("currency", values.currency, "not an ISO 4217 currency code");
      throw err;
    }
    settings.currency = currency;
    settings.priceBookFile = need(values, "price-book");
    if (values.company !== undefined) settings.company = values.company;
    else if (accounting) throw new UsageError(`--company is required with --format ${format}: the customer name of the ${format === "xero" ? "Xero" : "QuickBooks"} invoice`);
  }

  // Credentials: the environment only.
  const token = env.GENESYS_ACCESS_TOKEN?.trim();
  const clientId = env.GENESYS_CLIENT_ID?.trim();
  const clientSecret = env.GENESYS_CLIENT_SECRET?.trim();
  secrets.push(env.GENESYS_ACCESS_TOKEN, env.GENESYS_CLIENT_SECRET, token, clientSecret);
  if (token) {
    settings.accessToken = token;
  } else if (clientId && clientSecret) {
    if (values["login-base-url"] !== undefined) {
      settings.login = { loginBaseUrl: need(values, "login-base-url") };
    } else if (where.region !== undefined) {
      settings.login = { region: where.region };
    } else {
      throw new UsageError(`--login-base-url is required with --api-base-url to sign in with GENESYS_CLIENT_ID: ${OPTIONS["login-base-url"].allowed}`);
    }
    settings.credentials = { clientId, clientSecret };
  } else if (clientId || clientSecret) {
    throw new UsageError(`${clientId ? "GENESYS_CLIENT_SECRET" : "GENESYS_CLIENT_ID"} is not set: set both GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET (an OAuth client of type Client Credentials), or GENESYS_ACCESS_TOKEN`);
  } else {
    throw new UsageError("no credentials: set GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET (an OAuth client of type Client Credentials), or GENESYS_ACCESS_TOKEN");
  }
  return settings;
}

// ---------------------------------------------------------------------------------------------
// Price books: read by the package (parseUsagePriceBook / parseOverviewPriceBook), the same
// reader the demo page uses, so a file means the same everywhere

async function loadPriceBook(s) {
  let text;
  try {
    text = await readFile(s.priceBookFile, "utf8");
  } catch (err) {
    throw bad("price-book", s.priceBookFile, `cannot read it (${err.code ?? err.message})`);
  }
  let book;
  checkWith("price-book", s.priceBookFile, () => {
    book = s.command === "partner" ? billing.parseOverviewPriceBook(text) : billing.parseUsagePriceBook(text);
  });
  if (s.command === "partner") checkWith("price-book", s.priceBookFile, () => billing.invoiceFromOverview(EMPTY_OVERVIEW, { priceBook: book }));
  else checkWith("price-book", s.priceBookFile, () => billing.invoiceFromUsage(EMPTY_REPORT, { priceBook: book, currency: s.currency }));
  return book;
}

const signed = (text) => (text.startsWith("-") ? text : `+${text}`);

// ---------------------------------------------------------------------------------------------
// Progress on stderr: a bar on a terminal, a line every 10 % otherwise

function clock(ms) {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${sec}` : `${m}:${sec}`;
}

function progressReporter(quiet, verb = "billing") {
  const tty = Boolean(process.stderr.isTTY);
  let started = 0;
  let lastTenth = 0;
  let drawn = false;
  return {
    update({ done, total }) {
      if (quiet) return;
      const now = Date.now();
      if (!started) {
        started = now;
        if (!tty) say(`${NAME}: ${verb} ${total} customer ${total === 1 ? "org" : "orgs"}`);
      }
      const percent = total ? Math.floor((done * 100) / total) : 100;
      if (tty) {
        const width = 30;
        const filled = total ? Math.round((done * width) / total) : width;
        const eta = done > 0 && done < total ? `ETA ${clock(((now - started) / done) * (total - done))}` : done >= total ? `in ${clock(now - started)}` : "ETA …";
        process.stderr.write(`\r\x1b[2K[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total} orgs ${String(percent).padStart(3)} % ${eta}`);
        drawn = true;
      } else {
        const tenth = total ? Math.floor((done * 10) / total) : 10;
        if (tenth > lastTenth) {
          lastTenth = tenth;
          say(`${NAME}: ${done}/${total} orgs (${percent} %)`);
        }
      }
    },
    end() {
      if (drawn) process.stderr.write("\n");
      drawn = false;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Output: whole or not at all

/** Writes text to a temporary file beside `file`; returns a function that renames it into place. */
async function stage(file, text) {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  temporaries.add(tmp);
  const handle = await open(tmp, "wx");
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return () => {
    renameSync(tmp, file);
    temporaries.delete(tmp);
  };
}

function writeStdout(text) {
  return new Promise((resolve, reject) => {
    process.stdout.write(text, (err) => (err ? reject(err) : resolve()));
  });
}

function jsonText(value) {
  return `${JSON.stringify(value, (key, v) => (v instanceof Map ? Object.fromEntries(v) : v), 2)}\n`;
}

/** The day after the lines' billing period (YYYY-MM-DD), as the demo proposes; today without one. */
function dayAfterPeriod(lines) {
  const end = lines.find((l) => l.periodEnd)?.periodEnd;
  const ms = end ? Date.parse(end) : NaN;
  return new Date(Number.isNaN(ms) ? Date.now() : ms + 1000).toISOString().slice(0, 10);
}

/** The file's text in the chosen format, and the export's notes (Xero, QuickBooks). */
function render(s, invoice, extra) {
  switch (s.format) {
    case "csv":
      return { text: invoice.toCsv(), notes: [] };
    case "json":
      return { text: jsonText(extra ? { ...invoice.toJSON(), ...extra } : invoice.toJSON()), notes: [] };
    case "focus":
      return { text: invoice.toFocus({ allowUnpriced: s.allowUnpriced, ...(s.focusVersion && { focusVersion: s.focusVersion }) }), notes: [] };
    case "stripe":
      return { text: jsonText(invoice.toStripeItems({ skipUnpriced: s.allowUnpriced })), notes: [] };
    default: {
      const options = { invoiceDate: s.invoiceDate ?? dayAfterPeriod(invoice.lines), skipUnpriced: s.allowUnpriced };
      if (s.dateFormat) options.dateFormat = s.dateFormat;
      const { csv, warnings } = s.format === "xero" ? invoice.toXeroCsv(options) : invoice.toQuickBooksCsv(options);
      return { text: csv, notes: warnings };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The run

function describeError(err) {
  if (err?.name !== "GenesysBillingError") return err?.message ?? String(err);
  const parts = [err.code];
  if (err.status) parts.push(`HTTP ${err.status}`);
  let text = `${parts.join(", ")}: ${err.message}`;
  if (err.apiCode && !text.includes(err.apiCode)) text += ` (${err.apiCode}${err.apiMessage ? `: ${err.apiMessage}` : ""})`;
  if (err.permission && !text.includes(err.permission)) text += ` (missing permission ${err.permission})`;
  return text;
}

async function signIn(s) {
  if (s.accessToken) return s.accessToken;
  if (typeof billing.clientCredentialsToken !== "function") {
    throw new RunError("this build of genesys-billing cannot sign in with a client (no clientCredentialsToken): set GENESYS_ACCESS_TOKEN");
  }
  if (!s.quiet) say(`${NAME}: signing in (client credentials)`);
  try {
    const { accessToken } = await billing.clientCredentialsToken({ ...s.credentials, ...s.login }, { signal: controller.signal });
    secrets.push(accessToken);
    return accessToken;
  } catch (err) {
    if (err?.code === "invalid_base_url" || err?.code === "unknown_region") {
      const name = s.login.loginBaseUrl !== undefined ? "login-base-url" : "region";
      throw bad(name, s.login.loginBaseUrl ?? s.login.region, err.message);
    }
    if (err?.code === "token_request_failed") {
      throw new RunError(`sign-in refused: ${describeError(err)}; check GENESYS_CLIENT_ID, GENESYS_CLIENT_SECRET and the region`);
    }
    throw err;
  }
}

async function runPartner(s, client) {
  const { priceBook } = s;
  const progress = progressReporter(s.quiet);
  let total = 0;
  if (!s.quiet) say(`${NAME}: listing customer orgs (billing period ${s.period})`);
  const options = {
    billingPeriodIndex: s.period,
    concurrency: s.concurrency,
    applyMinimum: s.applyMinimum,
    signal: controller.signal,
    onProgress: (p) => {
      total = p.total;
      progress.update(p);
    },
  };
  if (s.rounding) options.rounding = s.rounding;
  if (s.markup !== undefined) options.markupPercent = s.markup;
  if (priceBook) options.priceBook = priceBook;
  let run;
  try {
    run = await client.partnerInvoices(options);
  } finally {
    progress.end();
  }
  const { invoice, failures, skipped } = run;
  try {
    return await finish(s, invoice, { failures, skipped, total }, { failures, skipped });
  } finally {
    invoice.free();
  }
}

async function runComparison(s, client) {
  const { priceBook } = s;
  const progress = progressReporter(s.quiet, "comparing");
  let total = 0;
  const periods = `billing period ${s.compareWith} with ${s.period}`;
  if (!s.quiet) say(`${NAME}: listing customer orgs (comparing ${periods})`);
  const options = {
    previousPeriodIndex: s.compareWith,
    currentPeriodIndex: s.period,
    concurrency: s.concurrency,
    applyMinimum: s.applyMinimum,
    signal: controller.signal,
    onProgress: (p) => {
      total = p.total;
      progress.update(p);
    },
    ...s.thresholds,
  };
  if (s.rounding) options.rounding = s.rounding;
  if (s.markup !== undefined) options.markupPercent = s.markup;
  if (priceBook) options.priceBook = priceBook;
  let run;
  try {
    run = await client.partnerComparison(options);
  } finally {
    progress.end();
  }
  const { comparison, previous, current, failures, skipped } = run;
  try {
    let text;
    try {
      text = s.format === "json"
        ? jsonText({ comparison, previous: previous.toJSON(), current: current.toJSON(), failures, skipped })
        : billing.comparisonToCsv(comparison);
    } catch (err) {
      throw new RunError(`nothing written: ${describeError(err)}`);
    }
    await write(s, text, failures);
    reportComparison(s, { comparison, previous, current, failures, skipped, total });
    return failures.length ? EXIT.partial : EXIT.ok;
  } finally {
    previous.free();
    current.free();
  }
}

/** A comparison run's summary on stderr: failed orgs, totals of both periods, alerts. */
function reportComparison(s, { comparison, previous, current, failures, skipped, total }) {
  for (const f of failures) {
    const period = f.billingPeriodIndex;
    const where = period !== undefined && !String(f.message).includes(`billing period ${period}`) ? `billing period ${period}: ` : "";
    say(`${NAME}: not compared: ${f.organizationName ?? "(no name)"} (${f.organizationId}): ${f.code}: ${where}${f.message}`);
  }
  if (!s.quiet) {
    const compared = total - failures.length;
    say(`${NAME}: compared ${compared} customer ${compared === 1 ? "org" : "orgs"} (billing period ${s.compareWith} with ${s.period}), ` +
      `${failures.length} failed, ${skipped.length} skipped (trust disabled)`);
    // Sums, changes and percents are the package's (invoice.currencyTotals, comparison.currencies).
    const list = (sums) => sums.map((t) => `${t.amount} ${t.currency} (${t.organizations} ${t.organizations === 1 ? "org" : "orgs"})`).join(", ") || "none";
    say(`${NAME}: totals, billing period ${s.compareWith}: ${list(previous.currencyTotals)}`);
    say(`${NAME}: totals, billing period ${s.period}: ${list(current.currencyTotals)}`);
    if (comparison.currencies.length) {
      const changes = comparison.currencies.map((c) => `${signed(c.change)} ${c.currency}${c.percent === null ? "" : ` (${signed(c.percent)} %)`}`);
      say(`${NAME}: change: ${changes.join(", ")}`);
    }
    const incomplete = comparison.totals.filter((t) => !t.complete).length;
    if (incomplete) {
      say(`${NAME}: ${incomplete} org ${incomplete === 1 ? "total is" : "totals are"} incomplete: some lines have no rate in one period or both (empty amounts in the comparison)`);
    }
  }
  // Alerts: the counts by code (even with --quiet), then one line each.
  const byCode = new Map();
  for (const a of comparison.alerts) byCode.set(a.code, [...(byCode.get(a.code) ?? []), a]);
  const codes = [...ALERT_CODES.filter((c) => byCode.has(c)), ...[...byCode.keys()].filter((c) => !ALERT_CODES.includes(c))];
  if (codes.length) say(`${NAME}: alerts: ${codes.map((c) => `${byCode.get(c).length} ${c}`).join(", ")}`);
  else if (!s.quiet) say(`${NAME}: alerts: none`);
  if (!s.quiet) for (const c of codes) for (const a of byCode.get(c)) say(`${NAME}: alert ${c}: ${a.message}`);
  if (!s.quiet) {
    const where = s.out === "-" ? "stdout" : s.out;
    const rows = comparison.rows.length;
    say(`${NAME}: wrote ${where} (${s.format}, ${rows} comparison ${rows === 1 ? "row" : "rows"})` +
      (s.failures !== undefined ? `; failures in ${s.failures}` : ""));
  } else if (failures.length && s.failures !== undefined) {
    say(`${NAME}: failures in ${s.failures}`);
  }
}

async function runUsage(s, client) {
  const { priceBook } = s;
  if (!s.quiet) say(`${NAME}: fetching the billable-usage report ${s.start} to ${s.end} (it may take a while to be ready)`);
  const report = await client.billableUsage(`${s.start}T00:00:00.000Z`, `${s.end}T23:59:59.999Z`, { signal: controller.signal });
  const options = { priceBook, currency: s.currency };
  if (s.rounding) options.rounding = s.rounding;
  if (s.company !== undefined) options.organization = { name: s.company };
  const invoice = billing.Invoice.fromUsage(report, options);
  try {
    return await finish(s, invoice, null, null);
  } finally {
    invoice.free();
  }
}

/** Writes the output and the failures file (partner runs), each whole or not at all. */
async function write(s, text, failures) {
  if (stopSignal) throw controller.signal.reason;
  const commits = [];
  if (s.failures !== undefined) commits.push(await stage(s.failures, jsonText(failures)));
  if (s.out !== "-") commits.push(await stage(s.out, text));
  if (stopSignal) throw controller.signal.reason;
  for (const commit of commits) commit();
  if (s.out === "-") await writeStdout(text);
}

/**
 * The invoice without one org's lines, totals and warnings (a new Invoice: free it). Only
 * filtering: every amount stays the package's own.
 */
function withoutOrg(invoice, organizationId) {
  const plain = invoice.toJSON();
  const keep = (x) => x.organizationId !== organizationId;
  return billing.Invoice.from({ lines: plain.lines.filter(keep), totals: plain.totals.filter(keep), warnings: plain.warnings.filter(keep) });
}

/**
 * Renders; in a partner run to Xero or QuickBooks, an org whose amounts the target cannot hold
 * (`target_limit`: a 3-decimal currency, a QuickBooks credit) is left out and listed as failed,
 * rather than the whole file refused. Returns the rendered file and the invoice it was made from.
 */
function renderPartner(s, invoice, partner, extra) {
  let current = invoice;
  for (;;) {
    try {
      return { rendered: render(s, current, extra), invoice: current };
    } catch (err) {
      const orgId = err?.code === "target_limit" && partner && err.organizationId;
      const known = orgId && current.totals.find((t) => t.organizationId === orgId);
      if (!known) {
        if (current !== invoice) current.free();
        throw err;
      }
      partner.failures.push({ organizationId: orgId, organizationName: known.organizationName ?? null, code: err.code, message: err.message });
      const next = withoutOrg(current, orgId);
      if (current !== invoice) current.free();
      current = next;
    }
  }
}

/** Renders, writes (whole or not at all), reports; returns the exit status. */
async function finish(s, fetched, partner, extra) {
  let rendered;
  let invoice;
  try {
    ({ rendered, invoice } = renderPartner(s, fetched, partner, extra));
  } catch (err) {
    if (err?.code === "unpriced_line") {
      throw new RunError(`nothing written: ${describeError(err)}; add the missing rates with --price-book, or pass --allow-unpriced`);
    }
    throw new RunError(`nothing written: ${describeError(err)}`);
  }
  try {
    return await report(s, invoice, rendered, partner);
  } finally {
    if (invoice !== fetched) invoice.free();
  }
}

async function report(s, invoice, rendered, partner) {
  await write(s, rendered.text, partner?.failures);

  // Report.
  const lines = invoice.lines;
  if (!s.quiet) {
    for (const w of rendered.notes) say(`${NAME}: ${s.format} note: ${w.code}: ${w.message}`);
  }
  for (const f of partner?.failures ?? []) {
    say(`${NAME}: not billed: ${f.organizationName ?? "(no name)"} (${f.organizationId}): ${f.code}: ${f.message}`);
  }
  if (!s.quiet) {
    if (partner) {
      const billed = partner.total - partner.failures.length;
      say(`${NAME}: billed ${billed} customer ${billed === 1 ? "org" : "orgs"}, ${partner.failures.length} failed, ${partner.skipped.length} skipped (trust disabled)`);
    } else {
      const unpriced = [...new Set(lines.filter((l) => l.rate === null || l.rate === undefined).map((l) => l.licenseType))];
      say(`${NAME}: usage ${s.start} to ${s.end}: ${lines.length} ${lines.length === 1 ? "line" : "lines"}` +
        (unpriced.length ? `; no rate in the price book for: ${unpriced.join(", ")}` : ""));
    }
    const sums = invoice.currencyTotals; // summed by the package, per currency
    if (sums.length) {
      say(`${NAME}: totals: ${sums.map((t) => `${t.amount} ${t.currency}${partner ? ` (${t.organizations} ${t.organizations === 1 ? "org" : "orgs"})` : ""}`).join(", ")}`);
    }
    const incomplete = sums.reduce((n, t) => n + t.incomplete, 0);
    if (incomplete) say(`${NAME}: ${incomplete} ${incomplete === 1 ? "total is" : "totals are"} incomplete: some lines have no rate (see the warnings in --format json)`);
    const where = s.out === "-" ? "stdout" : s.out;
    say(`${NAME}: wrote ${where} (${s.format}, ${lines.length} invoice ${lines.length === 1 ? "line" : "lines"})` +
      (s.failures !== undefined ? `; failures in ${s.failures}` : ""));
  } else if (partner?.failures.length && s.failures !== undefined) {
    say(`${NAME}: failures in ${s.failures}`);
  }
  return partner?.failures.length ? EXIT.partial : EXIT.ok;
}

async function main(argv, env) {
  let s;
  try {
    s = settings(argv, env);
  } catch (err) {
    if (err instanceof UsageError) {
      say(`${NAME}: ${err.message}`);
      return EXIT.usage;
    }
    throw err;
  }
  delete process.env.GENESYS_CLIENT_SECRET;
  delete process.env.GENESYS_ACCESS_TOKEN;
  if (s.help) {
    await writeStdout(HELP);
    return EXIT.ok;
  }
  if (s.version) {
    const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    await writeStdout(`${NAME} ${version}\n`);
    return EXIT.ok;
  }
  try {
    if (s.priceBookFile !== undefined) s.priceBook = await loadPriceBook(s);
  } catch (err) {
    if (err instanceof UsageError) {
      say(`${NAME}: ${err.message}`);
      return EXIT.usage;
    }
    throw err;
  }
  let client;
  try {
    const accessToken = await signIn(s);
    if (stopSignal) throw controller.signal.reason;
    client = new billing.BillingClient({ accessToken, ...s.client });
    if (s.command === "usage") return await runUsage(s, client);
    return s.compareWith !== undefined ? await runComparison(s, client) : await runPartner(s, client);
  } catch (err) {
    removeTemporaries();
    if (stopSignal || err?.code === "aborted") {
      say(`${NAME}: interrupted; nothing written`);
      return interruptedExit();
    }
    if (err instanceof UsageError) {
      say(`${NAME}: ${err.message}`);
      return EXIT.usage;
    }
    say(`${NAME}: ${err instanceof RunError ? err.message : `nothing written: ${describeError(err)}`}`);
    return EXIT.failed;
  } finally {
    client?.free();
  }
}

process.stdout.on("error", (err) => {
  // A closed pipe (`| head`): nothing more to write.
  if (err.code === "EPIPE") process.exit(EXIT.failed);
});

main(process.argv.slice(2), process.env).then(
  (code) => process.exit(code),
  (err) => {
    removeTemporaries();
    say(`${NAME}: unexpected error: ${err?.message ?? err}`);
    process.exit(EXIT.failed);
  },
);
