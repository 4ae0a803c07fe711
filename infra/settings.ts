import { RemovalPolicy } from 'aws-cdk-lib';

/** Where a deployment's settings come from: CDK context (`-c key=value`) and the environment. */
export interface SettingsSources {
  context: (key: string) => unknown;
  env: NodeJS.ProcessEnv;
}

/** What one deployment of the chat is called and what happens to its data on `cdk destroy`. */
export interface ChatSettings {
  stage: string;
  stackName: string;
  /** Set explicitly so the function can be granted invoking itself without a template cycle. */
  functionName: string;
  removalPolicy: RemovalPolicy;
}

/** Stages whose data outlives the stack unless the user says otherwise. */
const KEEP_DATA_STAGES = new Set(['prod']);
const STAGE = /^[a-z][a-z0-9-]{0,19}$/;

/**
 * Resolves the stage (`-c stage=`, else `CHAT_STAGE`, else `dev`) and the removal policy
 * (`-c removal=`, else `CHAT_REMOVAL`, else `retain` for prod and `destroy` for any other stage).
 */
export const resolveSettings = ({ context, env }: SettingsSources): ChatSettings => {
  const stage = String(context('stage') ?? env.CHAT_STAGE ?? 'dev');
  if (!STAGE.test(stage)) {
    throw new Error(
      `stage "${stage}" must be 1-20 lowercase letters, digits or "-", starting with a letter`,
    );
  }
  const removal = String(
    context('removal') ?? env.CHAT_REMOVAL ?? (KEEP_DATA_STAGES.has(stage) ? 'retain' : 'destroy'),
  );
  if (removal !== 'retain' && removal !== 'destroy') {
    throw new Error(`removal "${removal}" must be "retain" or "destroy"`);
  }
  const stackName = `ServerlessChat-${stage}`;
  return {
    stage,
    stackName,
    functionName: `${stackName}-router`,
    removalPolicy: removal === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
  };
};
