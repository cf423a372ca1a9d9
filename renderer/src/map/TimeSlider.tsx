import { formatTime } from '../common/format.js';

interface Props {
  min: number;
  max: number;
  value: [number, number];
  onChange: (v: [number, number]) => void;
}

/** The time window: two native range inputs (keyboard operable), start never after end. */
export function TimeSlider({ min, max, value, onChange }: Props) {
  const span = Math.max(1, max - min);
  const step = Math.max(1000, Math.round(span / 1000));
  const [from, to] = value;
  const left = ((from - min) / span) * 100;
  const right = ((to - min) / span) * 100;
  return (
    <fieldset className="timeline" data-testid="timeline">
      <legend>Time window (UTC)</legend>
      <div className="timeline__track">
        <div className="timeline__window" style={{ left: `${left}%`, width: `${Math.max(0.5, right - left)}%` }} aria-hidden="true" />
        <input type="range" aria-label="Window start" min={min} max={max} step={step} value={from} aria-valuetext={formatTime(new Date(from).toISOString())} onChange={(e) => onChange([Math.min(Number(e.target.value), to), to])} />
        <input type="range" aria-label="Window end" min={min} max={max} step={step} value={to} aria-valuetext={formatTime(new Date(to).toISOString())} onChange={(e) => onChange([from, Math.max(Number(e.target.value), from)])} />
      </div>
      <div className="timeline__labels">
        <output data-testid="window-from">{formatTime(new Date(from).toISOString())}</output>
        <span aria-hidden="true">→</span>
        <output data-testid="window-to">{formatTime(new Date(to).toISOString())}</output>
        <button type="button" className="btn btn--small" onClick={() => onChange([min, max])} disabled={from === min && to === max}>
          Whole span
        </button>
      </div>
    </fieldset>
  );
}
