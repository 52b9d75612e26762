/**
 * The one way this app makes an S3 bucket: no public access, TLS only, versioned, encrypted,
 * retained when its stack is deleted, and its server access logs sent to a log bucket.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface SecureBucketProps {
  /** Where S3 server access logs go, under `<logPrefix>/`; omitted only for a log bucket itself. */
  accessLogs?: { bucket: s3.IBucket; prefix: string };
  /** SSE-S3 unless told otherwise (CloudFront origin access control and S3 log delivery need it). */
  encryption?: s3.BucketEncryption;
  /** How long replaced or deleted object versions are kept before S3 removes them. */
  noncurrentVersionExpiration: Duration;
  /** Log buckets that receive CloudFront standard logs need ACLs, which CloudFront still writes with. */
  objectOwnership?: s3.ObjectOwnership;
  lifecycleRules?: s3.LifecycleRule[];
}

export function secureBucket(scope: Construct, id: string, props: SecureBucketProps): s3.Bucket {
  const encryption = props.encryption ?? s3.BucketEncryption.S3_MANAGED;
  return new s3.Bucket(scope, id, {
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    versioned: true,
    encryption,
    bucketKeyEnabled: encryption === s3.BucketEncryption.KMS_MANAGED || encryption === s3.BucketEncryption.KMS ? true : undefined,
    objectOwnership: props.objectOwnership ?? s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    removalPolicy: RemovalPolicy.RETAIN,
    ...(props.accessLogs ? { serverAccessLogsBucket: props.accessLogs.bucket, serverAccessLogsPrefix: `${props.accessLogs.prefix}/` } : {}),
    lifecycleRules: [
      {
        id: 'expire-old-versions-and-uploads',
        noncurrentVersionExpiration: props.noncurrentVersionExpiration,
        abortIncompleteMultipartUploadAfter: Duration.days(7),
      },
      ...(props.lifecycleRules ?? []),
    ],
  });
}
