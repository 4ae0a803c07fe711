import { RemovalPolicy } from 'aws-cdk-lib';
import {
  Distribution,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, type IBucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct } from 'constructs';

/** Where the page comes from and which WebSocket URL it should use. */
export interface ClientSiteProps {
  /** The directory holding `client.html`. */
  publicDir: string;
  /** Written to `config.json` beside `client.html`, which reads it on load. */
  webSocketUrl: string;
}

/**
 * `client.html` on a private bucket behind CloudFront (origin access control, HTTPS only), with
 * a generated `config.json` that points the page at this stage's WebSocket URL.
 */
export const createClientSite = (scope: Construct, props: ClientSiteProps) => {
  // Nothing here is data: every object is rebuilt from the repository on each deploy.
  // `Bucket` types `isWebsite` as `boolean | undefined` where `IBucket` has `isWebsite?: boolean`;
  // under exactOptionalPropertyTypes that takes an explicit (harmless) assertion.
  const bucket: IBucket = new Bucket(scope, 'SiteBucket', {
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    encryption: BucketEncryption.S3_MANAGED,
    removalPolicy: RemovalPolicy.DESTROY,
    autoDeleteObjects: true,
  }) as IBucket;
  const distribution = new Distribution(scope, 'Distribution', {
    comment: 'serverless chat client',
    defaultRootObject: 'client.html',
    httpVersion: HttpVersion.HTTP2_AND_3,
    // North America and Europe edges only: the cheapest class is plenty for one small page.
    priceClass: PriceClass.PRICE_CLASS_100,
    defaultBehavior: {
      origin: S3BucketOrigin.withOriginAccessControl(bucket),
      viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      responseHeadersPolicy: ResponseHeadersPolicy.SECURITY_HEADERS,
    },
  });
  new BucketDeployment(scope, 'SiteContent', {
    destinationBucket: bucket,
    sources: [
      Source.asset(props.publicDir),
      Source.jsonData('config.json', { webSocketUrl: props.webSocketUrl }),
    ],
    // Browsers revalidate, and the deploy invalidates CloudFront, so a new stage URL shows at once.
    cacheControl: [CacheControl.fromString('no-cache')],
    distribution,
    distributionPaths: ['/*'],
  });
  return { bucket, distribution };
};
