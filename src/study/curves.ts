// Engine results → the curve components' plain inputs. No estimation here: the numbers are the
// engine's, only renamed and labelled.
import type {IncidenceCurve, SurvivalCurve} from "../components/curves.js";
import type {CumulativeIncidenceResult} from "../survival/cumulativeIncidence.js";
import type {KaplanMeierFit} from "../survival/kaplanMeier.js";

/** One survival curve per stratum of a Kaplan–Meier fit. */
export function survivalCurves(fit: KaplanMeierFit, {label = "All patients"}: {label?: string} = {}): SurvivalCurve[] {
  return fit.strata.map((s) => ({
    label: s.level ?? label,
    time: s.time,
    surv: s.surv,
    lower: s.lower,
    upper: s.upper,
    nRisk: s.nRisk,
    nEvent: s.nEvent,
    nCensor: s.nCensor
  }));
}

/**
 * One incidence curve per (group, cause). The risk table of an incidence figure counts those still
 * event-free (at risk of any first event), which the engine's curves carry per group.
 */
export function incidenceCurves(
  result: CumulativeIncidenceResult,
  causeLabels: Readonly<Record<number, string>>,
  {label = "All patients", causes, anyEvent}: {label?: string; causes?: readonly number[]; anyEvent?: KaplanMeierFit} = {}
): IncidenceCurve[] {
  // The all-cause Kaplan–Meier of the same rows has the same distinct times per group: its counts are
  // the number still at risk of any first event, which is what the risk table under an incidence plot shows.
  const counts = new Map(anyEvent?.strata.map((s) => [s.level, s]) ?? []);
  return result.curves
    .filter((c) => !causes || causes.includes(c.cause))
    .map((c) => {
      const km = counts.get(c.level);
      const aligned = km && km.time.length === c.time.length && km.time.every((t, i) => t === c.time[i]);
      return {
      label: `${c.level ?? label} — ${causeLabels[c.cause] ?? `cause ${c.cause}`}`,
      group: c.level ?? label,
      cause: causeLabels[c.cause] ?? `cause ${c.cause}`,
      time: c.time,
      estimate: c.est,
      lower: c.lower,
      upper: c.upper,
      ...(aligned ? {nRisk: km.nRisk, nEvent: km.nEvent, nCensor: km.nCensor} : {})
      };
    });
}
