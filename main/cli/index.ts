import { Command, CommanderError, Option } from 'commander';
import { Cairn, type CairnOptions } from '../api/cairn.js';
import { resolveDataDir } from '../api/data-dir.js';
import type { AgentEvent } from '../agent/index.js';
import { CairnError, toCairnError } from '../core/errors.js';
import { formatAnswer, formatIngest, formatSearch, formatSources } from './format.js';
import { progressReporter } from './progress.js';
import { INTERRUPTED_EXIT, withInterrupt } from './interrupt.js';
import { formatAuditRecord } from '../audit/format.js';
import { register as registerExport } from './commands/export.js';
import { register as registerGrade } from './commands/grade.js';
import { register as registerKeys } from './commands/keys.js';
import { register as registerModels } from './commands/models.js';
import { register as registerPackage } from './commands/package.js';
import { register as registerReport } from './commands/report.js';
import { register as registerServe } from './commands/serve.js';
import { register as registerFeedback } from './commands/feedback.js';
import { registerEvalLoop } from './commands/eval-loop.js';
import { register as registerConversations } from './commands/conversations.js';
import { registerAuditCommands } from './commands/audit.js';
import { register as registerUsers } from './commands/users.js';

/** Command modules beyond the core ones defined below. */
const COMMANDS: ((program: Command, ctx: CliContext) => void)[] = [registerServe, registerPackage, registerKeys, registerModels, registerReport, registerExport, registerGrade, registerFeedback, registerConversations, registerUsers];

/** Exit codes: 0 success, 1 a problem the user can fix, 2 an internal error. */
export const EXIT = { ok: 0, user: 1, internal: 2, interrupted: INTERRUPTED_EXIT } as const;

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

/**
 * What a command module gets: commands live in main/cli/commands/*.ts, each
 * exporting `register(program, ctx)`, and stay thin calls into the API.
 */
export interface CliContext {
  io: Io;
  /** Opens the Cairn instance for the --data folder (options: a long-running host's, e.g. serve's trainInBackground). */
  open: (opts?: Pick<CairnOptions, 'trainInBackground'>) => Promise<Cairn>;
  /** The data folder --data / $CAIRN_HOME / app-data resolves to. */
  dataDir: () => string;
  /** Raise the process exit code (never lowers it). */
  setExit: (code: number) => void;
  json: (value: unknown) => void;
}

const defaultIo: Io = {
  out: (s) => process.stdout.write(`${s}\n`),
  err: (s) => process.stderr.write(`${s}\n`),
};

function json(io: Io, value: unknown): void {
  io.out(JSON.stringify(value, null, 2));
}

export function buildProgram(io: Io, setExit: (code: number) => void): Command {
  const program = new Command('cairn')
    .description('Cairn: cited, audited answers from local documents, offline.')
    .option('--data <dir>', 'data folder (default: $CAIRN_HOME, else the app-data folder)')
    .showHelpAfterError()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .exitOverride();

  const dataDir = (): string => resolveDataDir(program.opts<{ data?: string }>().data);
  const open = (opts?: Pick<CairnOptions, 'trainInBackground'>): Promise<Cairn> => Cairn.open(dataDir(), opts);
  const ctx: CliContext = { io, open, dataDir, setExit, json: (v) => json(io, v) };
  for (const register of COMMANDS) register(program, ctx);

  program
    .command('ingest')
    .description('add files or folders (PDF, DOCX, HTML, Markdown, text, e-mail)')
    .argument('<paths...>', 'files or folders')
    .option('--marking <marking>', 'classification marking for these sources, e.g. "SECRET//NOFORN"')
    .option('--password <password>', 'user password for encrypted PDFs')
    .option('--json', 'print the summary as JSON')
    .action(async (paths: string[], o: { marking?: string; password?: string; json?: boolean }) => {
      const cairn = await open();
      const progress = progressReporter(!o.json);
      try {
        const summary = await cairn.ingest({ paths, marking: o.marking, password: o.password }, progress.update);
        progress.stop();
        if (o.json) json(io, summary);
        else io.out(formatIngest(summary));
        if (summary.failed > 0) setExit(EXIT.user);
      } finally {
        progress.stop();
      }
    });

  program
    .command('search')
    .description('hybrid full-text and vector search over ingested passages')
    .argument('<query>')
    .addOption(new Option('--k <n>', 'number of results').default(10).argParser((v) => Number.parseInt(v, 10)))
    .option('--near <place>', 'only passages near LAT,LON or an MGRS reference')
    .addOption(new Option('--radius <km>', 'radius for --near, km').default(10).argParser(Number))
    .option('--from <time>', 'only passages whose time overlaps from this ISO 8601 time')
    .option('--to <time>', 'only passages whose time overlaps up to this ISO 8601 time')
    .option('--kind <kinds>', 'only these source kinds: document,image,track')
    .option('--grade <grade>', 'only sources graded at least this well, e.g. B2')
    .option('--json', 'print JSON')
    .action(async (query: string, o: { k: number; near?: string; radius: number; from?: string; to?: string; kind?: string; grade?: string; json?: boolean }) => {
      const kind = o.kind ? (o.kind.split(',').map((x) => x.trim()) as ('document' | 'image' | 'track')[]) : undefined;
      const r = await (await open()).search({ query, k: o.k, near: o.near, radiusKm: o.radius, from: o.from, to: o.to, kind, grade: o.grade });
      if (o.json) json(io, r);
      else io.out(formatSearch(r));
    });

  program
    .command('ask')
    .description('answer a question from the ingested sources, with citations')
    .argument('<question>')
    .option('--model <name>', 'answer with this model (see `cairn models list`); the extractive composer otherwise')
    .option('--conversation <id>', 'continue this conversation (its id from an earlier answer, or "last"): follow-ups see the earlier turns')
    .addOption(new Option('--new', 'start a new conversation (the default without --conversation)').conflicts('conversation'))
    .option('--from <time>', 'only passages whose time overlaps from this ISO 8601 time')
    .option('--to <time>', 'only passages whose time overlaps up to this ISO 8601 time')
    .option('--json', 'print {answer, sentences, citations, banner, auditId, conversationId}')
    .action(async (question: string, o: { json?: boolean; model?: string; conversation?: string; new?: boolean; from?: string; to?: string }) => {
      // Progress goes to stderr on a terminal; stdout stays the answer. The
      // model's raw text is never shown before the citation check: it may
      // relay an instruction planted in a document (main/agent/relay.ts).
      let tokens = 0;
      const onEvent = o.json || !process.stderr.isTTY ? undefined : (e: AgentEvent): void => {
        if (e.type === 'token') process.stderr.write(`\r  the model is writing: ${++tokens} tokens`);
        else if (e.type === 'tool_start') {
          process.stderr.write(`${tokens > 0 ? '\n' : ''}[${e.tool}]\n`);
          tokens = 0;
        }
      };
      const cairn = await open();
      const input = { question, model: o.model, ...(o.from ? { from: o.from } : {}), ...(o.to ? { to: o.to } : {}), ...(o.conversation && !o.new ? { conversationId: o.conversation } : {}) };
      // Ctrl-C cancels the model call through the ask's signal (audited as cancelled) rather than killing the process mid-write.
      const { value: a } = await withInterrupt((signal) => cairn.ask(input, { signal, onEvent }), { onInterrupt: () => io.err('cairn: cancelling the answer (Ctrl-C again to quit at once)…') });
      if (tokens > 0) process.stderr.write('\n');
      if (o.json) json(io, a);
      else io.out(formatAnswer(a));
      if (a.status === 'cancelled') {
        io.err(`cairn: cancelled; the audit log records it (${a.auditId})`);
        setExit(EXIT.interrupted);
      }
    });

  program
    .command('sources')
    .description('list ingested sources')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const s = await (await open()).sources();
      if (o.json) json(io, s);
      else io.out(formatSources(s));
    });

  program
    .command('tracks')
    .description('track points in an area and time window (from GPX, KML, AIS, NMEA, CoT, CSV feeds)')
    .option('--bbox <west,south,east,north>', 'area in WGS84 degrees')
    .option('--from <time>', 'start of the window, ISO 8601')
    .option('--to <time>', 'end of the window, ISO 8601')
    .option('--entity <id>', 'one entity: MMSI, callsign, uid, track name')
    .option('--near <place>', 'points near LAT,LON or an MGRS reference')
    .addOption(new Option('--radius <km>', 'radius for --near, km').default(10).argParser(Number))
    .option('--json', 'print JSON')
    .action(async (o: { bbox?: string; from?: string; to?: string; entity?: string; near?: string; radius: number; json?: boolean }) => {
      const bbox = o.bbox ? parseBbox(o.bbox) : undefined;
      const r = await (await open()).tracks({ bbox, from: o.from, to: o.to, entity: o.entity, near: o.near, radiusKm: o.radius });
      if (o.json) json(io, r);
      else io.out(r.entities.length === 0 ? 'no track points in that area and window' : r.entities.map((e) => `${e.entity.padEnd(24)} ${String(e.count).padStart(7)} points  ${e.t0 ?? '?'} .. ${e.t1 ?? '?'}`).join('\n'));
    });

  const embed = program.command('embedder').description('the embedding model behind vector search');
  embed
    .command('list')
    .description('the embedder the store uses and the ones available (built-in, GGUF files in DATA/models)')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const r = await (await open()).embedders();
      if (o.json) json(io, r);
      else io.out([`in use: ${r.active} (dimension ${r.dimension})`, ...r.available.map((e) => `  ${e.name.padEnd(32)} ${e.kind}`)].join('\n'));
    });
  embed
    .command('switch')
    .description('re-embed every passage with another embedder (resumable; search keeps working until it finishes)')
    .argument('<name>', '"hashed" or a .gguf file name in DATA/models')
    .option('--json', 'print JSON')
    .action(async (name: string, o: { json?: boolean }) => {
      const progress = progressReporter(!o.json);
      const r = await (await open()).reembed(name, (p) => progress.update({ done: p.done, total: p.total, file: 'passages', status: 'ingested' }));
      progress.stop();
      if (o.json) json(io, r);
      else io.out(`re-embedded ${r.chunks} passages with ${r.to} (was ${r.from}${r.resumed ? `; ${r.resumed} carried over from an interrupted run` : ''})`);
    });

  const audit = program.command('audit').description('the tamper-evident audit log');
  audit
    .command('show')
    .description('print the audit records')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const records = await (await open()).auditRecords();
      if (o.json) json(io, records);
      else io.out(records.length === 0 ? 'the audit log is empty' : records.map(formatAuditRecord).join('\n'));
    });
  // verify (chain and signed checkpoints), checkpoint, export, replay
  registerAuditCommands(audit, ctx);
  audit
    .command('repair')
    .description('quarantine a cut-off last record (after a crash); other damage is never auto-repaired')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const r = await (await open()).auditRepair();
      if (o.json) json(io, r);
      else io.out(`moved the cut-off last record to ${r.quarantined}; the log verifies again`);
    });

  const evalCmd = program.command('eval').description('measure quality');
  evalCmd
    .command('retrieval')
    .description('nDCG@10 and Recall@100 on a BEIR folder, against LanceDB full-text search in the same run')
    .argument('<beirDir>')
    .option('--json', 'print JSON')
    .action(async (dir: string, o: { json?: boolean }) => {
      const progress = progressReporter(!o.json);
      const r = await (await open()).evalRetrieval(dir, (done, total, phase) => progress.update({ done, total, file: phase, status: 'ingested' }));
      progress.stop();
      if (o.json) json(io, r);
      else {
        io.out(`${r.dataset}: ${r.queries} queries over ${r.documents} documents`);
        io.out(`  cairn hybrid   nDCG@10 ${r.ndcg10.toFixed(4)}  Recall@100 ${r.recall100.toFixed(4)}  MRR@10 ${r.mrr10.toFixed(4)}`);
        io.out(`  lancedb-fts    nDCG@10 ${r.baseline.ndcg10.toFixed(4)}  Recall@100 ${r.baseline.recall100.toFixed(4)}  MRR@10 ${r.baseline.mrr10.toFixed(4)}`);
        io.out(`  delta nDCG@10 ${r.delta >= 0 ? '+' : ''}${r.delta.toFixed(4)}  (index ${r.seconds.index}s, search ${r.seconds.search}s)`);
      }
    });

  registerEvalLoop(evalCmd, ctx);

  return program;
}

function parseBbox(text: string): { west: number; south: number; east: number; north: number } {
  const n = text.split(',').map((x) => Number(x.trim()));
  if (n.length !== 4 || n.some((x) => !Number.isFinite(x))) {
    throw new CairnError('BAD_INPUT', `--bbox needs four numbers west,south,east,north in degrees, got ${JSON.stringify(text)}`, { input: text });
  }
  const [west, south, east, north] = n as [number, number, number, number];
  return { west, south, east, north };
}

/** Runs the CLI; returns the exit code instead of exiting so tests and the demo can call it. */
export async function runCli(argv: readonly string[], io: Io = defaultIo): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram(io, (c) => {
    code = Math.max(code, c);
  });
  try {
    await program.parseAsync([...argv]);
    return code;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.user;
    const err = toCairnError(e);
    if (err.isUserError) {
      io.err(`cairn: ${err.message}`);
      return EXIT.user;
    }
    io.err(`cairn: internal error: ${err.message}${process.env.CAIRN_DEBUG ? `\n${(err.cause as Error | undefined)?.stack ?? err.stack}` : ' (set CAIRN_DEBUG=1 for details)'}`);
    return EXIT.internal;
  }
}
