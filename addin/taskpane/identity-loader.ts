/**
 * The identity port for this build. The test below is on a constant esbuild folds, so the dev
 * bundle (dev-token sign-in) contains neither MSAL nor the Office identity adapter.
 */
import type { SignInKind } from '../config';
import type { IdentityPort } from './microsoft-sign-in';

declare const __FUNDSHARE_SIGN_IN__: SignInKind | undefined;

export async function loadIdentityPort(): Promise<IdentityPort | null> {
  if (typeof __FUNDSHARE_SIGN_IN__ !== 'undefined' && __FUNDSHARE_SIGN_IN__ === 'microsoft') {
    return (await import('../excel/identity')).officeIdentity();
  }
  return null;
}
