/**
 * Lambda entry for the scheduled sync (EventBridge Scheduler). Env: FUNDSHARE_TABLE,
 * FUNDSHARE_INTAKE_BUCKET, FUNDSHARE_EXPORT_BUCKET, POWERTOOLS_SERVICE_NAME,
 * POWERTOOLS_LOG_LEVEL, POWERTOOLS_METRICS_NAMESPACE (Fundshare). Metrics go out as EMF in the
 * log. A run that fails throws, so the scheduler retries and its DLQ and alarms see it; a run
 * that finds another holding the lease returns normally.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { S3Client } from '@aws-sdk/client-s3';
import { createLogger } from './logger';
import { createDocumentClient, createDynamoClient } from './store/client';
import { DynamoFundStore } from './store/dynamo-store';
import { DynamoSyncStore } from './store/dynamo-sync-store';
import { runSync, type SyncReport } from './sync/run-sync';
import { S3FileArea } from './sync/s3-file-area';
import { createTracer, traced } from './tracing';
import { defaultDeps } from './use-cases/deps';

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

const logger = createLogger('fundshare-sync');
const tracer = createTracer('fundshare-sync');
const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Fundshare',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'fundshare-sync',
});
const doc = createDocumentClient(tracer.captureAWSv3Client(createDynamoClient()));
const table = requiredEnv('FUNDSHARE_TABLE');
const s3 = tracer.captureAWSv3Client(new S3Client({}));
const deps = {
  fund: defaultDeps(new DynamoFundStore(doc, table)),
  sync: new DynamoSyncStore(doc, table),
  intake: new S3FileArea(s3, requiredEnv('FUNDSHARE_INTAKE_BUCKET')),
  exports: new S3FileArea(s3, requiredEnv('FUNDSHARE_EXPORT_BUCKET')),
  logger,
  metrics: { count: (name: string, value: number) => metrics.addMetric(name, MetricUnit.Count, value) },
};

export const handler = traced(tracer, logger, async (): Promise<Record<string, unknown>> => {
  let report: SyncReport;
  try {
    report = await runSync(deps);
  } catch (error) {
    logger.error('sync failed', error as Error);
    metrics.addMetric('SyncFailed', MetricUnit.Count, 1);
    throw error;
  } finally {
    metrics.publishStoredMetrics();
  }
  if (report.status === 'skipped') return { status: report.status, reason: report.reason };
  return {
    status: report.status,
    created: report.ingest.created,
    rejectedRows: report.ingest.rejectedRows,
    duplicateRows: report.ingest.duplicateRows,
    possibleCorrections: report.ingest.possibleCorrections,
    driftFound: report.driftFound,
    driftRemaining: report.driftRemaining,
  };
});
