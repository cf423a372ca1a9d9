import { useCallback, useState, type ReactNode } from 'react';
import { AdminView } from './admin/AdminView.js';
import { AskView } from './ask/AskView.js';
import type { TrackPlace } from './ask/citations.js';
import { AuditView } from './audit/AuditView.js';
import { FeedbackView } from './feedback/FeedbackView.js';
import { ClientContext } from './common/ClientContext.js';
import { Tabs, type TabDef } from './common/Tabs.js';
import { useTheme } from './common/useTheme.js';
import { LibraryView } from './library/LibraryView.js';
import { MapView, type TimeFilter, type TrackFocus } from './map/MapView.js';
import type { CairnClient } from './transport/client.js';

type ViewId = 'ask' | 'library' | 'map' | 'audit' | 'feedback' | 'admin';

const TABS: TabDef<ViewId>[] = [
  { id: 'ask', label: 'Ask' },
  { id: 'library', label: 'Library' },
  { id: 'map', label: 'Map & timeline' },
  { id: 'audit', label: 'Audit' },
  { id: 'feedback', label: 'Feedback' },
  { id: 'admin', label: 'Admin' },
];

/** A view mounts on first visit and then stays mounted (hidden), keeping its state. */
function Panel({ id, current, visited, children }: { id: ViewId; current: ViewId; visited: Set<ViewId>; children: ReactNode }) {
  if (!visited.has(id)) return null;
  return (
    <div role="tabpanel" id={`panel-${id}`} aria-labelledby={`tab-${id}`} hidden={current !== id} className="panel">
      {children}
    </div>
  );
}

export function App({ client }: { client: CairnClient }) {
  const [view, setView] = useState<ViewId>('ask');
  const [visited, setVisited] = useState<Set<ViewId>>(() => new Set<ViewId>(['ask']));
  const [focus, setFocus] = useState<TrackFocus | null>(null);
  const [theme, toggleTheme] = useTheme();
  // The timeline's window, and whether Ask is limited to it.
  const [timeWindow, setTimeWindow] = useState<TimeFilter | null>(null);
  const [limitAsk, setLimitAsk] = useState(false);
  // Bumped when the Admin tab imports a package: the Library (kept mounted) then reloads its sources.
  const [libraryEpoch, setLibraryEpoch] = useState(0);
  const onWindow = useCallback((w: TimeFilter | null) => setTimeWindow(w), []);

  const go = (id: ViewId): void => {
    setView(id);
    setVisited((v) => (v.has(id) ? v : new Set([...v, id])));
  };
  const showTrack = (t: TrackPlace): void => {
    setFocus({ ...t, nonce: Date.now() });
    go('map');
  };

  return (
    <ClientContext.Provider value={client}>
      <div className="app">
        <header className="topbar">
          <h1 className="topbar__name">Cairn</h1>
          <Tabs tabs={TABS} current={view} onSelect={go} />
          <span className="topbar__spacer" />
          <span className="topbar__transport" title="How this window reaches Cairn">
            {client.transport.kind === 'electron' ? 'Desktop' : 'Loopback HTTP'}
          </span>
          <button type="button" className="btn btn--small" onClick={toggleTheme} aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}>
            {theme === 'dark' ? 'Light' : 'Dark'}
          </button>
        </header>
        <main className="main">
          <Panel id="ask" current={view} visited={visited}>
            <AskView onShowTrack={showTrack} timeFilter={limitAsk ? timeWindow : null} onClearTimeFilter={() => setLimitAsk(false)} />
          </Panel>
          <Panel id="library" current={view} visited={visited}>
            <LibraryView key={libraryEpoch} />
          </Panel>
          <Panel id="map" current={view} visited={visited}>
            <MapView theme={theme} focus={focus} limitAsk={limitAsk} onLimitAsk={setLimitAsk} onWindow={onWindow} />
          </Panel>
          <Panel id="audit" current={view} visited={visited}>
            <AuditView />
          </Panel>
          <Panel id="feedback" current={view} visited={visited}>
            <FeedbackView active={view === 'feedback'} />
          </Panel>
          <Panel id="admin" current={view} visited={visited}>
            <AdminView onImported={() => setLibraryEpoch((n) => n + 1)} />
          </Panel>
        </main>
      </div>
    </ClientContext.Provider>
  );
}
