/** `https://a.example, https://b.example` as a list of origins, blanks dropped. */
export const originList = (text: string | undefined) =>
  (text ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
