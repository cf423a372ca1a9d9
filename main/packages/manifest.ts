/**
 * The package format, `cairn-package/1`: one tar file holding
 *
 *   manifest.json       what the package holds (schema below), UTF-8 JSON
 *   manifest.sig        Ed25519 signature over the exact bytes of manifest.json
 *   files/<path>        the files, at the paths the manifest lists
 *
 * and nothing else. Only regular files and folders; no links or devices.
 * `create` writes manifest.json, manifest.sig, then the files in path order
 * (code-point order), every entry with mode 0644, owner 0, and the
 * manifest's `created` time, so the same manifest gives the same bytes.
 */
import { z } from 'zod';
import { sha256Hex } from '../core/hash.js';
import { checkEntryPath, collisionKey } from './paths.js';
import { problem, type Problem } from './problems.js';

export const PACKAGE_FORMAT = 'cairn-package/1';
export const SIGNATURE_FORMAT = 'cairn-signature/1';
export const MANIFEST_ENTRY = 'manifest.json';
export const SIGNATURE_ENTRY = 'manifest.sig';
export const FILES_DIR = 'files';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex digits');

/** A collection date: `2024-05-01` or a full ISO 8601 time with offset. */
export const collectedSchema = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

export const provenanceSchema = z.strictObject({
  /** Who produced or collected the material. */
  originator: z.string().min(1),
  /** When it was collected; null when unknown. */
  collected: collectedSchema.nullable(),
  /** Source grade, reliability A-F and credibility 1-6 (e.g. "B2"), when the publisher graded it. */
  grade: z.string().regex(/^[A-F][1-6]$/).optional(),
});

export const manifestFileSchema = z.strictObject({
  /** Relative path under files/, forward slashes. */
  path: z.string().min(1),
  bytes: z.number().int().nonnegative(),
  sha256: hex64,
  kind: z.enum(['document', 'image', 'track']),
  /** Banner marking of the whole file, e.g. "SECRET//NOFORN"; portion markings inside may only raise chunks above it. */
  marking: z.string().min(1),
  provenance: provenanceSchema,
});

export const manifestSchema = z.strictObject({
  format: z.literal(PACKAGE_FORMAT),
  id: z.uuid(),
  created: z.iso.datetime({ offset: true }),
  publisher: z.strictObject({ name: z.string().min(1), fingerprint: hex64 }),
  files: z.array(manifestFileSchema),
});

export const signatureSchema = z.strictObject({
  format: z.literal(SIGNATURE_FORMAT),
  algorithm: z.literal('ed25519'),
  /** sha256 of the signer's raw public key, hex. */
  fingerprint: hex64,
  /** Base64 Ed25519 signature over manifest.json's bytes. */
  // Canonical base64 only: the last character's unused bits would otherwise
  // let a changed signature text decode to the same bytes (a mutation test found one).
  signature: z
    .string()
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'expected base64')
    .refine((v) => Buffer.from(v, 'base64').toString('base64') === v, 'expected canonical base64'),
});

export type Manifest = z.infer<typeof manifestSchema>;
export type ManifestFile = z.infer<typeof manifestFileSchema>;
export type Provenance = z.infer<typeof provenanceSchema>;
export type PackageSignature = z.infer<typeof signatureSchema>;

/** The bytes that are signed and stored: pretty JSON plus a final newline. */
export function encodeManifest(m: Manifest): Buffer {
  return Buffer.from(`${JSON.stringify(m, null, 2)}\n`, 'utf8');
}

export function encodeSignature(s: PackageSignature): Buffer {
  return Buffer.from(`${JSON.stringify(s, null, 2)}\n`, 'utf8');
}

export function manifestSha256(bytes: Uint8Array): string {
  return sha256Hex(bytes);
}

function zodProblems(entry: string, what: string, issues: readonly { path: PropertyKey[]; message: string }[]): Problem[] {
  return issues.slice(0, 20).map((i) => problem('MANIFEST_INVALID', `${what}: ${i.path.map(String).join('.') || 'document'}: ${i.message}`, entry));
}

function parseJson(bytes: Uint8Array, entry: string): { ok: true; value: unknown } | { ok: false; problem: Problem } {
  try {
    return { ok: true, value: JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as unknown };
  } catch (e) {
    return { ok: false, problem: problem(entry === MANIFEST_ENTRY ? 'MANIFEST_INVALID' : 'SIGNATURE_INVALID', `not UTF-8 JSON: ${(e as Error).message}`, entry) };
  }
}

/** Parses and checks manifest.json: schema, safe paths, no duplicate paths. */
export function parseManifest(bytes: Uint8Array): { manifest: Manifest | null; problems: Problem[] } {
  const json = parseJson(bytes, MANIFEST_ENTRY);
  if (!json.ok) return { manifest: null, problems: [json.problem] };
  const r = manifestSchema.safeParse(json.value);
  if (!r.success) return { manifest: null, problems: zodProblems(MANIFEST_ENTRY, 'schema', r.error.issues) };
  const problems: Problem[] = [];
  const seen = new Map<string, string>();
  r.data.files.forEach((f, i) => {
    const check = checkEntryPath(f.path);
    if (!check.ok || check.trailingSlash) {
      problems.push(problem('MANIFEST_INVALID', `files[${i}].path ${JSON.stringify(f.path)}: ${check.ok ? 'a file path may not end in "/"' : check.message}`, MANIFEST_ENTRY));
      return;
    }
    const key = collisionKey(f.path);
    const other = seen.get(key);
    if (other !== undefined) problems.push(problem('MANIFEST_INVALID', `files[${i}].path ${JSON.stringify(f.path)} is listed twice (also as ${JSON.stringify(other)})`, MANIFEST_ENTRY));
    seen.set(key, f.path);
  });
  return { manifest: problems.length === 0 ? r.data : null, problems };
}

export function parseSignature(bytes: Uint8Array): { signature: PackageSignature | null; problems: Problem[] } {
  const json = parseJson(bytes, SIGNATURE_ENTRY);
  if (!json.ok) return { signature: null, problems: [json.problem] };
  const r = signatureSchema.safeParse(json.value);
  if (!r.success) return { signature: null, problems: r.error.issues.slice(0, 5).map((i) => problem('SIGNATURE_INVALID', `${i.path.map(String).join('.') || 'document'}: ${i.message}`, SIGNATURE_ENTRY)) };
  return { signature: r.data, problems: [] };
}
