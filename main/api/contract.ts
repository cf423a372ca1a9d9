import { z } from 'zod';

/**
 * The one contract every transport serves (CLI, HTTP, IPC, tests): each
 * operation's input and output schema. `--json` output of the CLI is exactly
 * the output schema.
 */

/** An image region (pixels) or a track segment (entity and time span). */
export const extraLocatorSchema = z.union([
  z.object({ bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]) }),
  z.object({ entity: z.string(), t0: z.string(), t1: z.string() }),
]);

export const citationSchema = z.object({
  sourceId: z.string(),
  chunkId: z.string(),
  title: z.string(),
  page: z.number().int(),
  start: z.number().int(),
  end: z.number().int(),
  quote: z.string(),
  locator: extraLocatorSchema.optional(),
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
  /** Image region or track segment, when the passage is one. */
  place: extraLocatorSchema.optional(),
  marking: z.string(),
  text: z.string(),
});

export const observationSchema = z.object({
  sourceId: z.string(),
  entity: z.string(),
  t: z.string().nullable(),
  lat: z.number(),
  lon: z.number(),
  alt: z.number().nullable(),
  speed: z.number().nullable(),
  course: z.number().nullable(),
  marking: z.string(),
});

const bboxSchema = z.object({ west: z.number().min(-180).max(180), south: z.number().min(-90).max(90), east: z.number().min(-180).max(180), north: z.number().min(-90).max(90) });

export const contract = {
  ingest: {
    input: z.object({ paths: z.array(z.string()).min(1), marking: z.string().optional(), password: z.string().optional() }),
  },
  search: {
    input: z.object({ query: z.string().min(1), k: z.number().int().min(1).max(1000).default(10) }),
    output: z.object({ query: z.string(), hits: z.array(searchHitSchema) }),
  },
  tracks: {
    input: z.object({
      bbox: bboxSchema.optional(),
      from: z.string().optional(),
      to: z.string().optional(),
      entity: z.string().optional(),
      limit: z.number().int().min(1).max(1_000_000).default(10_000),
    }),
    output: z.object({ observations: z.array(observationSchema), entities: z.array(z.object({ entity: z.string(), count: z.number(), t0: z.string().nullable(), t1: z.string().nullable() })) }),
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
export type TracksInput = z.input<typeof contract.tracks.input>;
export type TracksOutput = z.infer<typeof contract.tracks.output>;
