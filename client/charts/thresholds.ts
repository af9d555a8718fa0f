/**
 * Dashboard thresholds (shared/panels.ts): which rule a figure has reached, to colour and
 * pulse its tile, bar or marker. "At or above" rules escalate upwards (the highest one reached
 * applies), "below" rules downwards (the lowest one the figure is under applies); when a figure
 * meets both kinds, the pulsing rule wins, then the "below" one (a shortfall is the alarm).
 */
import type { Threshold } from '../../shared/panels';

export function thresholdFor(value: number | null, thresholds: readonly Threshold[] | undefined): Threshold | null {
  if (value === null || !Number.isFinite(value) || !thresholds?.length) return null;
  let above: Threshold | null = null;
  let below: Threshold | null = null;
  for (const rule of thresholds) {
    if (rule.below === true) {
      if (value < rule.value && (below === null || rule.value < below.value)) below = rule;
    } else if (value >= rule.value && (above === null || rule.value > above.value)) above = rule;
  }
  if (above && below) return above.pulse === true && below.pulse !== true ? above : below;
  return above ?? below;
}
