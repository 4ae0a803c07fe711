/** The trivial review function the review benchmark runs: it lets every message through. */
export const allow = async () => ({ result: 'ALLOW' });
