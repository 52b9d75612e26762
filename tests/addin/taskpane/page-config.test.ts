/** fundshare-config.json is parsed: good Entra ID settings are used, anything else is ignored with a warning. */
import { parsePageConfig } from '../../../addin/taskpane/page-config';

const microsoft = {
  clientId: '1111-client',
  authority: 'https://login.microsoftonline.com/tenant-1',
  scopes: ['api://addin.fund.example.org/1111-client/access_as_user'],
};

afterEach(() => jest.restoreAllMocks());

test('the API address and the Entra ID settings', () => {
  expect(parsePageConfig({ apiUrl: 'https://api.fund.example.org', microsoft })).toEqual({
    apiUrl: 'https://api.fund.example.org',
    microsoft,
  });
  expect(parsePageConfig({ apiUrl: 'http://127.0.0.1:3001' })).toEqual({ apiUrl: 'http://127.0.0.1:3001' });
});

test('settings that cannot work are ignored, not half-used', () => {
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  expect(
    parsePageConfig({ apiUrl: 'https://api.fund.example.org', microsoft: { ...microsoft, authority: 'http://login.example' } }),
  ).toEqual({
    apiUrl: 'https://api.fund.example.org',
  });
  expect(parsePageConfig({ microsoft: { ...microsoft, scopes: [] } })).toEqual({});
  expect(parsePageConfig({ microsoft: { ...microsoft, clientId: '  ' } })).toEqual({});
  expect(warn).toHaveBeenCalledTimes(3);
  expect(parsePageConfig(null)).toEqual({});
  expect(parsePageConfig({ apiUrl: 42 })).toEqual({});
});
