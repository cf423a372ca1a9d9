import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useClient } from '../common/ClientContext.js';
import { ErrorNote } from '../common/ErrorNote.js';
import { Spinner } from '../common/Spinner.js';
import { describeError } from '../transport/errors.js';
import type { TracksOutput } from '../transport/types.js';
import type { Theme } from './basemap.js';
import { CoordReadout } from './CoordReadout.js';
import { EntityList } from './EntityList.js';
import { TimeSlider } from './TimeSlider.js';
import { boundsOf, trackGeoJson } from './trackData.js';
import { TrackMap } from './TrackMap.js';

/** A track segment to show: set by a citation's "show on the map". */
export interface TrackFocus {
  entity: string;
  t0: string;
  t1: string;
  /** Changes on every request, so asking twice for the same segment refits. */
  nonce: number;
}

interface Extent {
  min: number;
  max: number;
  entities: string[];
}

function extentOf(out: TracksOutput): Extent | null {
  const times = out.entities.flatMap((e) => [e.t0, e.t1]).filter((t): t is string => t !== null).map((t) => Date.parse(t)).filter(Number.isFinite);
  const entities = out.entities.map((e) => e.entity).sort();
  if (times.length === 0) return { min: 0, max: 0, entities };
  return { min: Math.min(...times), max: Math.max(...times), entities };
}

const DEBOUNCE_MS = 200;

/** Map and timeline: track observations inside a time window, on the offline basemap. */
/** The window as ISO times, for search and ask (the timeline filters them when the analyst says so). */
export interface TimeFilter {
  from: string;
  to: string;
}

interface MapViewProps {
  theme: Theme;
  focus: TrackFocus | null;
  /** Whether Ask is limited to the window (the checkbox under the timeline). */
  limitAsk?: boolean;
  onLimitAsk?: (on: boolean) => void;
  /** The current window, whenever it changes. */
  onWindow?: (w: TimeFilter | null) => void;
}

export function MapView({ theme, focus, limitAsk = false, onLimitAsk, onWindow }: MapViewProps) {
  const client = useClient();
  const [extent, setExtent] = useState<Extent | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [win, setWin] = useState<[number, number] | null>(null);
  const [entity, setEntity] = useState('');
  const [data, setData] = useState<TracksOutput | null>(null);
  const [loading, setLoading] = useState(false);
  const [fit, setFit] = useState<[number, number, number, number] | null>(null);
  const [cursor, setCursor] = useState<{ lat: number; lon: number } | null>(null);
  const fitNext = useRef(true);

  useEffect(() => {
    client.tracks({}).then(
      (out) => {
        const ext = extentOf(out);
        setExtent(ext);
        if (ext && ext.max > ext.min) setWin((w) => w ?? [ext.min, ext.max]);
        setData((d) => d ?? out);
        if (fitNext.current) {
          fitNext.current = false;
          setFit(boundsOf(out.observations));
        }
      },
      (e: unknown) => setError(describeError(e)),
    );
  }, [client]);

  useEffect(() => {
    if (!focus) return;
    setEntity(focus.entity);
    setWin([Date.parse(focus.t0), Date.parse(focus.t1)]);
    fitNext.current = true;
  }, [focus]);

  useEffect(() => {
    if (!win && !entity) return;
    let live = true;
    const timer = setTimeout(() => {
      setLoading(true);
      client
        .tracks({ ...(win ? { from: new Date(win[0]).toISOString(), to: new Date(win[1]).toISOString() } : {}), ...(entity ? { entity } : {}) })
        .then(
          (out) => {
            if (!live) return;
            setData(out);
            setError(null);
            if (fitNext.current) {
              fitNext.current = false;
              const b = boundsOf(out.observations);
              if (b) setFit(b);
            }
          },
          (e: unknown) => live && setError(describeError(e)),
        )
        .finally(() => live && setLoading(false));
    }, DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [client, win, entity]);

  useEffect(() => {
    onWindow?.(win ? { from: new Date(win[0]).toISOString(), to: new Date(win[1]).toISOString() } : null);
  }, [win, onWindow]);

  const all = useMemo(() => extent?.entities ?? [], [extent]);
  const tracks = useMemo(() => trackGeoJson(data?.observations ?? [], all), [data, all]);
  const onCursor = useCallback((p: { lat: number; lon: number } | null) => setCursor(p), []);

  return (
    <section className="mapview" aria-label="Map and timeline">
      <div className="mapview__map">
        <TrackMap theme={theme} tracks={tracks} fit={fit} onCursor={onCursor} />
        <CoordReadout pos={cursor} />
      </div>
      <div className="mapview__side">
        <h2>Tracks</h2>
        {error && <ErrorNote message={error} />}
        {!extent && !error && <Spinner label="Loading tracks…" />}
        {extent && (
          <>
            <p className="muted" data-testid="track-count">
              {data ? `${data.observations.length} point${data.observations.length === 1 ? '' : 's'} from ${data.entities.length} entit${data.entities.length === 1 ? 'y' : 'ies'}` : '—'}
              {loading ? ' · updating…' : ''}
            </p>
            {win && extent.max > extent.min ? <TimeSlider min={extent.min} max={extent.max} value={win} onChange={setWin} /> : <p className="muted">No timed observations: the time window is off.</p>}
            {win && onLimitAsk && (
              <label className="checkbox">
                <input type="checkbox" checked={limitAsk} onChange={(e) => onLimitAsk(e.target.checked)} /> Limit Ask and its passages to this window (dated passages only: images, tracks)
              </label>
            )}
            <EntityList all={all} inWindow={data?.entities ?? []} selected={entity} onSelect={setEntity} />
          </>
        )}
        <p className="attribution">Basemap: Natural Earth 1:110m (world-atlas), bundled.</p>
      </div>
    </section>
  );
}
