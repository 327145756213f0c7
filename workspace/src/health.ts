// A product's live health, from its latest transactions: error rate and p95 latency.
import type { TransactionSummary } from '@insurratex/client';

export type Health = { rated: number; errorRate: number | null; p95: number | null };

export function healthOf(items: TransactionSummary[]): Health {
  const live = items.filter((t) => t.mode !== 'simulation' && t.status !== 'running');
  const failed = live.filter((t) => t.status !== 'completed').length;
  const durations = live
    .map((t) => t.durationMs)
    .filter((d): d is number => typeof d === 'number')
    .sort((a, b) => a - b);
  const p95 = durations.length ? durations[Math.min(durations.length - 1, Math.ceil(durations.length * 0.95) - 1)] : null;
  return { rated: live.length, errorRate: live.length ? (100 * failed) / live.length : null, p95 };
}
