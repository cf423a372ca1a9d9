import * as arrow from 'apache-arrow';

/** Bumped when a table's columns change; a mismatch means a migration is due. */
export const SCHEMA_VERSION = '1';

export const META = {
  schemaVersion: 'cairn.schema_version',
  embedderId: 'cairn.embedder_id',
  dimension: 'cairn.embedder_dimension',
} as const;

const utf8 = (name: string): arrow.Field => new arrow.Field(name, new arrow.Utf8(), false);
const int32 = (name: string): arrow.Field => new arrow.Field(name, new arrow.Int32(), false);
/** Nullable doubles for time (epoch ms) and WGS84 bounds, so filters run in the query. */
const optionalFloat64 = (name: string): arrow.Field => new arrow.Field(name, new arrow.Float64(), true);
const spaceTime = (): arrow.Field[] => ['t0', 't1', 'west', 'south', 'east', 'north'].map(optionalFloat64);

export function sourcesSchema(): arrow.Schema {
  return new arrow.Schema(
    [
      utf8('id'),
      utf8('kind'),
      utf8('title'),
      utf8('origin'),
      utf8('mime'),
      // Float64, not Int64: exact for any file size we accept, and no BigInt at the API edge.
      new arrow.Field('bytes', new arrow.Float64(), false),
      utf8('ingestedAt'),
      utf8('marking'),
      utf8('packageId'),
      utf8('parentId'),
      utf8('metadata'),
      ...spaceTime(),
    ],
    new Map([[META.schemaVersion, SCHEMA_VERSION]]),
  );
}

export function chunksSchema(embedderId: string, dimension: number): arrow.Schema {
  return new arrow.Schema(
    [
      utf8('id'),
      utf8('sourceId'),
      int32('ordinal'),
      utf8('text'),
      // The analysed text the full-text index is built on (main/search/analyse.ts) and the language it was stemmed as ('' none).
      utf8('terms'),
      utf8('lang'),
      int32('page'),
      int32('start'),
      int32('end'),
      utf8('marking'),
      // JSON of an image bbox or a track segment; '' for plain text.
      utf8('locator'),
      ...spaceTime(),
      new arrow.Field('vector', new arrow.FixedSizeList(dimension, new arrow.Field('item', new arrow.Float32(), true)), false),
    ],
    new Map([
      [META.schemaVersion, SCHEMA_VERSION],
      [META.embedderId, embedderId],
      [META.dimension, String(dimension)],
    ]),
  );
}

/** Track points: one row per observation, filtered by place and time in the query. */
export function observationsSchema(): arrow.Schema {
  const nullable = (name: string): arrow.Field => new arrow.Field(name, new arrow.Float64(), true);
  return new arrow.Schema(
    [utf8('sourceId'), utf8('entity'), nullable('t'), new arrow.Field('lat', new arrow.Float64(), false), new arrow.Field('lon', new arrow.Float64(), false), nullable('alt'), nullable('speed'), nullable('course'), utf8('marking')],
    new Map([[META.schemaVersion, SCHEMA_VERSION]]),
  );
}
