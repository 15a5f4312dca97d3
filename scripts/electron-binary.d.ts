/** Types for electron-binary.js, which plain `node` runs without a build step. */
export function electronBinary(): string | null;
export const NO_ELECTRON_REASON: string;
