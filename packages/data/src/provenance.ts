import type { DomainDataset } from '@metadg/core';
import type { LoaderReport } from './folder/report.js';

/** A dataset that remembers what its loader skipped (image folders and views of them). */
export interface WithLoaderReport {
  readonly loaderReport: LoaderReport;
}

/** The loader report behind `dataset` (through any views), if it came from the image-folder loader. */
export function loaderReportOf(dataset: DomainDataset): LoaderReport | undefined {
  return (dataset as Partial<WithLoaderReport>).loaderReport;
}

/** Makes `view` expose the loader report of `base`, so statistics of a view still show skipped files. */
export function forwardLoaderReport<T extends DomainDataset>(view: T, base: DomainDataset): T {
  const report = loaderReportOf(base);
  if (report) Object.defineProperty(view, 'loaderReport', { value: report, enumerable: false });
  return view;
}
