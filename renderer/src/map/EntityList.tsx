import { formatTime } from '../common/format.js';
import type { TracksOutput } from '../transport/types.js';
import { colourOf } from './trackData.js';

interface Props {
  all: string[];
  inWindow: TracksOutput['entities'];
  selected: string;
  onSelect: (entity: string) => void;
}

/** Entities in the window with their colour, count and span; choosing one filters the map. */
export function EntityList({ all, inWindow, selected, onSelect }: Props) {
  return (
    <div className="entities">
      <label>
        Entity{' '}
        <select value={selected} onChange={(e) => onSelect(e.target.value)}>
          <option value="">All entities</option>
          {all.map((e) => (
            <option key={e} value={e}>
              {e}
            </option>
          ))}
        </select>
      </label>
      <ul className="entities__list" aria-label="Entities in the window">
        {inWindow.map((e) => (
          <li key={e.entity}>
            <span className="swatch" style={{ background: colourOf(all, e.entity) }} aria-hidden="true" />
            <span className="entities__name">{e.entity}</span>
            <span className="entities__n">{e.count} pts</span>
            <span className="entities__span">
              {formatTime(e.t0)} – {formatTime(e.t1)}
            </span>
          </li>
        ))}
        {inWindow.length === 0 && <li className="muted">No observations in this window.</li>}
      </ul>
    </div>
  );
}
