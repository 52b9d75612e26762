/** The register of interests: declarations by financial year. */
import type { Declaration } from '../../../domain';

export interface DeclarationRepository {
  /** Add a declaration (idempotent per id: a retried request keeps the first one). */
  recordDeclaration(declaration: Declaration): Promise<void>;
  /** The year's declarations, oldest first. */
  declarations(fy: string): Promise<Declaration[]>;
}
