/**
 * Only a production add-in build made for a real https address is ever uploaded: a build left
 * with the placeholder base URL, or made for localhost, would publish a manifest that sends
 * Excel to the wrong place.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkAddinBuild } from '../../infra/addin-build';
import { DEPLOYED_ADDIN_BASE_URL, writeProductionBuild } from './fundshare-fixture';

const made: string[] = [];
function build(baseUrl: string): string {
  const dir = writeProductionBuild(baseUrl);
  made.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

describe('checkAddinBuild', () => {
  it('accepts a build whose manifest points at the deployed https address', () => {
    const dir = build(DEPLOYED_ADDIN_BASE_URL);
    expect(checkAddinBuild(dir)).toEqual({ kind: 'ready', dir, baseUrl: DEPLOYED_ADDIN_BASE_URL });
  });

  it('reports a missing build as absent', () => {
    expect(checkAddinBuild(path.join(build(DEPLOYED_ADDIN_BASE_URL), 'nowhere'))).toMatchObject({ kind: 'absent' });
  });

  it.each([
    ['the build placeholder', 'https://addin.fundshare.example', 'FUNDSHARE_ADDIN_BASE_URL'],
    ['a dev build', 'https://localhost:3000', 'FUNDSHARE_ADDIN_BASE_URL'],
    ['loopback', 'https://127.0.0.1:3000', 'FUNDSHARE_ADDIN_BASE_URL'],
    ['plain http', 'http://d111111abcdef8.cloudfront.net', 'not https'],
  ])('refuses %s', (_what, baseUrl, reason) => {
    const result = checkAddinBuild(build(baseUrl));
    expect(result.kind).toBe('unusable');
    expect(result.kind !== 'ready' && result.reason).toContain(reason);
  });

  it('refuses a build for another origin when the add-in origin is known (custom domain)', () => {
    const result = checkAddinBuild(build(DEPLOYED_ADDIN_BASE_URL), 'https://fundshare.westmercia-pcc.gov.uk');
    expect(result).toMatchObject({ kind: 'unusable', reason: expect.stringContaining('https://fundshare.westmercia-pcc.gov.uk') });
    const matching = build('https://fundshare.westmercia-pcc.gov.uk');
    expect(checkAddinBuild(matching, 'https://fundshare.westmercia-pcc.gov.uk').kind).toBe('ready');
  });

  it('refuses a build missing the files the manifest names', () => {
    const dir = build(DEPLOYED_ADDIN_BASE_URL);
    fs.rmSync(path.join(dir, 'functions.json'));
    expect(checkAddinBuild(dir)).toMatchObject({ kind: 'unusable', reason: 'the build has no functions.json' });
  });
});
