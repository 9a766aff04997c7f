/**
 * The changed files detection found. A list keeps their paths in one array
 * and gives a file's status on demand, rather than holding one object per
 * file: a large diff (18,000 files) is parsed and matched on a cold process,
 * where building and collecting that many objects cost more than the rest of
 * the parse. Objects are built only for what needs a status per file
 * (change-type rules, `every`, the gitignore reading, `log-files`).
 */
import { isAscending, isPlainPath } from './glob.js';

export interface ChangedFile {
  filename: string;
  /** One of CHANGE_STATUSES, or whatever status the API reported. */
  status: string;
}

export class ChangeList {
  private files: readonly ChangedFile[] | undefined;
  private statuses: Map<string, string> | undefined;
  private plain: boolean | undefined;
  private sorted: boolean | undefined;

  /**
   * `statusAt(i)`: the status of `paths[i]`. `known`: what the source already
   * knows of the paths (see plainPaths and ascending), so it is not checked again.
   */
  constructor(
    readonly paths: readonly string[],
    private readonly statusAt: (index: number) => string,
    known: { plainPaths?: boolean; ascending?: boolean } = {},
  ) {
    this.plain = known.plainPaths;
    this.sorted = known.ascending;
  }

  static of(files: readonly ChangedFile[]): ChangeList {
    const list = new ChangeList(
      files.map((file) => file.filename),
      (index) => (files[index] as ChangedFile).status,
    );
    list.files = files;
    return list;
  }

  static readonly EMPTY = ChangeList.of([]);

  get length(): number {
    return this.paths.length;
  }

  /** Whether every path is one the string tests are exact for (glob.ts isPlainPath). */
  get plainPaths(): boolean {
    this.plain ??= this.paths.every(isPlainPath);
    return this.plain;
  }

  /** Whether the paths are in ascending (JavaScript string) order, each once (glob.ts isAscending). */
  get ascending(): boolean {
    this.sorted ??= isAscending(this.paths);
    return this.sorted;
  }

  /** One object per file, built on first use. */
  asFiles(): readonly ChangedFile[] {
    this.files ??= this.paths.map((filename, index) => ({ filename, status: this.statusAt(index) }));
    return this.files;
  }

  /** The status of a path of the list. */
  statusOf(path: string): string | undefined {
    this.statuses ??= new Map(this.paths.map((filename, index) => [filename, this.statusAt(index)]));
    return this.statuses.get(path);
  }

  /** The list followed by `other` (a working tree: tracked changes, then untracked files). */
  concat(other: ChangeList): ChangeList {
    const split = this.length;
    return new ChangeList([...this.paths, ...other.paths], (index) => (index < split ? this.statusAt(index) : other.statusAt(index - split)));
  }
}
