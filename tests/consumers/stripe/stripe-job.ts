// A server-side job that posts a partner's invoice lines to Stripe with stripe-node (v21 or later,
// where decimal fields are `Stripe.Decimal`). Checked with `tsc --strict` against the stripe
// package's own types by tests/js/consumers.test.mjs; never run (it would need a Stripe key).
import Stripe from "stripe";
import { Invoice, type StripeInvoiceItem } from "genesys-billing";

/** The adapter: our items carry decimals as strings; stripe-node wants `Stripe.Decimal`. */
export function toStripeParams(item: StripeInvoiceItem): Stripe.InvoiceItemCreateParams {
  const { quantity_decimal, unit_amount_decimal, ...rest } = item;
  return {
    ...rest,
    ...(quantity_decimal !== undefined && { quantity_decimal: Stripe.Decimal.from(quantity_decimal) }),
    ...(unit_amount_decimal !== undefined && { unit_amount_decimal: Stripe.Decimal.from(unit_amount_decimal) }),
  };
}

export async function postInvoiceItems(stripe: Stripe, overviews: string[], customers: Record<string, string>) {
  const invoice = Invoice.fromOverviews(overviews);
  try {
    for (const item of invoice.toStripeItems({ customers, skipUnpriced: true })) {
      await stripe.invoiceItems.create(toStripeParams(item));
    }
  } finally {
    invoice.free();
  }
}

export function wrongUses(stripe: Stripe, item: StripeInvoiceItem) {
  // @ts-expect-error TS2345: without the adapter, the decimal strings are not Stripe.Decimal
  void stripe.invoiceItems.create(item);
  // @ts-expect-error TS2322: the mode is "amount" or "quantity"
  void Invoice.fromOverview("{}").toStripeItems({ mode: "both" });
  // @ts-expect-error TS2322: Stripe's tax behaviours only
  void Invoice.fromOverview("{}").toStripeItems({ taxBehavior: "included" });
}
