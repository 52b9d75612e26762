/**
 * X-Ray tracing (Powertools Tracer) and the Lambda context on every log line, around a handler.
 * Lambda's active tracing opens the invocation's segment; this adds a "## handler" subsegment
 * annotated with cold start and service, under which the AWS SDK calls of clients passed through
 * tracer.captureAWSv3Client appear. Responses are never recorded (POWERTOOLS_TRACER_CAPTURE_RESPONSE
 * is false in the function settings): they hold names and amounts. Outside Lambda the tracer is off.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { Tracer } from '@aws-lambda-powertools/tracer';

export function createTracer(serviceName: string): Tracer {
  // captureHTTPsRequests off: the SDK clients are traced directly, and no other HTTP call is made.
  return new Tracer({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? serviceName, captureHTTPsRequests: false });
}

type LambdaContext = Parameters<Logger['addContext']>[0];

export function traced<E, C, R>(
  tracer: Tracer,
  logger: Logger,
  handler: (event: E, context: C) => Promise<R>,
): (event: E, context: C) => Promise<R> {
  return async (event, context) => {
    if (context) logger.addContext(context as LambdaContext);
    const segment = tracer.getSegment();
    const subsegment = segment?.addNewSubsegment('## handler');
    if (subsegment) tracer.setSegment(subsegment);
    tracer.annotateColdStart();
    tracer.addServiceNameAnnotation();
    try {
      return await handler(event, context);
    } catch (error) {
      if (error instanceof Error) tracer.addErrorAsMetadata(error);
      throw error;
    } finally {
      subsegment?.close();
      if (segment) tracer.setSegment(segment);
    }
  };
}
