import { z } from 'zod';

/**
 * The one contract every transport serves (CLI, HTTP, IPC, tests): each
 * operation's input and output schema. `--json` output of the CLI is exactly
 * the output schema.
 */

export const citationSchema = z.object({
  sourceId: z.string(),
  chunkId: z.string(),
  title: z.string(),
  page: z.number().int(),
  start: z.number().int(),
  end: z.number().int(),
  quote: z.string(),
});

export const answerSchema = z.object({
  answer: z.string(),
  sentences: z.array(z.object({ text: z.string(), citations: z.array(citationSchema).min(1) })),
  citations: z.array(citationSchema),
  banner: z.string(),
  auditId: z.string(),
});

export const searchHitSchema = z.object({
  rank: z.number().int(),
  score: z.number(),
  chunkId: z.string(),
  sourceId: z.string(),
  title: z.string(),
  locator: z.object({ page: z.number().int(), start: z.number().int(), end: z.number().int() }),
  marking: z.string(),
  text: z.string(),
});

export const contract = {
  ingest: {
    input: z.object({ paths: z.array(z.string()).min(1), marking: z.string().optional(), password: z.string().optional() }),
  },
  search: {
    input: z.object({ query: z.string().min(1), k: z.number().int().min(1).max(1000).default(10) }),
    output: z.object({ query: z.string(), hits: z.array(searchHitSchema) }),
  },
  ask: {
    input: z.object({ question: z.string().min(1) }),
    output: answerSchema,
  },
} as const;

export type AskInput = z.input<typeof contract.ask.input>;
export type SearchInput = z.input<typeof contract.search.input>;
export type IngestInput = z.input<typeof contract.ingest.input>;
export type SearchOutput = z.infer<typeof contract.search.output>;
export type AnswerOutput = z.infer<typeof answerSchema>;
