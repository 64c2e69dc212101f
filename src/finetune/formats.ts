import type { ChatMessage } from "../core/types.ts";

// The training file formats. One example is a prompt (the eval's rendered system and user turns)
// and the teacher's answer as the assistant turn.
//  - openai: chat fine-tuning JSONL, {"messages": [{role, content}, ...]}, for fine_tuning.jobs.
//  - gemini: Vertex AI supervised tuning JSONL, {"systemInstruction"?, "contents": [{role: "user"|"model", parts: [{text}]}]}.
//  - chat: a generic chat JSONL for self-hosted trainers (TRL, Axolotl, LLaMA-Factory, a vLLM-served
//    LoRA): {"messages": [...]} plus the item id, which those trainers ignore and a reviewer needs.

export const TRAINING_FORMATS = ["openai", "gemini", "chat"] as const;
export type TrainingFormat = (typeof TRAINING_FORMATS)[number];

export interface TrainingExample {
  /** The eval item (or traffic line) it came from. */
  id: string;
  prompt: ChatMessage[];
  answer: string;
}

/** The least examples a provider accepts (OpenAI refuses a file with fewer than 10). */
export const MIN_EXAMPLES: Record<TrainingFormat, number> = { openai: 10, gemini: 1, chat: 1 };

export function trainingLine(example: TrainingExample, format: TrainingFormat): string {
  const messages: ChatMessage[] = [...example.prompt, { role: "assistant", content: example.answer }];
  if (format === "openai") return JSON.stringify({ messages });
  if (format === "chat") return JSON.stringify({ id: example.id, messages });
  const system = messages.filter((m) => m.role === "system").map((m) => m.content);
  const contents = messages
    .filter((m) => m.role !== "system")
    .map((m) => ({ role: m.role === "assistant" ? "model" : "user", parts: [{ text: m.content }] }));
  return JSON.stringify({
    ...(system.length ? { systemInstruction: { role: "system", parts: [{ text: system.join("\n\n") }] } } : {}),
    contents,
  });
}

/** Where each format's file goes next: the provider and what to run there. */
export function nextSteps(format: TrainingFormat, file: string, base: string | undefined, evalName: string): string[] {
  const model = base ?? "BASE_MODEL";
  if (format === "openai")
    return [
      `routegate finetune submit --file ${file} --base ${model} --eval ${evalName} --max-cost USD --yes`,
      "then `routegate finetune status` until it succeeds; the ft: model lands in the candidates file",
    ];
  if (format === "gemini")
    return [
      "Gemini tuning runs on Vertex AI (the Gemini API's tuning endpoint was retired); routegate does not submit it:",
      `gcloud storage cp ${file} gs://YOUR_BUCKET/${file.split("/").pop()}`,
      `then create a supervised tuning job for ${model} on that file (Vertex AI console or \`gcloud ai tuning-jobs create\`), and add the tuned endpoint to the eval as a google model`,
    ];
  return [
    `train a LoRA adapter on ${file} with your trainer (TRL SFTTrainer, Axolotl type: chat_template, LLaMA-Factory)`,
    "serve it with vLLM (`vllm serve BASE --enable-lora --lora-modules ft=PATH`) and add `vllm:ft@http://HOST:8000/v1` to the eval's models",
  ];
}
