// The plain invoice CSV of src/export/csv.rs and src/export/rfc4180.rs, for the JavaScript
// reference implementations: the same columns, RFC 4180 quoting, CRLF line ends, and text
// cells starting with = + - @ TAB CR or ' prefixed with ' (numbers never are).

export const CSV_COLUMNS = [
  'Company', 'Company ID', 'License Type', 'Part Number', 'Charge', 'Quantity', 'Unit', 'Rate',
  'Amount', 'Currency', 'Period Start', 'Period End',
];

const NEEDS_QUOTING = /[,"\r\n]/;

export function textCell(text) {
  if (text === null || text === undefined) return '';
  const c = text.charCodeAt(0);
  // = + - @ TAB CR '
  const prefix = c === 61 || c === 43 || c === 45 || c === 64 || c === 9 || c === 13 || c === 39 ? "'" : '';
  if (NEEDS_QUOTING.test(text)) return `"${prefix}${text.replaceAll('"', '""')}"`;
  return prefix + text;
}

export const HEADER_ROW = CSV_COLUMNS.map(textCell).join(',') + '\r\n';

// `line` has the camelCase fields of an InvoiceLine, with quantity, rate and amount already
// written as decimal strings (or null).
export function csvRow(line) {
  return `${textCell(line.organizationName)},${textCell(line.organizationId)},${textCell(line.licenseType)},`
    + `${textCell(line.partNumber)},${line.kind},${line.quantity},${textCell(line.unitOfMeasure)},`
    + `${line.rate ?? ''},${line.amount ?? ''},${textCell(line.currency)},${textCell(line.periodStart)},`
    + `${textCell(line.periodEnd)}\r\n`;
}

export function invoiceCsv(invoice, includeHeader) {
  let out = includeHeader ? HEADER_ROW : '';
  for (const line of invoice.lines) out += csvRow(line);
  return out;
}
