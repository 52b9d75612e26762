/**
 * Lambda entry for the HTTP API (API Gateway HTTP API, payload v2). Identity comes from the
 * JWT authorizer's claims. This file must never import local/: the dev token issuer stays out
 * of every Lambda bundle.
 */
import { handle } from 'hono/aws-lambda';
import { apiGatewayAuthenticator } from './auth/authenticators';
import { createApp } from './http/app';
import { createLogger } from './logger';
import { createDocumentClient, createDynamoClient } from './store/client';
import { DynamoFundStore } from './store/dynamo-store';
import { createTracer, traced } from './tracing';
import { defaultDeps } from './use-cases/deps';

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

const logger = createLogger('fundshare-api');
const tracer = createTracer('fundshare-api');
const store = new DynamoFundStore(createDocumentClient(tracer.captureAWSv3Client(createDynamoClient())), requiredEnv('FUNDSHARE_TABLE'));
const app = createApp({
  deps: defaultDeps(store),
  authenticate: apiGatewayAuthenticator(),
  logger,
  allowedOrigins: (process.env.FUNDSHARE_ALLOWED_ORIGINS ?? '').split(',').filter((o) => o.length > 0),
});

export const handler = traced(tracer, logger, handle(app));
