import { formatDms, formatLatLon, formatMgrs } from './coords.js';

/** What lies under the cursor, in the notations analysts read. */
export function CoordReadout({ pos }: { pos: { lat: number; lon: number } | null }) {
  const mgrs = pos ? formatMgrs(pos.lat, pos.lon) : null;
  return (
    <dl className="readout" data-testid="coord-readout">
      <dt>Lat/lon</dt>
      <dd>{pos ? formatLatLon(pos.lat, pos.lon) : '—'}</dd>
      <dt>DMS</dt>
      <dd>{pos ? formatDms(pos.lat, pos.lon) : '—'}</dd>
      <dt>MGRS</dt>
      <dd data-testid="mgrs">{pos ? (mgrs ?? 'outside MGRS/UTM') : '—'}</dd>
    </dl>
  );
}
