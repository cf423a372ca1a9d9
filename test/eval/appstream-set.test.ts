import { describe, expect, it } from 'vitest';
import { descriptionText, translatedDescriptions } from '../../scripts/eval/appstream-set.js';

// Three components in DEP-11's shape (a YAML document each), written for this test.
const CATALOGUE = `---
File: DEP-11
Version: '0.16'
---
Type: desktop-application
ID: org.example.Maps
Summary:
  C: View maps
  pt-BR: Ver mapas
Description:
  C: <p>Maps shows where you are.</p>
  pt-BR: >-
    <p>O Mapas mostra onde você está &amp; o que há perto.</p>
    <ul><li>Rotas</li><li>Busca</li></ul>
---
Type: desktop-application
ID: org.example.Untranslated
Summary:
  C: Edit text
  pt_BR: Edit text
Description:
  C: <p>Edits text.</p>
  pt_BR: <p>Edits text.</p>
---
Type: console-application
ID: org.example.NoDescription
Summary:
  pt_BR: Sem descrição
`;

describe('AppStream known-item sets (scripts/eval/appstream-set.ts)', () => {
  it('reduces description markup to a paragraph or list item per line, entities decoded', () => {
    expect(descriptionText('<p>One  two\n three.</p><ul><li>A &amp; B</li><li>C</li></ul>')).toBe('One two three.\nA & B\nC');
  });

  it('takes translated summaries and descriptions under either locale spelling, and skips English copies', () => {
    const got = translatedDescriptions(CATALOGUE, 'pt_BR');
    expect(got).toEqual([{ pkg: 'org.example.Maps', short: 'Ver mapas', long: 'O Mapas mostra onde você está & o que há perto.\nRotas\nBusca' }]);
    expect(translatedDescriptions(CATALOGUE, 'de')).toEqual([]);
  });
});
