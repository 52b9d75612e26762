/** Declarations of interest in the single table, under their financial year. */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Declaration } from '../../../domain';
import { keys } from '../keys';
import type { DeclarationRepository } from '../ports/declaration-repository';
import type { TableAccess } from '../table-access';
import { strip } from './items';

export class DynamoDeclarationRepository implements DeclarationRepository {
  constructor(private readonly table: TableAccess) {}

  async recordDeclaration(declaration: Declaration): Promise<void> {
    await this.table.conditional(
      new PutCommand({
        TableName: this.table.tableName,
        Item: { ...declaration, ...keys.declaration(declaration.fy, declaration.id), kind: 'declaration' },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async declarations(fy: string): Promise<Declaration[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.budget(fy).pk, ':prefix': keys.declarationPrefix },
      ConsistentRead: true,
    });
    return items
      .map((item) => strip(item, ['pk', 'sk', 'kind']) as Declaration)
      .sort((a, b) => a.declaredAt.localeCompare(b.declaredAt) || a.id.localeCompare(b.id));
  }
}
