/**
 * The offline basemap: Natural Earth 1:110m countries from world-atlas,
 * bundled by Vite and turned into GeoJSON here. The style has no glyphs,
 * sprite or tile URLs, so MapLibre never fetches anything.
 */
import type { Feature, FeatureCollection } from 'geojson';
import type { StyleSpecification } from 'maplibre-gl';
import { feature, mesh } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import countries110m from 'world-atlas/countries-110m.json';

export type Theme = 'light' | 'dark';

type Countries = Topology<{ countries: GeometryCollection; land: GeometryCollection }>;
const topo = countries110m as unknown as Countries;

const land = feature(topo, topo.objects.countries);
const borders = mesh(topo, topo.objects.countries, (a, b) => a !== b);

function graticule(step: number): FeatureCollection {
  const lines: Feature[] = [];
  for (let lon = -180; lon <= 180; lon += step) {
    lines.push({ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: Array.from({ length: 33 }, (_, i) => [lon, -80 + i * 5]) } });
  }
  for (let lat = -60; lat <= 60; lat += step) {
    lines.push({ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: Array.from({ length: 73 }, (_, i) => [-180 + i * 5, lat]) } });
  }
  return { type: 'FeatureCollection', features: lines };
}

export const PALETTE: Record<Theme, { ocean: string; land: string; border: string; coast: string; graticule: string }> = {
  light: { ocean: '#dbe4ec', land: '#f6f5f1', border: '#aeb6bf', coast: '#8a96a3', graticule: '#c8d3dd' },
  dark: { ocean: '#0e151c', land: '#1c2530', border: '#3a4756', coast: '#4d5d6e', graticule: '#1a2532' },
};

export function basemapStyle(theme: Theme): StyleSpecification {
  const c = PALETTE[theme];
  return {
    version: 8,
    name: 'cairn-offline',
    sources: {
      land: { type: 'geojson', data: land },
      borders: { type: 'geojson', data: borders },
      graticule: { type: 'geojson', data: graticule(30) },
    },
    layers: [
      { id: 'ocean', type: 'background', paint: { 'background-color': c.ocean } },
      { id: 'graticule', type: 'line', source: 'graticule', paint: { 'line-color': c.graticule, 'line-width': 0.6 } },
      { id: 'land', type: 'fill', source: 'land', paint: { 'fill-color': c.land, 'fill-outline-color': c.coast } },
      { id: 'borders', type: 'line', source: 'borders', paint: { 'line-color': c.border, 'line-width': 0.7 } },
    ],
  };
}

/** Recolours the basemap in place when the theme changes. */
export function applyTheme(map: { setPaintProperty(layer: string, prop: string, value: unknown): void }, theme: Theme): void {
  const c = PALETTE[theme];
  map.setPaintProperty('ocean', 'background-color', c.ocean);
  map.setPaintProperty('graticule', 'line-color', c.graticule);
  map.setPaintProperty('land', 'fill-color', c.land);
  map.setPaintProperty('land', 'fill-outline-color', c.coast);
  map.setPaintProperty('borders', 'line-color', c.border);
}
