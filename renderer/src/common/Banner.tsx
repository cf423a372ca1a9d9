/** The classification banner; colour follows the level it names. */
export function bannerLevel(banner: string): string {
  const b = banner.trim().toUpperCase();
  if (b.startsWith('TOP SECRET')) return 'ts';
  if (b.startsWith('SECRET')) return 's';
  if (b.startsWith('CONFIDENTIAL')) return 'c';
  if (b.startsWith('CUI') || b.startsWith('CONTROLLED')) return 'cui';
  if (b.startsWith('UNCLASSIFIED')) return 'u';
  return 'unknown';
}

export function Banner({ text, position }: { text: string | null; position: 'top' | 'bottom' }) {
  const shown = text ?? 'Classification pending';
  return (
    <div className={`banner banner--${text ? bannerLevel(text) : 'pending'} banner--${position}`} role="note" aria-label={`Classification (${position}): ${shown}`} data-testid="banner">
      {shown}
    </div>
  );
}
