/**
 * Standard IR metrics. `qrels` maps a doc id to its graded relevance;
 * ranking is doc ids best first.
 *
 * nDCG uses exponential gains (2^rel - 1, Burges et al.) and a log2(rank + 1)
 * discount: what ../shared's published baselines were computed with
 * (msmarco-5k, graded 0-3: LanceDB full text 0.624 there and here).
 * trec_eval's ndcg_cut, which BEIR reports, takes the grade itself as the
 * gain: the same on binary judgements (scifact), higher on graded ones
 * (msmarco-5k's baseline 0.7337 instead of 0.6238, measured). Cairn and the
 * baseline are always scored alike, so deltas compare either way.
 */
export type Qrels = ReadonlyMap<string, number>;

export function ndcgAt(ranking: readonly string[], qrels: Qrels, k: number): number {
  let dcg = 0;
  ranking.slice(0, k).forEach((id, i) => {
    const rel = qrels.get(id) ?? 0;
    if (rel > 0) dcg += (2 ** rel - 1) / Math.log2(i + 2);
  });
  const ideal = [...qrels.values()].filter((r) => r > 0).sort((a, b) => b - a).slice(0, k);
  let idcg = 0;
  ideal.forEach((rel, i) => {
    idcg += (2 ** rel - 1) / Math.log2(i + 2);
  });
  return idcg === 0 ? 0 : dcg / idcg;
}

export function recallAt(ranking: readonly string[], qrels: Qrels, k: number): number {
  const relevant = [...qrels.entries()].filter(([, r]) => r > 0).map(([id]) => id);
  if (relevant.length === 0) return 0;
  const top = new Set(ranking.slice(0, k));
  return relevant.filter((id) => top.has(id)).length / relevant.length;
}

export function mrrAt(ranking: readonly string[], qrels: Qrels, k: number): number {
  const i = ranking.slice(0, k).findIndex((id) => (qrels.get(id) ?? 0) > 0);
  return i < 0 ? 0 : 1 / (i + 1);
}

export function mean(xs: readonly number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;
}
