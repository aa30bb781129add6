/** The navigation: only pages that work are listed. */
export const navItems = [
  { id: 'home', path: '/', label: 'nav.home', icon: '⌂' },
  { id: 'numbers', path: '/numeros', label: 'nav.numbers', icon: '☏' },
  { id: 'contacts', path: '/contactos', label: 'nav.contacts', icon: '☰' },
  { id: 'segments', path: '/segmentos', label: 'nav.segments', icon: '◎' },
  { id: 'messages', path: '/mensajes', label: 'nav.messages', icon: '✎' },
  { id: 'campaigns', path: '/campanas', label: 'nav.campaigns', icon: '➤' },
  { id: 'inbox', path: '/respuestas', label: 'nav.inbox', icon: '✉' },
  { id: 'api', path: '/api', label: 'nav.api', icon: '⇄' },
  { id: 'settings', path: '/ajustes', label: 'nav.settings', icon: '⚙' },
] as const;
