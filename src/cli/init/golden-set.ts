// The starter golden set `routegate init` writes: support tickets to sort into queues, each with
// its expected label and a difficulty (what the simulated models key their accuracy on). A real
// golden set is the team's own tickets; this one only shows the shape.

export const STARTER_LABELS = ["billing", "technical", "account", "shipping", "refund", "other"] as const;

interface StarterItem {
  input: string;
  expected: (typeof STARTER_LABELS)[number];
  difficulty: "easy" | "medium" | "hard";
}

const ITEMS: StarterItem[] = [
  { input: "Why was I charged $49 this month? My plan is $39.", expected: "billing", difficulty: "easy" },
  {
    input: "Please add our VAT number DE811907980 to the last three invoices and resend them.",
    expected: "billing",
    difficulty: "easy",
  },
  {
    input:
      "We'd like to move from monthly to annual billing. Does the discount apply straight away or at the next renewal?",
    expected: "billing",
    difficulty: "medium",
  },
  {
    input:
      "Our card expired and the payment failed. I updated it in settings but the banner still says the account is past due. No need for a refund, just want it fixed.",
    expected: "billing",
    difficulty: "hard",
  },
  {
    input: "The export to CSV button does nothing since yesterday's update.",
    expected: "technical",
    difficulty: "easy",
  },
  {
    input: "Getting 'Error 502 Bad Gateway' whenever I open the reports page. Other pages load fine.",
    expected: "technical",
    difficulty: "easy",
  },
  {
    input: "The webhook for order.created fires twice for every order, so our warehouse system ships everything twice.",
    expected: "technical",
    difficulty: "medium",
  },
  {
    input:
      "The receipt printer arrived in perfect shape but won't pair with the tablet over Bluetooth. Tried two tablets.",
    expected: "technical",
    difficulty: "hard",
  },
  { input: "I forgot my password and the reset email never arrives.", expected: "account", difficulty: "easy" },
  {
    input: "How do I remove a former employee from our workspace? She left last week.",
    expected: "account",
    difficulty: "easy",
  },
  {
    input: "I need to transfer ownership of the workspace to my business partner before I go on leave.",
    expected: "account",
    difficulty: "medium",
  },
  {
    input:
      "I got a new phone and lost my two-factor codes. I'm the owner and can't log in. I can prove who I am with our company documents.",
    expected: "account",
    difficulty: "hard",
  },
  {
    input: "Where is my order #44721? Tracking hasn't updated in five days.",
    expected: "shipping",
    difficulty: "easy",
  },
  {
    input: "Can you change the delivery address on order #45110? We moved offices.",
    expected: "shipping",
    difficulty: "easy",
  },
  {
    input: "The box arrived crushed and the card reader inside is cracked. Please send a replacement.",
    expected: "shipping",
    difficulty: "medium",
  },
  {
    input:
      "We ordered 4 barcode scanners and only 3 came. The packing slip says 4. Could you send the missing one rather than refund it?",
    expected: "shipping",
    difficulty: "hard",
  },
  {
    input: "I was charged twice for the same month. Please refund the duplicate.",
    expected: "refund",
    difficulty: "easy",
  },
  {
    input: "I cancelled during the trial but was still billed. I want my money back.",
    expected: "refund",
    difficulty: "easy",
  },
  {
    input:
      "Please cancel our subscription and refund the unused five months of the annual plan; we're closing the shop.",
    expected: "refund",
    difficulty: "medium",
  },
  {
    input:
      "The scanner never arrived and we've waited three weeks. At this point we don't want it anymore, just reimburse us.",
    expected: "refund",
    difficulty: "hard",
  },
  { input: "Just wanted to say your support team is fantastic. Thanks!", expected: "other", difficulty: "easy" },
  {
    input: "Are you hiring? I'd love to apply for a role on your customer success team.",
    expected: "other",
    difficulty: "easy",
  },
  {
    input: "Could you send us your SOC 2 report and a signed DPA for our vendor review? Nothing is wrong.",
    expected: "other",
    difficulty: "medium",
  },
  {
    input:
      "Closing our store after ten years. I already cancelled and the refund for the reader came through, so nothing to do. Thanks for everything.",
    expected: "other",
    difficulty: "hard",
  },
];

/** The dataset file: one JSON object per line ({id, input, expected, metadata}). */
export function starterItemsJsonl(name: string): string {
  return ITEMS.map((item, i) =>
    JSON.stringify({
      id: `${name}-${String(i + 1).padStart(3, "0")}`,
      input: item.input,
      expected: item.expected,
      metadata: { difficulty: item.difficulty },
    }),
  )
    .join("\n")
    .concat("\n");
}
