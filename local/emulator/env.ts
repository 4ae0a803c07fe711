/**
 * Sets what Lambda and the stage would provide on AWS, pointed at this emulator: the callback
 * URL, the Lambda endpoint for self-invokes, the function name, a Region and dummy credentials
 * (the SDK signs every request; nothing here checks the signature), then the caller's extras.
 */
export const setHandlerEnv = (
  httpUrl: string,
  functionName: string,
  extra: Record<string, string>,
) => {
  const env = process.env;
  env.CALLBACK_URL = httpUrl;
  env.AWS_ENDPOINT_URL_LAMBDA = httpUrl;
  env.AWS_LAMBDA_FUNCTION_NAME = functionName;
  env.AWS_REGION ??= 'us-east-1';
  env.AWS_ACCESS_KEY_ID ??= 'local';
  env.AWS_SECRET_ACCESS_KEY ??= 'local';
  Object.assign(env, extra);
};
