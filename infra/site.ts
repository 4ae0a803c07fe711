import { readFileSync } from 'node:fs';
import { Duration, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  CachePolicy,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  S3OriginAccessControl,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, type IBucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct } from 'constructs';

/** Where the page comes from and which WebSocket URL it should use. */
export interface ClientSiteProps {
  /** The page file (the repository's `client.html`); deployed alone, with `config.json`. */
  clientPage: string;
  /** Written to `config.json` beside `client.html`, which reads it on load. */
  webSocketUrl: string;
}

/** `wss://<api id>.execute-api.<region>.amazonaws.com`: the stage URL without its path. */
const socketOrigin = (webSocketUrl: string) => `wss://${Fn.select(2, Fn.split('/', webSocketUrl))}`;

/** Where the deployed page may open connections: its own origin (config.json) and its API. */
export const deployedConnectSrc = (webSocketUrl: string) =>
  `connect-src 'self' ${socketOrigin(webSocketUrl)}`;

/**
 * `client.html` as deployed: its meta CSP allows sockets to this stage's API only (the file in
 * the repository allows the local emulator's: its own host and 127.0.0.1/localhost). A browser
 * enforces the meta and the header policy both, so each must allow the API.
 */
const deployedPage = (clientPage: string, webSocketUrl: string) => {
  const html = readFileSync(clientPage, 'utf8');
  const local = /connect-src [^;"]*/;
  if (!local.test(html)) throw new Error(`${clientPage} has no CSP connect-src`);
  return html.replace(local, deployedConnectSrc(webSocketUrl));
};

/**
 * A name for a CloudFront resource, whose names are unique per account across every Region
 * (origin access controls, response headers policies): the stack's name, its Region and what it
 * is, so the same stage in a second Region, or a second stage, never collides. At most 64
 * characters (an origin access control's limit): stack names here are at most 40, Regions 14.
 */
const accountUniqueName = (scope: Construct, what: string) => {
  const { stackName, region } = Stack.of(scope);
  return `${stackName}-${region}-${what}`;
};

/**
 * The page's response headers: the usual security headers, and a CSP whose `connect-src` is
 * exactly this stage's API (a link cannot point the page elsewhere, whatever its script did)
 * and that only this site may frame. Scripts and styles stay governed by the page's meta CSP,
 * which carries their hashes.
 */
const headersPolicy = (scope: Construct, webSocketUrl: string) =>
  new ResponseHeadersPolicy(scope, 'SiteHeaders', {
    responseHeadersPolicyName: accountUniqueName(scope, 'headers'),
    comment: 'serverless chat client: security headers and CSP',
    securityHeadersBehavior: {
      contentSecurityPolicy: {
        contentSecurityPolicy: [
          deployedConnectSrc(webSocketUrl),
          "frame-ancestors 'self'",
          "base-uri 'none'",
          "form-action 'none'",
          "object-src 'none'",
        ].join('; '),
        override: true,
      },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: HeadersFrameOption.SAMEORIGIN, override: true },
      referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
      strictTransportSecurity: { accessControlMaxAge: Duration.days(365), override: true },
    },
  });

/**
 * `client.html` on a private bucket behind CloudFront (origin access control, HTTPS only), with
 * a generated `config.json` that points the page at this stage's WebSocket URL.
 */
export const createClientSite = (scope: Construct, props: ClientSiteProps) => {
  // Nothing here is data: every object is rebuilt from the repository on each deploy, and the
  // deployment removes them when the stack is destroyed (no auto-delete provider: one function,
  // and one log group left behind, fewer). `Bucket` types `isWebsite` as `boolean | undefined`
  // where `IBucket` has `isWebsite?: boolean`; under exactOptionalPropertyTypes that takes an
  // explicit (harmless) assertion.
  const bucket: IBucket = new Bucket(scope, 'SiteBucket', {
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    encryption: BucketEncryption.S3_MANAGED,
    removalPolicy: RemovalPolicy.DESTROY,
  }) as IBucket;
  const originAccessControl = new S3OriginAccessControl(scope, 'SiteOriginAccess', {
    originAccessControlName: accountUniqueName(scope, 'oac'),
    description: 'serverless chat client: CloudFront reads the site bucket',
  });
  const distribution = new Distribution(scope, 'Distribution', {
    comment: 'serverless chat client',
    defaultRootObject: 'client.html',
    httpVersion: HttpVersion.HTTP2_AND_3,
    // North America and Europe edges only: the cheapest class is plenty for one small page.
    priceClass: PriceClass.PRICE_CLASS_100,
    defaultBehavior: {
      origin: S3BucketOrigin.withOriginAccessControl(bucket, { originAccessControl }),
      viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      // Minimum TTL 1 s: the edges keep a `no-cache` file for one second, so a redeploy's new
      // `config.json` shows within a second without an invalidation.
      cachePolicy: CachePolicy.CACHING_OPTIMIZED,
      responseHeadersPolicy: headersPolicy(scope, props.webSocketUrl),
    },
  });
  new BucketDeployment(scope, 'SiteContent', {
    destinationBucket: bucket,
    sources: [
      Source.data('client.html', deployedPage(props.clientPage, props.webSocketUrl)),
      Source.jsonData('config.json', { webSocketUrl: props.webSocketUrl }),
    ],
    // Browsers revalidate and the edges keep them 1 s, so a new stage URL shows at once. No
    // invalidation: waiting for one is a known cause of failed deploys, and it would buy nothing.
    cacheControl: [CacheControl.fromString('no-cache')],
    // The files go when the stack does (the bucket must be empty to be deleted).
    retainOnDelete: false,
    // Its own log group, deleted with the stack (CDK's default one is kept for two years).
    logGroup: new LogGroup(scope, 'SiteContentLogs', {
      retention: RetentionDays.ONE_WEEK,
      removalPolicy: RemovalPolicy.DESTROY,
    }),
  });
  return { bucket, distribution };
};
