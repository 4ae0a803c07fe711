/**
 * What went wrong, and what to do, when DynamoDB Local exits or fails before it answers; `output`
 * is what it printed.
 */
export const explainDynamoDbLocalExit = (
  code: number | null,
  output: string,
  where: { port: number; dataDir?: string | undefined },
): string => {
  const said = output.trim();
  if (/jdk\.compiler/.test(said)) {
    return (
      'DynamoDB Local is started through a small Java launcher (local/java/), which needs a Java ' +
      'runtime that can run source files; this one has no jdk.compiler module (a JRE-only build). ' +
      'Install a JDK 17 or newer: `sudo apt-get install -y openjdk-17-jdk-headless` ' +
      '(Debian/Ubuntu), `brew install openjdk@17` (macOS), or a JDK from https://adoptium.net.'
    );
  }
  if (/BindException|Address already in use|Failed to bind/i.test(said)) {
    return (
      `DynamoDB Local could not listen on 127.0.0.1:${where.port}: the port is in use. ` +
      'Stop what holds it (`ss -ltnp` or `lsof -i` shows it), or start again to pick another port.'
    );
  }
  if (where.dataDir) {
    const reason = said.match(/\[[^\]]*\] DB\[\d+\][^\n]*\[([^\]]+)\]/)?.[1] ?? lastLine(said);
    return (
      `DynamoDB Local cannot use the data in ${where.dataDir}: ${reason}.\n` +
      'Point --data at a directory that holds only DynamoDB Local data (or an empty one; it is ' +
      'created when missing), move the broken files away, or leave --data out to keep data in memory.'
    );
  }
  return `DynamoDB Local exited with code ${code}:\n${said}`;
};

const lastLine = (text: string) =>
  text
    .split('\n')
    .filter((line) => line.trim() && !/^\s+at /.test(line))
    .at(-1) ?? 'no output';
