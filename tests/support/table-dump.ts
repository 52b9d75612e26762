/** A full, ordered dump of the table, to prove a request changed nothing at all. */
import { DynamoDBClient, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import type { LocalStack } from '../../local/stack';

export async function dumpTable(stack: LocalStack): Promise<string> {
  const client = new DynamoDBClient({
    endpoint: stack.dynamoEndpoint,
    region: 'eu-west-2',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    const items: Record<string, AttributeValue>[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await client.send(new ScanCommand({ TableName: stack.tableName, ExclusiveStartKey: start, ConsistentRead: true }));
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    const key = (item: Record<string, AttributeValue>) => `${item.pk?.S}\u0000${item.sk?.S}`;
    return JSON.stringify(items.sort((a, b) => key(a).localeCompare(key(b))));
  } finally {
    client.destroy();
  }
}
