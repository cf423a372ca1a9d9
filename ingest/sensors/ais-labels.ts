/** ITU-R M.1371 "type of ship and cargo" codes, in words an analyst would search for. */
export function shipTypeText(code: number | null | undefined): string | null {
  if (code === null || code === undefined || !Number.isInteger(code) || code <= 0 || code > 99) return null;
  const exact: Record<number, string> = {
    30: 'fishing',
    31: 'towing',
    32: 'towing (large)',
    33: 'dredging or underwater operations',
    34: 'diving operations',
    35: 'military operations',
    36: 'sailing',
    37: 'pleasure craft',
    50: 'pilot vessel',
    51: 'search and rescue vessel',
    52: 'tug',
    53: 'port tender',
    54: 'anti-pollution equipment',
    55: 'law enforcement',
    58: 'medical transport',
    59: 'noncombatant ship',
  };
  if (exact[code]) return exact[code]!;
  const decade: Record<number, string> = {
    2: 'wing in ground craft',
    4: 'high-speed craft',
    6: 'passenger ship',
    7: 'cargo ship',
    8: 'tanker',
    9: 'other type',
  };
  const d = Math.floor(code / 10);
  if (decade[d]) return decade[d]!;
  if (code >= 1 && code <= 19) return 'reserved';
  return 'special craft';
}

export const NAV_STATUS: Record<number, string> = {
  0: 'under way using engine',
  1: 'at anchor',
  2: 'not under command',
  3: 'restricted manoeuvrability',
  4: 'constrained by her draught',
  5: 'moored',
  6: 'aground',
  7: 'engaged in fishing',
  8: 'under way sailing',
  14: 'AIS-SART active',
};
