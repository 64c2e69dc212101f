import { z } from "zod";

/** ISO 8601 calendar date, e.g. "2025-03-03". */
const isoDate = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, "expected YYYY-MM-DD");

/** ISO 4217 codes that occur in this dataset, plus a few common neighbours. */
export const currencies = [
  "USD",
  "EUR",
  "GBP",
  "CAD",
  "AUD",
  "NZD",
  "CHF",
  "JPY",
  "SEK",
  "DKK",
  "NOK",
  "PLN",
  "INR",
  "SGD",
  "MXN",
  "BRL",
  "ZAR",
  "HKD",
  "CNY",
] as const;

export const fields = [
  "vendor",
  "invoice_number",
  "invoice_date",
  "due_date",
  "currency",
  "total",
  "po_number",
] as const;

/** Expected output of the invoice extraction task: one object per document, every field present. */
export const schema = z.strictObject({
  /** The issuing company (seller), in its most complete form on the document, legal suffix included. */
  vendor: z.string().min(1),
  /** Invoice / receipt / bill number as printed, without labels such as "Invoice #" or "No.". */
  invoice_number: z.string().min(1),
  /** Issue date (for receipts: the payment date). */
  invoice_date: isoDate,
  /** Explicit due date, or invoice_date + N days for "net N" terms, invoice_date for "due on receipt"; else null. */
  due_date: isoDate.nullable(),
  /** ISO 4217 code of the invoice currency. */
  currency: z.enum(currencies),
  /** Grand total of this invoice (after discounts, incl. tax and shipping), excluding earlier balances. */
  total: z.number().finite(),
  /** The buyer's purchase order number, as printed; null when none is given. */
  po_number: z.string().min(1).nullable(),
});

export type InvoiceFields = z.infer<typeof schema>;
