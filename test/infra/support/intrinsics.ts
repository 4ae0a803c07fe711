/**
 * A template value as text, with the intrinsics CDK uses for URLs evaluated (`Fn::Join`,
 * `Fn::Split`, `Fn::Select`) and anything only known at deploy time (`Ref`, `Fn::GetAtt`) left as its JSON
 * without quotes (so it can stand inside a JSON string or an HTML attribute), e.g.
 * `wss://{Ref:Api1234}.execute-api.{Ref:AWS::Region}…`.
 */
export const asText = (value: unknown): string => {
  const list = (v: unknown) => {
    const parts = evaluate(v);
    if (!Array.isArray(parts)) throw new Error(`not a list: ${JSON.stringify(v)}`);
    return parts;
  };
  function evaluate(v: unknown): unknown {
    if (typeof v === 'string' || typeof v === 'number') return v;
    if (Array.isArray(v)) return v.map(evaluate);
    const fn = v as Record<string, unknown[]>;
    if (fn['Fn::Join']) {
      const [separator, parts] = fn['Fn::Join'];
      return list(parts).map(asText).join(String(separator));
    }
    if (fn['Fn::Split']) {
      const [separator, source] = fn['Fn::Split'];
      return asText(source).split(String(separator));
    }
    if (fn['Fn::Select']) {
      const [index, parts] = fn['Fn::Select'];
      return list(parts)[Number(index)];
    }
    return JSON.stringify(v).replaceAll('"', '');
  }
  return String(evaluate(value));
};
