/**
 * MapLibre, wired for an air gap: its worker is bundled by Vite and served
 * from our own origin (no blob of remote code, no CDN).
 */
import { setWorkerUrl } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?worker&url';
import 'maplibre-gl/dist/maplibre-gl.css';

setWorkerUrl(new URL(workerUrl, window.location.href).href);

export { MapLibreMap, NavigationControl, ScaleControl, type GeoJSONSource } from 'maplibre-gl';
