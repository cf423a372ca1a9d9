import type { Command } from 'commander';
import path from 'node:path';
import { CairnError } from '../../core/errors.js';
import { exportGeo, exportProv, GEO_FORMATS, type GeoFormat, parseBbox } from '../../exports/index.js';
import { depsFor } from '../../reports/index.js';
import type { CliContext } from '../index.js';

/**
 * `cairn export --format geojson|kml|csv [--bbox W,S,E,N] [--from T] [--to T] --out FILE`
 * `cairn export prov ANSWER_ID --out FILE`
 */

const BY_EXTENSION: Record<string, GeoFormat> = { '.geojson': 'geojson', '.json': 'geojson', '.kml': 'kml', '.csv': 'csv' };

function geoFormat(format: string | undefined, out: string): GeoFormat {
  const f = format?.toLowerCase() ?? BY_EXTENSION[path.extname(out).toLowerCase()];
  if (f && (GEO_FORMATS as readonly string[]).includes(f)) return f as GeoFormat;
  throw new CairnError('BAD_INPUT', `--format must be one of ${GEO_FORMATS.join(', ')}${format ? `, got ${JSON.stringify(format)}` : ' (or give --out a .geojson, .kml or .csv name)'}`, { input: format ?? out });
}

export function register(program: Command, ctx: CliContext): void {
  program
    .command('export')
    .description('export sources and track points in an area and time window (GeoJSON, KML, CSV), or an answer\'s provenance ("prov ANSWER_ID", PROV-JSON)')
    .argument('[what]', '"prov" to export an answer\'s provenance')
    .argument('[answerId]', 'with "prov": the audit id of the answer')
    .option('--format <format>', `${GEO_FORMATS.join(' | ')} (default: from the --out extension)`)
    .option('--bbox <west,south,east,north>', 'area in WGS84 degrees')
    .option('--from <time>', 'start of the window, ISO 8601')
    .option('--to <time>', 'end of the window, ISO 8601')
    .requiredOption('--out <file>', 'output file')
    .option('--json', 'print JSON')
    .action(async (what: string | undefined, answerId: string | undefined, o: { format?: string; bbox?: string; from?: string; to?: string; out: string; json?: boolean }) => {
      const deps = await depsFor(await ctx.open());
      if (what !== undefined) {
        if (what !== 'prov') throw new CairnError('BAD_INPUT', `unknown export ${JSON.stringify(what)}: use \`cairn export prov ANSWER_ID --out FILE\` or \`cairn export --format ${GEO_FORMATS.join('|')} --out FILE\``, { input: what });
        if (!answerId) throw new CairnError('BAD_INPUT', 'cairn export prov needs the audit id of an answer', { input: what });
        if (o.format && !['prov', 'prov-json', 'json'].includes(o.format)) throw new CairnError('BAD_INPUT', `provenance is exported as PROV-JSON only, not ${o.format}`, { input: o.format });
        const r = await exportProv(deps, answerId, o.out);
        if (o.json) ctx.json(r);
        else ctx.io.out([`wrote ${r.file} (PROV-JSON for answer ${r.answer.slice(0, 12)}, ${r.bytes} bytes)`, `sha256 ${r.sha256}`, `audit ${r.auditId}`].join('\n'));
        return;
      }
      const r = await exportGeo(deps, { format: geoFormat(o.format, o.out), out: o.out, bbox: o.bbox ? parseBbox(o.bbox) : undefined, from: o.from, to: o.to });
      if (o.json) ctx.json(r);
      else {
        ctx.io.out([r.banner, `wrote ${r.file} (${r.format}: ${r.observations} observations, ${r.sources} sources${r.truncated ? ', TRUNCATED at the export limit' : ''})`, `sha256 ${r.sha256}`, `audit ${r.auditId}`].join('\n'));
      }
    });
}
