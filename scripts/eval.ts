/**
 * `npm run eval`: quality figures on ../shared/eval, each against a baseline
 * measured in the same run.
 *   retrieval  nDCG@10 of Cairn's hybrid search vs LanceDB full-text search on every BEIR set
 *   threshold  the extractive composer's "no evidence" threshold, chosen on SQuAD
 *              (answerable: questions whose article is loaded; unanswerable: the others)
 *   redteam    the bundled red-team suite (main/eval/redteam/cases) against the extractive composer
 *   followup   the hand-built follow-up set: follow-ups asked in their conversation vs alone
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { HashedEmbedder } from '../main/embed/hashed.js';
import { mean } from '../main/eval/metrics.js';
import { evalRetrieval } from '../main/eval/retrieval.js';
import { askSquad, buildSquadStore, loadSquad, type SquadOutcome } from '../main/eval/squad.js';
import { Cairn } from '../main/api/cairn.js';
import { loadCases } from '../main/eval/redteam/cases.js';
import { runRedteam } from '../main/eval/redteam/run.js';
import { formatFollowUpReport, runFollowUpEval, writeFollowUpDocs } from '../main/eval/followup.js';

const shared = path.resolve(import.meta.dirname, '../../shared/eval');
const embedder = new HashedEmbedder();

async function retrieval(): Promise<void> {
  const root = path.join(shared, 'retrieval');
  // `npm run eval -- retrieval DIR...`: these BEIR folders instead (e.g. scripts/eval/debian-descriptions-set.ts output).
  const given = process.argv.slice(3).filter((a) => !a.startsWith('--'));
  const dirs = given.length > 0 ? given : (await readdir(root)).sort().map((name) => path.join(root, name));
  for (const dir of dirs) {
    const r = await evalRetrieval(dir, { embedder });
    console.log(JSON.stringify(r));
  }
}

async function threshold(): Promise<void> {
  const set = await loadSquad(path.join(shared, 'qa', 'squad-dev-sample.json'));
  const loaded = new Set(set.articles.map((_, i) => i).filter((i) => i % 2 === 0));
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cairn-squad-'));
  try {
    const store = await buildSquadStore(dir, set, loaded, embedder);
    // The threshold for each weight of question terms found elsewhere in a sentence's passage (EXTRACTIVE_DEFAULTS.passageWeight).
    for (const passageWeight of [0, 0.3, 0.5]) {
      const answerable: SquadOutcome[] = [];
      const unanswerable: SquadOutcome[] = [];
      for (const q of set.questions) (loaded.has(q.article) ? answerable : unanswerable).push(await askSquad(store, embedder, q, { passageWeight }));
      console.log(`\npassage weight ${passageWeight}. SQuAD sample: ${answerable.length} answerable, ${unanswerable.length} unanswerable (article not loaded)`);
      console.log(`at threshold 0: answer-in-citation ${mean(answerable.map((o) => (o.answerInCitation ? 1 : 0))).toFixed(3)}, cited gold paragraph ${mean(answerable.map((o) => (o.citedGold ? 1 : 0))).toFixed(3)}, F1 ${mean(answerable.map((o) => o.f1)).toFixed(3)}`);
      console.log('threshold  answered(answerable)  answer-in-citation(answered)  abstained(unanswerable)  balanced-accuracy');
      let best = { t: 0, score: -1 };
      for (let t = 0.2; t <= 0.901; t += 0.05) {
        const answered = answerable.filter((o) => o.bestCoverage >= t);
        const abstained = unanswerable.filter((o) => o.bestCoverage < t).length / unanswerable.length;
        const ok = answered.length / answerable.length;
        // A correct answer counts only when the answer really is in the cited text.
        const correct = answered.filter((o) => o.answerInCitation).length / answerable.length;
        const balanced = (correct + abstained) / 2;
        if (balanced > best.score) best = { t, score: balanced };
        console.log(`${t.toFixed(2).padStart(9)}  ${ok.toFixed(3).padStart(20)}  ${(answered.length ? answered.filter((o) => o.answerInCitation).length / answered.length : 0).toFixed(3).padStart(28)}  ${abstained.toFixed(3).padStart(23)}  ${balanced.toFixed(3).padStart(17)}`);
      }
      console.log(`best threshold by balanced accuracy: ${best.t.toFixed(2)} (${best.score.toFixed(3)})`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The bundled red-team suite against the extractive composer (the baseline any model must match); add a model with CAIRN_EVAL_MODEL and CAIRN_HOME. */
async function redteam(): Promise<void> {
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'cairn-redteam-eval-'));
  try {
    const dataDir = process.env.CAIRN_HOME ?? scratch;
    for (const model of ['extractive', ...(process.env.CAIRN_EVAL_MODEL ? [process.env.CAIRN_EVAL_MODEL] : [])]) {
      const r = await runRedteam({ cases: await loadCases(), model, dataDir, open: (d, actor) => Cairn.open(d, { actor }) });
      console.log(`red team, ${model}: ${r.passed}/${r.cases.length} passed, ${r.deliveredFailures} reached the user`);
      for (const c of r.cases) console.log(`  ${c.passed ? 'PASS' : 'FAIL'} ${c.id}${c.findings.length ? `: ${c.findings.map((f) => f.message).join('; ')}` : ''}`);
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** The hand-built follow-up set (main/eval/followup.ts): follow-ups answered inside their conversation vs alone. */
async function followup(): Promise<void> {
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'cairn-followup-eval-'));
  try {
    const cairn = await Cairn.open(path.join(scratch, 'data'));
    await cairn.ingest({ paths: await writeFollowUpDocs(scratch) });
    console.log(formatFollowUpReport(await runFollowUpEval((input) => cairn.ask(input))));
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

const which = process.argv[2] ?? 'all';
if (which === 'all' || which === 'threshold') await threshold();
if (which === 'all' || which === 'retrieval') await retrieval();
if (which === 'all' || which === 'redteam') await redteam();
if (which === 'all' || which === 'followup') await followup();
// Not part of 'all': several settings per set take a while (scripts/eval-variants.ts).
if (which === 'variants') {
  const v = await import('./eval-variants.js');
  await v.runVariants(v.VARIANT_SETS[process.argv[4] ?? 'main'] ?? v.VARIANTS, process.argv[3]);
}
