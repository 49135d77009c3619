/** The checks, in the order they run and appear as table columns. */
export const CHECKS = ['pack', 'exports', 'load', 'publint', 'attw', 'deps', 'readme', 'meta'] as const;

/** One of {@link CHECKS}. */
export type CheckName = (typeof CHECKS)[number];

/** `error` fails the release; `warning` is reported only (fails with `--strict`). */
export type Severity = 'error' | 'warning';

/** One finding: which check, how bad, and a one-line message naming the file or field. */
export interface Problem {
  readonly check: CheckName;
  readonly severity: Severity;
  readonly message: string;
}

/** The subset of package.json the checks read. */
export interface PackageManifest {
  readonly name: string;
  readonly version: string;
  readonly private?: boolean;
  readonly description?: string;
  readonly license?: string;
  readonly type?: string;
  readonly main?: string;
  readonly module?: string;
  readonly types?: string;
  readonly typings?: string;
  readonly bin?: string | Readonly<Record<string, string>>;
  readonly exports?: unknown;
  readonly files?: readonly string[];
  readonly sideEffects?: boolean | readonly string[];
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
  readonly peerDependenciesMeta?: Readonly<Record<string, { optional?: boolean }>>;
  readonly optionalDependencies?: Readonly<Record<string, string>>;
  readonly devDependencies?: Readonly<Record<string, string>>;
  readonly publishConfig?: { readonly access?: string };
  readonly repository?: unknown;
  readonly engines?: Readonly<Record<string, string>>;
  /** MetaDG-specific: reasons for hard dependencies that the singleton rule would reject. */
  readonly metadg?: { readonly hardDependencies?: Readonly<Record<string, string>> };
}

/** A package to check. */
export interface PackageUnderCheck {
  /** Absolute path of the package folder. */
  readonly dir: string;
  readonly manifest: PackageManifest;
  /** Versions of the other workspace packages (name → version), for internal ranges. */
  readonly workspaceVersions: ReadonlyMap<string, string>;
}

/** What `npm pack --dry-run --json` says the tarball holds. */
export interface PackList {
  readonly files: readonly string[];
  readonly unpackedSize: number;
}

/** Per package: every problem found, and which checks were skipped and why. */
export interface PackageReport {
  readonly name: string;
  readonly version: string;
  readonly dir: string;
  readonly problems: readonly Problem[];
  readonly skipped: Readonly<Partial<Record<CheckName, string>>>;
}
