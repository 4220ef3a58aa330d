export function median(values: readonly number[]): number;
export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[]): string;
export function formatRatio(ratio: number): string;
export function formatMs(ms: number): string;
export function verdict(value: number, budget: number): string;
export function mergeSection(document: string, id: string, body: string): string;
