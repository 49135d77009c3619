import type { DomainDataset, PluginRegistry } from '@metadg/core';
import type { AppRunConfig, Budget, CompareConfig, SweepSettings } from '../config/app-config.js';
import { contenderLabels, describeJob, heldOutDomains, jobConfig, studySeeds, type JobDescription } from '../study/job-plan.js';
import { drawTrial } from './draw-hparams.js';

/** The jobs of a sweep: the runs that are reported, and the extra runs leave-one-domain-out selection trains. */
export interface SweepPlan {
  /** Contender × trial × held-out domain × seed. */
  readonly main: JobDescription[];
  /** Per main job and other domain v: the same run also holding out v, scored on v (leave-one-domain-out selection only). */
  readonly validation: JobDescription[];
}

/**
 * Plans a random search: every contender × trial (0 … trials − 1) ×
 * held-out domain × seed, each trial's hyper-parameters drawn by
 * {@link drawTrial}, at the study's common budget. With leave-one-domain-out
 * selection every run reports its last checkpoint (the selection is of
 * hyper-parameters) and each is shadowed by one validation run per other
 * domain — n − 1 extra runs per job.
 */
export function planSweep(
  config: CompareConfig,
  dataset: DomainDataset,
  studyDir: string,
  searchFrom: readonly string[],
  budget: Budget,
  settings: SweepSettings,
  registry: PluginRegistry,
): SweepPlan {
  const domains = heldOutDomains(config, dataset);
  const labels = contenderLabels(config);
  const lodo = settings.selection === 'leave-one-domain-out';
  const main: JobDescription[] = [];
  const validation: JobDescription[] = [];
  config.compare.algorithms.forEach((contender, a) => {
    const label = labels[a] as string;
    for (let trial = 0; trial < settings.trials; trial++) {
      for (const domain of domains) {
        for (const seed of studySeeds(config)) {
          const base = jobConfig(config, contender, [domain], seed, budget);
          const cfg = drawTrial(lodo ? withoutCheckpointSelection(base) : base, trial, settings.components, registry);
          main.push(describeJob(label, domain, seed, cfg, config.compare.checkpointEvery, searchFrom, studyDir, { trial }));
          if (!lodo) continue;
          for (const v of dataset.domains.filter((d) => d !== domain)) {
            const shadow: AppRunConfig = {
              ...cfg,
              split: { ...cfg.split, heldOut: [domain, v] },
              protocol: { ...cfg.protocol, convergence: { ...cfg.protocol.convergence, enabled: false } },
            };
            validation.push(
              describeJob(label, domain, seed, shadow, config.compare.checkpointEvery, searchFrom, studyDir, { trial, validationDomain: v }),
            );
          }
        }
      }
    }
  });
  return { main, validation };
}

function withoutCheckpointSelection(config: AppRunConfig): AppRunConfig {
  return { ...config, protocol: { ...config.protocol, selection: { ...config.protocol.selection, method: 'last' } } };
}
