/**
 * Realistic fictional reports of the kind an analyst loads, written the way
 * such reports state dates and places (date lines, DTGs, DMS, MGRS, decimal
 * pairs), plus one that states none but is full of ordinary numbers.
 */

/** Port visit, Norfolk area: date line, DTG, DMS and a "yesterday". */
export const PORT_REPORT = `PORT ACTIVITY REPORT
DATE: 14 March 2031
SUBJECT: Arrival of MV Blue Heron at Sewells Point

1. The MV Blue Heron arrived at the Sewells Point anchorage, 36°57'12"N 076°19'48"W, at 141402ZMAR31 after a transit from the Azores.
2. Yesterday two tugs from the Lambert's Point yard were seen alongside; the pilot boarded at 0630 local.
3. Cargo: 1,200 tonnes of bagged grain in 3 holds; 12 of 15 crew remained aboard. Estimated departure 17 March.`;

/** Gulf of Aden patrol summary: decimal degrees with hemispheres, a date range, an MGRS grid. */
export const PATROL_REPORT = `PATROL SUMMARY 07/2031
Between 3 and 5 April 2031 the patrol covered the transit corridor south of Al Mukalla.
A skiff with four persons was observed at 12.7843 N, 45.0368 E on 4 April 2031 at 0915Z; it turned north at speed.
The boarding team later recovered fuel drums at grid 38PNV 10845 26075, an abandoned landing site.`;

/** Supply memo: no place, no date, but many numbers that look like them. */
export const BUDGET_MEMO = `Quarterly budget memo
The committee reviewed line items 12, 15 and 19. Fuel rose 3.5, 4.2 and 4.8 percent in the three months.
About 3/4 of the vehicles passed inspection; the ratio of spares to vehicles was 0.1234, 0.5678 last year.
Room 1402 on floor 3 holds version 2.1.3 of the inventory tool. Unit 2D BN 12 asked for 5 N-series filters.`;

/** An e-mail whose only date is its Date header; the body says "yesterday" and gives a labelled position. */
export const EMAIL = [
  'From: watch officer <watch@example.org>',
  'To: analyst <analyst@example.org>',
  'Subject: Contact report',
  'Date: Tue, 18 Mar 2031 09:30:00 +0000',
  'Message-ID: <contact-1@example.org>',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'Yesterday the coastal radar held a slow contact at lat 41.9032, lon 12.4534 for forty minutes before it faded.',
  '',
].join('\r\n');
