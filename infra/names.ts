/** The chat API's stack for a stage: `ServerlessChat-dev`; every other name derives from it. */
export const chatStackName = (stage: string) => `ServerlessChat-${stage}`;
