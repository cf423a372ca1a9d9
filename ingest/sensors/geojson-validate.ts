/**
 * GeoJSON (RFC 7946) structure checks, with the same error-level rules as
 * mapbox/geojsonhint: wrong or missing members, malformed positions, short
 * lines, unclosed or short rings, bad bbox, ambiguous duplicate members.
 * Its message-level hints (more than 3 position elements, ring winding) are
 * returned as hints, not errors. Nesting depth is bounded beforehand by
 * scanJson, so the recursion here is shallow.
 */

export interface GeoJsonProblems {
  errors: string[];
  hints: string[];
}

const GEOMETRY_TYPES = ['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'GeometryCollection'] as const;
const ALL_TYPES = [...GEOMETRY_TYPES, 'Feature', 'FeatureCollection'];
/** Coordinate nesting per geometry type: 0 = a position. */
const COORD_DEPTH: Record<string, number> = { Point: 0, MultiPoint: 1, LineString: 1, MultiLineString: 2, Polygon: 2, MultiPolygon: 3 };
const MAX_REPORTED = 20;

type Obj = Record<string, unknown>;

export function validateGeoJson(root: unknown): GeoJsonProblems {
  const errors: string[] = [];
  const hints: string[] = [];
  const err = (path: string, msg: string): void => {
    if (errors.length < MAX_REPORTED) errors.push(path ? `${path}: ${msg}` : msg);
  };

  const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
  const kind = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

  function bbox(o: Obj, path: string): void {
    if (o.bbox === undefined) return;
    if (!Array.isArray(o.bbox)) return err(`${path}.bbox`, `bbox must be an array of numbers, but is a ${kind(o.bbox)}`);
    if (!o.bbox.every((x) => typeof x === 'number')) err(`${path}.bbox`, 'each element in a bbox must be a number');
    if (o.bbox.length !== 4 && o.bbox.length !== 6) err(`${path}.bbox`, 'bbox must contain 4 elements (2D) or 6 elements (3D)');
  }

  function typed(o: Obj, path: string): string | null {
    if (o.type === undefined) {
      err(path, '"type" member required');
      return null;
    }
    if (typeof o.type !== 'string') {
      err(path, `"type" member must be a string, but is a ${kind(o.type)}`);
      return null;
    }
    if (!ALL_TYPES.includes(o.type)) {
      const fix = ALL_TYPES.find((t) => t.toLowerCase() === (o.type as string).toLowerCase());
      err(path, fix ? `expected type ${fix} but got ${o.type} (case sensitive)` : `the type ${o.type} is unknown`);
      return null;
    }
    return o.type;
  }

  function any(o: unknown, path: string): void {
    if (!isObj(o)) return err(path, `expected a GeoJSON object, got ${kind(o)}`);
    const type = typed(o, path);
    if (type === 'FeatureCollection') featureCollection(o, path);
    else if (type === 'Feature') feature(o, path);
    else if (type !== null) geometry(o, type, path);
  }

  function featureCollection(o: Obj, path: string): void {
    bbox(o, path);
    for (const m of ['properties', 'coordinates', 'geometry']) {
      if (o[m] !== undefined) err(path, `a FeatureCollection cannot have a "${m}" member`);
    }
    if (o.features === undefined) return err(path, '"features" member required');
    if (!Array.isArray(o.features)) return err(path, `"features" must be an array, but is a ${kind(o.features)}`);
    o.features.forEach((f, i) => {
      const p = `${path}.features[${i}]`;
      if (!isObj(f)) return err(p, 'every feature must be an object');
      if (f.type !== 'Feature') return err(p, `a member of "features" must have type "Feature", got ${JSON.stringify(f.type)}`);
      feature(f, p);
    });
  }

  function feature(o: Obj, path: string): void {
    bbox(o, path);
    if (o.id !== undefined && typeof o.id !== 'string' && typeof o.id !== 'number') err(path, 'a Feature "id" must be a string or a number');
    for (const m of ['features', 'coordinates', 'geometries']) {
      if (o[m] !== undefined) err(path, `a Feature cannot have a "${m}" member`);
    }
    if (o.properties === undefined) err(path, '"properties" member required (it may be null)');
    else if (o.properties !== null && !isObj(o.properties)) err(path, `"properties" must be an object or null, but is a ${kind(o.properties)}`);
    if (o.geometry === undefined) return err(path, '"geometry" member required (it may be null)');
    if (o.geometry === null) return;
    if (!isObj(o.geometry)) return err(`${path}.geometry`, `must be a geometry object or null, but is a ${kind(o.geometry)}`);
    const type = typed(o.geometry, `${path}.geometry`);
    if (type === null) return;
    if (!(GEOMETRY_TYPES as readonly string[]).includes(type)) return err(`${path}.geometry`, `a geometry cannot be a ${type}`);
    geometry(o.geometry, type, `${path}.geometry`);
  }

  function geometry(o: Obj, type: string, path: string): void {
    bbox(o, path);
    for (const m of ['properties', 'geometry', 'features']) {
      if (o[m] !== undefined) err(path, `a geometry cannot have a "${m}" member`);
    }
    if (type === 'GeometryCollection') return collection(o, path);
    if (o.coordinates === undefined) return err(path, '"coordinates" member required');
    if (!Array.isArray(o.coordinates)) return err(path, `"coordinates" must be an array, but is a ${kind(o.coordinates)}`);
    const depth = COORD_DEPTH[type]!;
    const ring = type === 'Polygon' || type === 'MultiPolygon';
    const line = type === 'LineString' || type === 'MultiLineString';
    coords(o.coordinates, depth, ring ? 'ring' : line ? 'line' : '', `${path}.coordinates`);
  }

  function collection(o: Obj, path: string): void {
    if (o.geometries === undefined) return err(path, '"geometries" member required');
    if (!Array.isArray(o.geometries)) return err(path, `"geometries" must be an array, but is a ${kind(o.geometries)}`);
    if (o.geometries.length === 1) err(path, 'a GeometryCollection with a single geometry should be that geometry (or a multi-part type)');
    o.geometries.forEach((g, i) => {
      const p = `${path}.geometries[${i}]`;
      if (!isObj(g)) return err(p, 'a GeometryCollection must contain only geometry objects');
      const type = typed(g, p);
      if (type === null) return;
      if (type === 'GeometryCollection') err(p, 'nested GeometryCollections are not allowed');
      if (!(GEOMETRY_TYPES as readonly string[]).includes(type)) return err(p, `a GeometryCollection cannot contain a ${type}`);
      geometry(g, type, p);
    });
  }

  function coords(c: unknown, depth: number, shape: 'ring' | 'line' | '', path: string): void {
    if (depth === 0) return position(c, path);
    if (!Array.isArray(c)) return err(path, 'a number was found where a coordinate array should be: it needs to be nested more deeply');
    if (depth === 1 && shape === 'ring') {
      if (!c.every(Array.isArray)) return err(path, 'a number was found where a coordinate array should be: it needs to be nested more deeply');
      if (c.length < 4) err(path, 'a LinearRing needs four or more positions');
      const first = c[0] as unknown[] | undefined;
      const last = c[c.length - 1] as unknown[] | undefined;
      if (first && last && (first.length !== last.length || first.some((v, i) => v !== last[i]))) {
        err(path, 'the first and last positions of a LinearRing must be the same');
      }
    } else if (depth === 1 && shape === 'line' && c.length < 2) {
      err(path, 'a line needs two or more positions');
    }
    c.forEach((x, i) => coords(x, depth - 1, shape, `${path}[${i}]`));
  }

  function position(p: unknown, path: string): void {
    if (!Array.isArray(p)) return err(path, `a position must be an array, but is a ${kind(p)}`);
    if (p.length < 2) return err(path, 'a position must have 2 or more elements');
    if (!p.every((x) => typeof x === 'number' && Number.isFinite(x))) return err(path, 'each element in a position must be a number');
    if (p.length > 3 && hints.length < MAX_REPORTED) hints.push(`${path}: a position should not have more than 3 elements`);
  }

  if (!isObj(root)) {
    errors.push(`the root of a GeoJSON document must be an object, but is ${kind(root)}`);
    return { errors, hints };
  }
  any(root, '$');
  return { errors, hints };
}
