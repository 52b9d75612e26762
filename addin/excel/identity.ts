/**
 * The identity port on a real Office host: MSAL nested app authentication (NAA), where Office
 * brokers the tokens, and legacy Office single sign-on. With host.ts and the sheet adapters, the
 * only code that touches Office.js, and the only code that touches MSAL: errors leave here as
 * SignInError values, built from MSAL's and Office's codes, never from their messages.
 * Only the production bundle contains this file (see addin/taskpane/identity-loader.ts).
 */
import {
  AuthError,
  BrowserCacheLocation,
  createNestablePublicClientApplication,
  InteractionRequiredAuthError,
  LogLevel,
  PublicClientApplication,
  type IPublicClientApplication,
} from '@azure/msal-browser';
import type { MicrosoftSignInSettings } from '../config';
import type { IdentityPort, NestedAppAuth, OfficeSso } from '../taskpane/microsoft-sign-in';
import { signInError, signInErrorFromMsal, signInErrorFromOffice, SignInError, type SignInContext } from '../taskpane/sign-in-error';

function requirementSupported(name: string, version: string): boolean {
  try {
    return typeof Office !== 'undefined' && Office.context?.requirements?.isSetSupported(name, version) === true;
  } catch {
    return false; // outside Office the requirements object may be missing or throw
  }
}

function contextOf(settings: MicrosoftSignInSettings): SignInContext {
  return { clientId: settings.clientId, scope: settings.scopes.join(' '), addinHost: window.location.host };
}

function fromMsal(error: unknown, context: SignInContext): SignInError {
  if (error instanceof SignInError) return error;
  if (error instanceof AuthError) {
    return signInErrorFromMsal(
      {
        errorCode: error.errorCode,
        subError: error.subError,
        errorMessage: error.errorMessage,
        interactionRequired: error instanceof InteractionRequiredAuthError,
      },
      context,
      error,
    );
  }
  return signInError('unknown', context, undefined, error);
}

function fromOffice(error: unknown, context: SignInContext): SignInError {
  const code = typeof error === 'object' && error !== null ? Number((error as { code?: unknown }).code) : NaN;
  return signInErrorFromOffice(Number.isInteger(code) ? code : undefined, context, error);
}

async function createNested(settings: MicrosoftSignInSettings): Promise<IPublicClientApplication | null> {
  let brokered = false;
  const pca = await createNestablePublicClientApplication(
    {
      auth: { clientId: settings.clientId, authority: settings.authority },
      // Memory only: signing out drops the instance, and with it every token.
      cache: { cacheLocation: BrowserCacheLocation.MemoryStorage },
      system: {
        loggerOptions: {
          logLevel: LogLevel.Warning,
          piiLoggingEnabled: false,
          loggerCallback: (level, message) => (level === LogLevel.Error ? console.error(message) : console.warn(message)),
        },
      },
    },
    undefined,
    // Called only when the host's NAA bridge answered; otherwise MSAL would quietly hand back a
    // browser (popup and redirect) client, which is not how this add-in signs in.
    (configuration, controller) => {
      brokered = true;
      return new PublicClientApplication(configuration, controller);
    },
  );
  return brokered ? pca : null;
}

export function officeIdentity(): IdentityPort {
  return {
    async nestedAppAuth(settings): Promise<NestedAppAuth | null> {
      if (!requirementSupported('NestedAppAuth', '1.1')) return null;
      const context = contextOf(settings);
      let pca: IPublicClientApplication | null;
      try {
        pca = await createNested(settings);
      } catch (error) {
        throw fromMsal(error, context);
      }
      if (!pca) return null;
      const client = pca;
      return {
        acquireTokenSilent: (scopes) =>
          client.acquireTokenSilent({ scopes: [...scopes] }).then(
            (result) => result.accessToken,
            (error: unknown) => Promise.reject(fromMsal(error, context)),
          ),
        acquireTokenPopup: (scopes) =>
          client.acquireTokenPopup({ scopes: [...scopes] }).then(
            (result) => result.accessToken,
            (error: unknown) => Promise.reject(fromMsal(error, context)),
          ),
      };
    },

    officeSso(settings): OfficeSso | null {
      if (!requirementSupported('IdentityAPI', '1.3')) return null;
      const context = contextOf(settings);
      return {
        getAccessToken: ({ allowPrompt }) =>
          Office.auth
            .getAccessToken({ allowSignInPrompt: allowPrompt, allowConsentPrompt: allowPrompt, forMSGraphAccess: false })
            .catch((error: unknown) => Promise.reject(fromOffice(error, context))),
      };
    },
  };
}
