/** What a request carries through the app's middleware: its id and, once verified, its actor. */
import type { Actor } from '../../domain';
import type { UseCaseDeps } from '../use-cases/deps';

export interface AppVariables {
  requestId: string;
  actor: Actor;
  deps: UseCaseDeps;
}

export interface AppEnv {
  Variables: AppVariables;
  /** On Lambda, hono/aws-lambda puts the API Gateway event here. */
  Bindings: { event?: unknown };
}
