import type { Page } from 'playwright-core';

/** A colour as the browser computes it ("rgb(1, 2, 3)" or "rgba(1, 2, 3, 0.5)") as [r, g, b, a]. */
const channels = (css: string) => {
  const parts = css.match(/[\d.]+/g)?.map(Number) ?? [];
  if (!css.startsWith('rgb') || parts.length < 3) throw new Error(`not an rgb() colour: ${css}`);
  return [parts[0], parts[1], parts[2], parts[3] ?? 1] as [number, number, number, number];
};

/** Relative luminance, as WCAG 2 defines it. */
const luminance = (css: string) => {
  const [r, g, b] = channels(css).map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};

/** WCAG 2's contrast ratio of two opaque colours: 1 (the same) to 21 (black on white). */
export const contrastRatio = (a: string, b: string) => {
  if (channels(a)[3] < 1 || channels(b)[3] < 1) throw new Error(`not opaque: ${a}, ${b}`);
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
};

/** What a focused element's ring is drawn in, and what it is drawn on. */
export interface FocusRing {
  focusVisible: boolean;
  style: string;
  width: number;
  colour: string;
  /** The first opaque background around the element: the ring stands outside it. */
  behind: string;
}

/** The few browser calls the measuring function makes (the tests compile without lib.dom). */
interface Node {
  parentElement: Node | null;
  focus(): void;
  matches(selector: string): boolean;
}
type Styles = (
  node: Node,
) => Record<'outlineStyle' | 'outlineWidth' | 'outlineColor' | 'backgroundColor', string>;

/** Focuses the element `selector` finds and measures its focus ring from computed styles. */
export const focusRing = (page: Page, selector: string): Promise<FocusRing> =>
  page.locator(selector).evaluate((element) => {
    const node = element as unknown as Node;
    const styles = (globalThis as unknown as { getComputedStyle: Styles }).getComputedStyle;
    node.focus();
    const own = styles(node);
    let behind = 'rgb(255, 255, 255)';
    for (let up = node.parentElement; up; up = up.parentElement) {
      const colour = styles(up).backgroundColor;
      if (colour !== 'transparent' && !/^rgba\(.*,\s*0\)$/.test(colour)) {
        behind = colour;
        break;
      }
    }
    return {
      focusVisible: node.matches(':focus-visible'),
      style: own.outlineStyle,
      width: Number.parseFloat(own.outlineWidth),
      colour: own.outlineColor,
      behind,
    };
  });
