import { useEffect, useState } from 'react';

/**
 * The dashboard's pages, addressed by the URL hash (`#/requests?service=world`) so that a reload, a
 * bookmark or a link from one view to another ("show requests here") lands on the same view.
 */
export const PAGES = [
  { id: 'topology', label: 'Topology' },
  { id: 'requests', label: 'Requests' },
  { id: 'diffs', label: 'Diffs' },
  { id: 'services', label: 'Services' },
  { id: 'settings', label: 'Settings' },
] as const;

export type PageId = (typeof PAGES)[number]['id'];

export interface Location {
  page: PageId;
  params: URLSearchParams;
}

export function parseLocation(hash: string): Location {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  const page = PAGES.find((candidate) => candidate.id === path)?.id ?? 'topology';
  return { page, params: new URLSearchParams(query) };
}

export function hrefFor(page: PageId, params?: Record<string, string>): string {
  const query = params ? new URLSearchParams(params).toString() : '';
  return `#/${page}${query ? `?${query}` : ''}`;
}

export function useLocation(): Location {
  const [location, setLocation] = useState(() => parseLocation(window.location.hash));
  useEffect(() => {
    const onChange = () => setLocation(parseLocation(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return location;
}
