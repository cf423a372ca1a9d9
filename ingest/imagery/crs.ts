/**
 * EPSG codes we can reproject to WGS84 with proj4, defined from their
 * parameters (no EPSG database, no network). Datum shifts are 7-parameter
 * (or 3-parameter) Helmert approximations: NAD27 uses the CONUS mean
 * (-8,160,176), good to about 10 m; grid shifts (NADCON, NTv2) are not
 * bundled, so NAD27 positions differ from GDAL-with-grids by up to ~10 m.
 */

const WGS84 = '+datum=WGS84';
const GRS80_0 = '+ellps=GRS80 +towgs84=0,0,0,0,0,0,0';
const NAD27 = '+ellps=clrk66 +towgs84=-8,160,176,0,0,0,0';
const WGS72 = '+ellps=WGS72 +towgs84=0,0,4.5,0,0,0.554,0.2263';

const GEOGRAPHIC: Record<number, string> = {
  4326: `+proj=longlat ${WGS84} +no_defs`,
  4979: `+proj=longlat ${WGS84} +no_defs`,
  4269: `+proj=longlat ${GRS80_0} +no_defs`, // NAD83
  4258: `+proj=longlat ${GRS80_0} +no_defs`, // ETRS89
  4283: `+proj=longlat ${GRS80_0} +no_defs`, // GDA94
  4267: `+proj=longlat ${NAD27} +no_defs`, // NAD27
  4230: '+proj=longlat +ellps=intl +towgs84=-87,-98,-121,0,0,0,0 +no_defs', // ED50
  4322: `+proj=longlat ${WGS72} +no_defs`, // WGS72
};

const PROJECTED: Record<number, string> = {
  3857: '+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +wktext +no_defs',
  900913: '+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +wktext +no_defs',
  3395: `+proj=merc +lon_0=0 +k=1 +x_0=0 +y_0=0 ${WGS84} +units=m +no_defs`, // World Mercator
  3035: `+proj=laea +lat_0=52 +lon_0=10 +x_0=4321000 +y_0=3210000 ${GRS80_0} +units=m +no_defs`, // ETRS89 LAEA Europe
  2154: `+proj=lcc +lat_0=46.5 +lon_0=3 +lat_1=49 +lat_2=44 +x_0=700000 +y_0=6600000 ${GRS80_0} +units=m +no_defs`, // RGF93 Lambert-93
  27700: '+proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 +y_0=-100000 +ellps=airy +towgs84=446.448,-125.157,542.06,0.15,0.247,0.842,-20.489 +units=m +no_defs', // British National Grid
};

const utm = (zone: number, south: boolean, datum: string): string => `+proj=utm +zone=${zone}${south ? ' +south' : ''} ${datum} +units=m +no_defs`;

/** A proj4 definition for an EPSG code, or null when we do not know it. */
export function proj4Definition(epsg: number): string | null {
  const known = GEOGRAPHIC[epsg] ?? PROJECTED[epsg];
  if (known) return known;
  // WGS 84 / UTM zone N (326zz) and S (327zz)
  if (epsg >= 32601 && epsg <= 32660) return utm(epsg - 32600, false, WGS84);
  if (epsg >= 32701 && epsg <= 32760) return utm(epsg - 32700, true, WGS84);
  // NAD83 / UTM zones 1-23 N (269zz)
  if (epsg >= 26901 && epsg <= 26923) return utm(epsg - 26900, false, GRS80_0);
  // NAD27 / UTM zones 3-22 N (267zz), e.g. EPSG:26711 = zone 11
  if (epsg >= 26703 && epsg <= 26722) return utm(epsg - 26700, false, NAD27);
  // ETRS89 / UTM zones 28-38 N (258zz)
  if (epsg >= 25828 && epsg <= 25838) return utm(epsg - 25800, false, GRS80_0);
  // WGS 72 / UTM zones N (322zz) and S (323zz)
  if (epsg >= 32201 && epsg <= 32260) return utm(epsg - 32200, false, WGS72);
  if (epsg >= 32301 && epsg <= 32360) return utm(epsg - 32300, true, WGS72);
  return null;
}

export function isGeographic(epsg: number): boolean {
  return epsg in GEOGRAPHIC;
}

/**
 * GeoTIFF user-defined projections (ProjectedCSTypeGeoKey 32767) often give
 * ProjectionGeoKey as an EPSG "UTM zone" conversion: 16001-16060 north,
 * 16101-16160 south. With the geographic CRS they name a UTM CRS we know.
 */
export function utmFromProjectionKey(projection: number, geographic: number | undefined): string | null {
  const north = projection >= 16001 && projection <= 16060;
  const south = projection >= 16101 && projection <= 16160;
  if (!north && !south) return null;
  const zone = north ? projection - 16000 : projection - 16100;
  const datum = geographic === 4267 ? NAD27 : geographic === 4269 || geographic === 4258 || geographic === 4283 ? GRS80_0 : WGS84;
  return utm(zone, south, datum);
}
