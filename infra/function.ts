import { fileURLToPath } from 'node:url';
import { ArnFormat, Duration, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** Bundled ESM that still lets CommonJS dependencies `require` Node's built-ins. */
const ESM_REQUIRE_BANNER =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

/** What the function needs from the stack: its fixed name, data policy, environment and cap. */
export interface ChatFunctionProps {
  functionName: string;
  removalPolicy: RemovalPolicy;
  environment: Record<string, string>;
  /** Reserved concurrency (also its ceiling); undefined: none reserved. */
  reservedConcurrency: number | undefined;
}

/**
 * The one Lambda behind every route: `src/router/index.ts#handler`, bundled by the local
 * esbuild into a minified ESM file with a source map. It may invoke itself (replay on connect).
 */
export const createChatFunction = (scope: Construct, props: ChatFunctionProps) => {
  // No fixed name: a log group kept by an earlier `cdk destroy` must not block a redeploy.
  const logGroup = new LogGroup(scope, 'FunctionLogs', {
    retention: RetentionDays.ONE_MONTH,
    removalPolicy: props.removalPolicy,
  });
  // Its own role, without AWSLambdaBasicExecutionRole (logs:CreateLogGroup and PutLogEvents on
  // every log group): it may write to its own log group only.
  const role = new Role(scope, 'FunctionRole', {
    assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
  });
  logGroup.grantWrite(role);
  const fn = new NodejsFunction(scope, 'Function', {
    functionName: props.functionName,
    role,
    // Bounds what a flood can cost and keeps other functions in the account running.
    ...(props.reservedConcurrency === undefined
      ? {}
      : { reservedConcurrentExecutions: props.reservedConcurrency }),
    entry: `${repoRoot}src/router/index.ts`,
    handler: 'handler',
    projectRoot: repoRoot,
    depsLockFilePath: `${repoRoot}package-lock.json`,
    runtime: Runtime.NODEJS_24_X,
    architecture: Architecture.ARM_64,
    // CPU scales with memory: 1024 MB (~0.6 vCPU) keeps cold starts and a broadcast's
    // TLS and JSON work quick, and finishing sooner offsets most of the higher GB-second price.
    memorySize: 1024,
    // Under API Gateway's 29 s integration timeout, so a slow broadcast ends on our terms.
    timeout: Duration.seconds(28),
    loggingFormat: LoggingFormat.JSON,
    logGroup,
    // No `--enable-source-maps`: it reads the map on every cold start
    // (docs/benchmarks.md#cold-start); the error boundary maps a logged stack with it instead, on
    // the first error.
    environment: props.environment,
    bundling: {
      forceDockerBundling: false,
      format: OutputFormat.ESM,
      mainFields: ['module', 'main'],
      banner: ESM_REQUIRE_BANNER,
      minify: true,
      sourceMap: true,
      sourcesContent: false,
      target: 'node24',
      // Ship the SDK version the tests ran against, not whatever the runtime carries today.
      bundleAwsSDK: true,
    },
  });
  // Built from the name, not `fn.functionArn`: the role's policy must not depend on the function.
  const ownArn = Stack.of(scope).formatArn({
    service: 'lambda',
    resource: 'function',
    resourceName: props.functionName,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
  fn.addToRolePolicy(
    new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [ownArn] }),
  );
  return fn;
};
