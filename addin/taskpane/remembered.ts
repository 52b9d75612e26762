/** What the pane remembers between openings (this browser's localStorage): the API and the demo user. */
const API_URL_KEY = 'fundshare.apiUrl';
const USER_KEY = 'fundshare.devUser';

export const remembered = {
  apiUrl: (): string | null => window.localStorage.getItem(API_URL_KEY),
  setApiUrl: (url: string): void => window.localStorage.setItem(API_URL_KEY, url),
  devUser: (): string | null => window.localStorage.getItem(USER_KEY),
  setDevUser: (sub: string): void => window.localStorage.setItem(USER_KEY, sub),
};
