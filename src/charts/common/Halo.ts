import { BG } from '../colors';

/** Props that outline text in the background colour so labels stay readable over bars and lines. */
export const HALO = { stroke: BG, strokeWidth: 3, strokeLinejoin: 'round', paintOrder: 'stroke' } as const;
