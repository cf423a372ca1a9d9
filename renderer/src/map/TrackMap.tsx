import type { FeatureCollection } from 'geojson';
import { memo, useEffect, useRef } from 'react';
import { applyTheme, basemapStyle, type Theme } from './basemap.js';
import { MapLibreMap, NavigationControl, ScaleControl, type GeoJSONSource } from './maplibre.js';

export interface TrackLayers {
  points: FeatureCollection;
  lines: FeatureCollection;
}

interface Props {
  theme: Theme;
  tracks: TrackLayers;
  /** Fit the view to these [w, s, e, n] bounds whenever the value changes. */
  fit: [number, number, number, number] | null;
  onCursor: (pos: { lat: number; lon: number } | null) => void;
}

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

function addTrackLayers(map: MapLibreMap): void {
  map.addSource('track-lines', { type: 'geojson', data: EMPTY });
  map.addSource('track-points', { type: 'geojson', data: EMPTY });
  map.addLayer({ id: 'tracks-lines', type: 'line', source: 'track-lines', layout: { 'line-join': 'round', 'line-cap': 'round' }, paint: { 'line-color': ['get', 'colour'], 'line-width': 2.2, 'line-opacity': 0.9 } });
  map.addLayer({
    id: 'tracks-points',
    type: 'circle',
    source: 'track-points',
    paint: { 'circle-color': ['get', 'colour'], 'circle-radius': ['interpolate', ['linear'], ['zoom'], 2, 2, 10, 4], 'circle-stroke-color': '#0b0f14', 'circle-stroke-width': 0.8 },
  });
}

/** The MapLibre canvas: offline basemap plus the track layers. Publishes what it drew on data-* attributes. */
export const TrackMap = memo(function TrackMap({ theme, tracks, fit, onCursor }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  const ready = useRef(false);
  const latest = useRef({ tracks, theme });
  latest.current = { tracks, theme };

  useEffect(() => {
    const container = box.current;
    if (!container) return;
    const map = new MapLibreMap({ container, style: basemapStyle(latest.current.theme), center: [10, 30], zoom: 1.3, attributionControl: false, maxPitch: 0, dragRotate: false });
    mapRef.current = map;
    map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
    map.addControl(new ScaleControl({ unit: 'metric' }), 'bottom-right');
    map.on('load', () => {
      addTrackLayers(map);
      ready.current = true;
      push(map, latest.current.tracks);
      container.dataset.state = 'ready';
    });
    map.on('idle', () => {
      if (!ready.current) return;
      container.dataset.renderedTrackPoints = String(map.queryRenderedFeatures({ layers: ['tracks-points'] }).length);
    });
    map.on('mousemove', (e) => onCursor({ lat: e.lngLat.lat, lon: e.lngLat.lng }));
    map.on('mouseout', () => onCursor(null));
    const resize = new ResizeObserver(() => map.resize());
    resize.observe(container);
    return () => {
      resize.disconnect();
      ready.current = false;
      map.remove();
      mapRef.current = null;
    };
  }, [onCursor]);

  useEffect(() => {
    const map = mapRef.current;
    if (map && ready.current) push(map, tracks);
  }, [tracks]);

  useEffect(() => {
    const map = mapRef.current;
    if (map && ready.current) applyTheme(map, theme);
  }, [theme]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !fit) return;
    const go = (): void => {
      const [w, s, e, n] = fit;
      map.fitBounds([[w, s], [e, n]], { padding: 60, maxZoom: 8, duration: 0 });
    };
    if (map.loaded()) go();
    else map.once('load', go);
  }, [fit]);

  return <div ref={box} className="map-canvas" data-testid="map" data-state="loading" role="region" aria-label="Map of track observations" />;
});

function push(map: MapLibreMap, tracks: TrackLayers): void {
  (map.getSource('track-points') as GeoJSONSource | undefined)?.setData(tracks.points);
  (map.getSource('track-lines') as GeoJSONSource | undefined)?.setData(tracks.lines);
  const c = map.getContainer();
  c.dataset.trackPoints = String(tracks.points.features.length);
}
