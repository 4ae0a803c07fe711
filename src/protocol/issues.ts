/** The first of a failed valibot parse's issues, as the message an error frame gives the client. */
export const firstIssue = (issues: readonly { message: string }[]) =>
  issues[0]?.message ?? 'invalid input';
