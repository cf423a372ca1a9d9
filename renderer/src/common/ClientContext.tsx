import { createContext, useContext } from 'react';
import type { CairnClient } from '../transport/client.js';

export const ClientContext = createContext<CairnClient | null>(null);

export function useClient(): CairnClient {
  const c = useContext(ClientContext);
  if (!c) throw new Error('useClient outside ClientContext');
  return c;
}
