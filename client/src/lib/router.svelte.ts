/** A tiny path router: six screens do not need a library. */
export type Route =
  | { name: 'home' }
  | { name: 'create' }
  | { name: 'participant'; joinCode: string }
  | { name: 'screen'; joinCode: string }
  | { name: 'facilitate'; workshopId: string }
  | { name: 'update'; workshopId: string };

export function parseRoute(pathname: string): Route {
  const [first, second] = pathname.split('/').filter(Boolean);
  const code = second ? decodeURIComponent(second).toUpperCase().replace(/[\s-]/g, '') : '';
  if (first === 'new') return { name: 'create' };
  if (first === 'j' && code) return { name: 'participant', joinCode: code };
  if (first === 'screen' && code) return { name: 'screen', joinCode: code };
  if (first === 'facilitate' && second) return { name: 'facilitate', workshopId: second };
  if (first === 'update' && second) return { name: 'update', workshopId: second };
  return { name: 'home' };
}

class Router {
  route = $state<Route>(parseRoute(location.pathname));

  constructor() {
    addEventListener('popstate', () => (this.route = parseRoute(location.pathname)));
  }

  /** Goes to `path` (which may carry a `#key=` fragment) without reloading the page. */
  navigate(path: string): void {
    history.pushState(null, '', path);
    this.route = parseRoute(location.pathname);
  }
}

export const router = new Router();
