import { expect } from 'vitest';
import { callJson } from './http.ts';

/**
 * The sales the jobs feature's report tests start from: three in March 2026
 * (Tea 4 × 450, Coffee 1 × 900) and one a second after the month ends, which a
 * report of March must leave out.
 */
export const MARCH_SALES = [
  ['Tea', 3, 450, '2026-03-01T09:00:00Z'],
  ['Coffee', 1, 900, '2026-03-02T18:00:00Z'],
  ['Tea', 1, 450, '2026-03-31T23:59:59Z'],
  ['Cake', 9, 300, '2026-04-01T00:00:00Z'],
] as const;

/** The report period that covers March 2026. */
export const MARCH = { start: '2026-03-01', end: '2026-03-31' } as const;

/** Records MARCH_SALES through the running app's API (each must answer 201). */
export async function postMarchSales(base: string): Promise<void> {
  for (const [product, quantity, price, soldAt] of MARCH_SALES) {
    const sale = await callJson(base, 'POST', '/api/v1/sales', { product, quantity, unit_price_cents: price, sold_at: soldAt });
    expect(sale.status, JSON.stringify(sale.body)).toBe(201);
  }
}

/** Asserts a report of MARCH over MARCH_SALES: the March sales only, best sellers first. */
export function expectMarchReport(result: any): void {
  expect(result).toMatchObject({ sale_count: 3, units_sold: 5, revenue_cents: 2700 });
  expect(result.top_products).toEqual([
    { product: 'Tea', units_sold: 4, revenue_cents: 1800 },
    { product: 'Coffee', units_sold: 1, revenue_cents: 900 },
  ]);
}
