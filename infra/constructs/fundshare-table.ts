/**
 * The production table, built from the store's key-schema data (functions/store/table-schema.ts),
 * so the keys, the index and the TTL attribute are defined in one place for dynalite and AWS.
 * It holds the authoritative ledgers and the audit trail of public money: on-demand, point-in-time
 * recovery, deletion protection, retained when its stack goes, encrypted with the AWS managed key.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { TABLE_SCHEMA, type KeyAttribute, type TableSchema } from '../../functions/store/table-schema';

function attribute(key: KeyAttribute): dynamodb.Attribute {
  return { name: key.name, type: key.type === 'S' ? dynamodb.AttributeType.STRING : dynamodb.AttributeType.NUMBER };
}

export interface FundshareTableProps {
  schema?: TableSchema;
}

export class FundshareTable extends Construct {
  readonly table: dynamodb.Table;
  readonly schema: TableSchema;

  constructor(scope: Construct, id: string, props: FundshareTableProps = {}) {
    super(scope, id);
    this.schema = props.schema ?? TABLE_SCHEMA;
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: attribute(this.schema.partitionKey),
      sortKey: attribute(this.schema.sortKey),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      // The AWS managed key (aws/dynamodb): encryption at rest with every use logged in CloudTrail,
      // at no key charge and with no key policy to get wrong.
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      timeToLiveAttribute: this.schema.timeToLiveAttribute,
    });
    for (const index of this.schema.globalSecondaryIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: attribute(index.partitionKey),
        sortKey: attribute(index.sortKey),
        projectionType: dynamodb.ProjectionType[index.projection],
      });
    }
  }
}
