/**
 * Stands in for `@aws-sdk/credential-provider-node` inside the Lambda bundles (BUNDLING's esbuild
 * alias in infra/constructs/fundshare-function.ts); never imported directly.
 *
 * Why: the Lambda runtime hands a function its role's credentials as environment variables
 * (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), and the SDK's default chain
 * takes those first anyway. The rest of that chain (SSO, INI profiles, credential_process, web
 * identity via STS, ECS and EC2 metadata) can never run there, yet with three nested STS/SSO
 * clients it is about 110 KB of every bundle, parsed at each cold start. Tests and `npm start`
 * run from node_modules and keep the full chain.
 *
 * The client's runtime config imports only `defaultProvider`; an SDK update that imports more
 * from the package fails the bundle build loudly rather than running without it.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

type FromEnvInit = Parameters<typeof fromEnv>[0];

export const defaultProvider = (init: FromEnvInit = {}): ReturnType<typeof fromEnv> => fromEnv(init);
