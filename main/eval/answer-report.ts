/**
 * The results report of an answer evaluation, saved beside the run:
 * report.md (a ranked table and how each figure is measured), report.json
 * and chart.png (a small bar chart rendered from SVG with sharp).
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import type { ModelSummary } from './answer-metrics.js';

export interface AnswerReport {
  set: string;
  questions: number;
  noEvidenceQuestions: number;
  ranking: ModelSummary[];
  generatedAt: string;
}

const pct = (x: number | null): string => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);

export function reportMarkdown(r: AnswerReport): string {
  const lines = [
    `# Answer evaluation: ${r.set}`,
    '',
    `${r.questions} questions (${r.noEvidenceQuestions} with no evidence in the sources), generated ${r.generatedAt}.`,
    '',
    '| rank | model | score | answer in citation | expected source cited | citation precision | unsupported sentences | no-evidence correct | fallbacks | p50 ms | p95 ms | tokens/s |',
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...r.ranking.map(
      (m, i) =>
        `| ${i + 1} | ${m.model.replace(/\|/g, '\\|')} | ${m.score.toFixed(3)} | ${pct(m.answerInCitationRate)} | ${pct(m.expectedSourceRate)} | ${pct(m.citationPrecision)} | ${pct(m.unsupportedSentenceRate)} | ${pct(m.noEvidenceCorrectness)} | ${pct(m.fallbackRate)} | ${m.latencyP50Ms.toFixed(0)} | ${m.latencyP95Ms.toFixed(0)} | ${m.tokensPerSecond === null ? 'n/a' : m.tokensPerSecond.toFixed(1)} |`,
    ),
    '',
    '![scores](chart.png)',
    '',
    'How each figure is measured:',
    '- *answer in citation*: the expected answer (SQuAD normalisation) appears in the quotes the answer cites.',
    '- *expected source cited*: the answer cites at least one expected source.',
    "- *citation precision*: sentences the model proposed that the agent's citation checker accepted (quote supports sentence, cited ids were retrieved); a fallback counts as one rejected proposal.",
    '- *unsupported sentences*: the complement, over the same proposals.',
    '- *no-evidence correct*: on questions the sources do not answer, the model proposed nothing (a fallback is not an abstention).',
    '- *fallbacks*: answers where the model failed (malformed output, error) and the extractive answer was shown instead.',
    '- *tokens/s*: streamed tokens per second of answering time; n/a for the extractive composer, which generates nothing.',
    '- *score*: mean of the applicable rates among answer in citation, expected source cited, citation precision and no-evidence correct; the ranking sorts on it.',
    '',
  ];
  return lines.join('\n');
}

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

const COLOURS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b'];

/** Grouped bars: one group per metric, one bar per model (0-100%). */
export function chartSvg(ranking: readonly ModelSummary[]): string {
  const metrics: [string, (m: ModelSummary) => number | null][] = [
    ['score', (m) => m.score],
    ['answer in citation', (m) => m.answerInCitationRate],
    ['citation precision', (m) => m.citationPrecision],
    ['no-evidence correct', (m) => m.noEvidenceCorrectness],
  ];
  const width = 640;
  const height = 300;
  const top = 20;
  const bottom = 60;
  const left = 40;
  const plotH = height - top - bottom;
  const groupW = (width - left - 10) / metrics.length;
  const barW = Math.max(4, (groupW - 20) / Math.max(1, ranking.length));
  const parts: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="white"/>`];
  for (const t of [0, 0.5, 1]) {
    const y = top + plotH * (1 - t);
    parts.push(`<line x1="${left}" x2="${width - 10}" y1="${y}" y2="${y}" stroke="#ccc"/><text x="4" y="${y + 4}" font-size="10" font-family="sans-serif">${t * 100}%</text>`);
  }
  metrics.forEach(([label, get], gi) => {
    const gx = left + gi * groupW + 10;
    ranking.forEach((m, mi) => {
      const v = get(m) ?? 0;
      const h = plotH * Math.max(0, Math.min(1, v));
      parts.push(`<rect x="${gx + mi * barW}" y="${top + plotH - h}" width="${barW - 2}" height="${h}" fill="${COLOURS[mi % COLOURS.length]}"/>`);
    });
    parts.push(`<text x="${gx}" y="${height - bottom + 14}" font-size="11" font-family="sans-serif">${escapeXml(label)}</text>`);
  });
  ranking.forEach((m, mi) => {
    const x = left + (mi % 3) * 200;
    const y = height - 22 + Math.floor(mi / 3) * 12;
    parts.push(`<rect x="${x}" y="${y - 8}" width="10" height="10" fill="${COLOURS[mi % COLOURS.length]}"/><text x="${x + 14}" y="${y}" font-size="10" font-family="sans-serif">${escapeXml(m.model.slice(0, 30))}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

/** Writes report.md, report.json and chart.png into the run folder. */
export async function writeReport(dir: string, r: AnswerReport): Promise<{ markdown: string; json: string; chart: string }> {
  const markdown = path.join(dir, 'report.md');
  const json = path.join(dir, 'report.json');
  const chart = path.join(dir, 'chart.png');
  await writeFile(markdown, reportMarkdown(r));
  await writeFile(json, `${JSON.stringify(r, null, 2)}\n`);
  await sharp(Buffer.from(chartSvg(r.ranking))).png().toFile(chart);
  return { markdown, json, chart };
}
