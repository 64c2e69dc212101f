// The detector's rules (injection.ts applies them): phrasings aimed at a grader, and beyond them
// a co-occurrence test (grading + an answer under judgement + a verdict in one sentence). Changing
// them is measured by test/real-data/injection-detection.test.ts (recall and false positives).

/** Who the text addresses: the grader, by any of its names. */
const GRADER = `(?:judge|grader|evaluator|reviewer|rater|assessor|scorer|grading (?:model|system|assistant|ai)|evaluation (?:model|system|assistant)|scoring (?:model|system)|llm(?: evaluator| judge)?|ai (?:judge|grader|evaluator|model grading))s?`;
/** What a judge produces. */
const VERDICT = `(?:score|scores|rating|grade|verdict|marks|points|credit|winner|win|wins|pass|passes|10|ten|100|perfect|maximum|highest|top|first|better|best|superior|preferred|correct)`;
/** The texts under judgement. */
const ANSWER = String.raw`(?:this|that|the other|my|the (?:first|second|above|following)|answer [ab]|response [ab]|option [ab])\s+(?:answer|response|output|submission|completion|reply|one)|(?:answer|response) [ab]\b|this one`;
/** Imperative position: a sentence start, "please", or a modal aimed at the reader. */
const IMPERATIVE = String.raw`(?:^|[.!?:;\n(]\s*|\bplease,?\s+|\bkindly\s+|\band\s+|\b(?:you|judges?|graders?|evaluators?|reviewers?|assessors?)\s+(?:must|should|shall|will|need to|have to|are (?:required|instructed|expected) to)\s+(?:now\s+)?)`;
const ASK = `(?:give|assign|award|rate|score|grade|mark|output|return|respond(?: with)?|reply(?: with)?|say|declare|select|choose|pick|prefer|favou?r|rank|vote for|consider|treat|copy)`;

export const RULES: ReadonlyArray<{ rule: string; re: RegExp }> = [
  {
    rule: "override",
    re: /\b(?:ignore|disregard|forget|override|bypass)\b[^.\n]{0,40}\b(?:previous|prior|above|earlier|all|any|your|the|these|other)\b[^.\n]{0,30}\b(?:instructions?|rules?|rubric|guidelines?|criteria|prompts?)\b/i,
  },
  {
    rule: "override (translated)",
    re: /\b(?:ignorez|oubliez|ignora|ignore[nz]?|olvida|ignoriere|vergiss|ignorare|dimentica)\b[^.\n]{0,40}\b(?:instructions?|instrucciones|anweisungen|istruzioni|consignes|regeln|reglas)\b/i,
  },
  {
    rule: "addressed to the grader",
    re: new RegExp(
      String.raw`\b(?:dear|attention|hey|hello|hi|note to|message (?:to|for)|instructions? (?:to|for)|reminder (?:to|for)|to|for|p\.?\s?s\.?)\s+(?:the\s+|all\s+|any\s+|whoever is\s+)?(?:automated\s+|ai\s+|llm\s+)?${GRADER}\b\s*[:,!-][^\n]{0,150}\b(?:answer|response|${VERDICT}|rate|grade|prefer|pick|choose|output|credit)\b`,
      "i",
    ),
  },
  {
    rule: "grader as speaker",
    re: new RegExp(
      String.raw`(?:^|\n)\s*(?:\W\s*)?${GRADER}(?: (?:note|instructions?|message))?\s*:[^\n]{0,120}\b(?:${VERDICT}|answer|response)\b`,
      "i",
    ),
  },
  {
    rule: "if you are the grader",
    re: /\bif you(?:'re| are)\s+(?:an?\s+)?(?:ai|llm|language model|large language model|model|gpt|judge|grader|evaluator)\b[^.\n]{0,60}\b(?:evaluat|grad|judg|review|scor|rat|compar|assess)/i,
  },
  {
    rule: "whoever judges",
    re: /\b(?:to whoever|whoever|anyone|the model|the ai|the system)\s+(?:is\s+)?(?:judging|grading|evaluating|scoring|reviewing|comparing|assessing)\b/i,
  },
  {
    rule: "the judge's role",
    re: new RegExp(
      String.raw`\b(?:as|you are|you're|(?:in )?your (?:role|capacity|job|task) as)\s+(?:the\s+|an?\s+|no longer (?:a|the)\s+)?${GRADER}\b`,
      "i",
    ),
  },
  {
    rule: "system impersonation",
    re: /\b(?:evaluation|grading|judge|scoring) (?:bypass|override|unlock(?:ed)?|code)\b/i,
  },
  { rule: "forged verdict", re: /\bverdict\s+(?:is\s+)?(?:locked|set|forced|fixed|changed|overridden)\s+to\b/i },
  {
    rule: "request for a verdict",
    re: new RegExp(String.raw`${IMPERATIVE}${ASK}\b[^.\n]{0,50}\b(?:${ANSWER})\b[^.\n]{0,40}\b${VERDICT}\b`, "i"),
  },
  {
    rule: "request for a verdict",
    re: new RegExp(String.raw`${IMPERATIVE}${ASK}\b[^.\n]{0,30}\b(?:${ANSWER})\b`, "i"),
  },
  {
    rule: "request for a score",
    re: new RegExp(
      String.raw`${IMPERATIVE}${ASK}\b[^.\n]{0,40}\b(?:full marks|full credit|(?:a |the )?(?:perfect|maximum|highest|top|max)(?: possible)? (?:score|rating|grade|marks)|10 ?(?:/|out of) ?10|a 10\b|winner|the letter [ab]|verdict)`,
      "i",
    ),
  },
  {
    rule: "the answer should win",
    re: new RegExp(
      String.raw`\b(?:${ANSWER})\b[^.\n]{0,30}\b(?:should|must|will|deserves to|is to)\s+(?:win|be (?:chosen|preferred|selected|ranked first|rated|scored|marked)|receive|get|pass)\b`,
      "i",
    ),
  },
  {
    rule: "forged verdict",
    re: /\b(?:answer|response|option) [ab] (?:is|wins|was) (?:clearly |definitely |obviously )?(?:the )?(?:best|better|correct|winner|superior|preferred)\b/i,
  },
  {
    rule: "forged verdict",
    re: /\b(?:the )?(?:correct|right|expected|final|true) (?:verdict|rating|score|grade)(?: for this (?:answer|response))? (?:is|=|would be|:)/i,
  },
  { rule: "forged verdict", re: /\bfinal (?:score|verdict|grade|rating)\s*:\s*(?:\d|pass|[ab]\b)/i },
  { rule: "forged verdict", re: /"(?:winner|verdict|preference|preferred)"\s*:\s*"?(?:[ab]|tie|pass|fail|answer)/i },
  { rule: "forged verdict", re: /\bwinner\s*=\s*[ab]\b/i },
  {
    rule: "pre-approved",
    re: /\b(?:this|the) (?:answer|response|submission)\b[^.\n]{0,30}\b(?:has been|was|is) (?:pre-?approved|verified|certified|confirmed) (?:as|to be|by)\b/i,
  },
  {
    rule: "pre-approved",
    re: /\b(?:pre-?approved|already (?:graded|verified|approved))\b[^.\n]{0,40}\b(?:grade|score|rating|must|should)\b/i,
  },
  {
    rule: "grading directive",
    re: /\b(?:graders?|judges?|evaluators?|reviewers?|assessors?)\s+(?:must|should|shall|are (?:required|instructed) to)\s+(?:not\s+)?(?:agree|give|rate|score|mark|note|read|prefer|choose|select|award|ignore|penali[sz]e|output|return|respond)/i,
  },
  {
    rule: "grading directive",
    re: /\b(?:when|while) (?:scoring|grading|judging|evaluating|comparing)\b[^.\n]{0,60}\b(?:should|must|remember|prefer|win)\b/i,
  },
  {
    rule: "grading directive",
    re: /\b(?:the )?(?:rubric|grading criteria|evaluation criteria|scoring criteria)\b[^.\n]{0,40}\b(?:outdated|changed|replaced|updated|no longer|new)\b/i,
  },
  {
    rule: "grading directive",
    re: /\bdo not (?:evaluate|grade|judge|score|read|consider) the other (?:answer|response)/i,
  },
  {
    rule: "system impersonation",
    re: /(?:^|\n)\s*(?:\[|<\|?|#{1,3}\s*|\*\*)?\s*(?:system|developer|admin(?:istrator)?|operator)(?: (?:message|prompt|override|instructions?|notice|update|mode))?\s*(?:\|?>|\]|\*\*)?\s*[:>\]]/i,
  },
  {
    rule: "system impersonation",
    re: /\b(?:system|admin|developer) (?:override|message|prompt|instruction)s?\b\s*[:!-]/i,
  },
  {
    rule: "system impersonation",
    re: /(?:^|\n)\s*#{1,3}\s*(?:system|developer)(?: (?:prompt|message|instructions?))?\s*\n[^\n]{0,80}\b(?:instructions?|must|always|never)\b/i,
  },
  {
    rule: "system impersonation",
    re: /\b(?:begin|end)(?: of)? (?:the )?system prompt\b|\bdeveloper mode (?:enabled|on)\b|\bevaluation mode (?:disabled|off)\b/i,
  },
  {
    rule: "chat template tokens",
    re: /<\|(?:im_start|im_end|system|assistant|user|endoftext)\|>|\[\/?INST\]|<<\/?SYS>>/i,
  },
  { rule: "prompt tags", re: /<\/?(?:answer|response|candidate|reference|question)(?:[ _-]?[ab12])?>/i },
  {
    rule: "role turns",
    re: /(?:^|\n)\s*(?:assistant|user)\s*:[^\n]{0,160}\n\s*(?:assistant|user)\s*:[^\n]{0,160}\b(?:verdict|winner|(?:answer|response) [ab])\b/i,
  },
  { rule: "addressed to the grader", re: new RegExp(String.raw`(?:^|[.!?\n]\s*)${GRADER}\s*,\s`, "i") },
  {
    rule: "forged verdict",
    // "The correct answer is A" is how a quiz is answered: only "this one" points at the text itself.
    re: /\bthe (?:better|best|winning|superior|preferred) (?:answer|response)\b[^.\n]{0,80}\bthis one\b/i,
  },
  { rule: "system impersonation", re: /\bsystem (?:update|notice|alert|directive)\b\s*[:!-]/i },
  { rule: "hidden comment", re: new RegExp(String.raw`<!--[^>]{0,200}\b(?:${GRADER}|verdict|winner|score)\b`, "i") },
  {
    rule: "update for reviewers",
    re: new RegExp(
      String.raw`\b${GRADER}\s+(?:instructions?|note|notice|update)\b[^.\n]{0,60}\b(?:receive|get|give|award|credit|score|pass)\b`,
      "i",
    ),
  },
  {
    rule: "addressed to the model",
    re: /\b(?:hey|hi|hello|attention|dear),?\s+(?:ai|llm|gpt|model|language model|assistant)\b[^.\n]{0,80}\b(?:compare|comparing|score|rate|grade|judge|evaluat|verdict|better|winner)\b/i,
  },
];

/** Words that only a text about grading answers uses together (see `aimedAtGrader`). */
const GRADING_WORD =
  /\b(?:judg(?:e|es|ing)|grad(?:er|ers|ing)|evaluat(?:ion|or|ors|ing)|reviewers?|assessors?|scor(?:er|ing)|raters?|checker|ranks?|ranking|correcteur|évaluateur|juge|evaluador|juez|bewerter|prüfer|which (?:answer|response|reply|one) is (?:better|best))\b/i;
const UNDER_JUDGEMENT =
  /\b(?:(?:this|that|the other|the alternative|the longer|the shorter|my|any|every|these|the first|the second)\s+(?:\w+\s+)?(?:answer|response|reply|replies|submission|output|candidate|text|one)|(?:answer|response) [ab]|mine|choose me|pick me|cette réponse|esta respuesta|diese antwort)\b/i;
const DIRECTIVE_OR_VERDICT =
  /\b(?:must|should|obligated|required|have to|need to|choos\w*|chose|select\w*|pick\w*|prefer\w*|favou?r\w*|award\w*|give|rate|rating|scor\w*|grade|mark\w*|rank\w*|vote|conclude|declare|record|reward\w*|win|wins|winner|higher|best|better|superior|correct|flawless|10|pass\w*|points|tie|verdict|note maximale|nota máxima|punkte)\b/i;

/**
 * Beyond phrasings: a sentence (with the next one) that names the grading, points at an answer
 * under judgement and asks for or asserts a verdict is aimed at the judge, however it is worded.
 */
export function aimedAtGrader(text: string): string | null {
  const sentences = text.split(/(?<=[.!?])\s+|\n+/);
  for (let i = 0; i < sentences.length; i++) {
    const window = `${sentences[i]} ${sentences[i + 1] ?? ""}`;
    if (GRADING_WORD.test(window) && UNDER_JUDGEMENT.test(window) && DIRECTIVE_OR_VERDICT.test(window))
      return window.trim().slice(0, 120);
  }
  return null;
}
