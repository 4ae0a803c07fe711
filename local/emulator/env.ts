/**
 * Sets what Lambda and the stage would provide on AWS, pointed at this emulator: the callback
 * URL, the Lambda endpoint for self-invokes, the function name, the review function's when it
 * runs one (`infra/` sets `REVIEW_FUNCTION` on AWS), a Region and dummy credentials (the SDK
 * signs every request; nothing here checks the signature), then the caller's extras.
 */
export const setHandlerEnv = (
  httpUrl: string,
  functions: { handler: string; review?: string | undefined },
  extra: Record<string, string>,
) => {
  const env = process.env;
  env.CALLBACK_URL = httpUrl;
  env.AWS_ENDPOINT_URL_LAMBDA = httpUrl;
  env.AWS_LAMBDA_FUNCTION_NAME = functions.handler;
  // Never one left by an earlier emulator in this process: no review function here, no review.
  if (functions.review) env.REVIEW_FUNCTION = functions.review;
  else delete env.REVIEW_FUNCTION;
  env.AWS_REGION ??= 'us-east-1';
  env.AWS_ACCESS_KEY_ID ??= 'local';
  env.AWS_SECRET_ACCESS_KEY ??= 'local';
  Object.assign(env, extra);
};
