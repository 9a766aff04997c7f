/**
 * GitHub's concurrency groups: per group one running and one pending run or job; a newer pending one
 * cancels the older pending one; `cancel-in-progress: true` cancels the running one too; with
 * `queue: max` every pending one waits its turn instead.
 */
export interface ConcurrencyClaim {
  /** Called when a newer run or job cancels this one while it runs (cancel-in-progress). */
  cancelRunning(): void;
}

export interface ConcurrencyLease {
  release(): void;
}

interface Waiter {
  claim: ConcurrencyClaim;
  admit: (lease: ConcurrencyLease | undefined) => void;
}

interface Group {
  running?: ConcurrencyClaim;
  pending: Waiter[];
}

export class ConcurrencyGroups {
  private readonly groups = new Map<string, Group>();
  /** Every group a run or job asked for, in order (what a test or the demo shows). */
  readonly history: { group: string; event: 'running' | 'pending' | 'cancelled' | 'released' }[] = [];

  /**
   * Resolves with a lease once the claim may run, or with undefined when a newer claim cancelled it
   * while it waited. `onWait` is told when it has to wait.
   */
  acquire(group: string, claim: ConcurrencyClaim, options: { cancelInProgress?: boolean; queue?: 'single' | 'max'; onWait?: () => void } = {}): Promise<ConcurrencyLease | undefined> {
    const state = this.groups.get(group) ?? { pending: [] };
    this.groups.set(group, state);
    if (!state.running) return Promise.resolve(this.admit(group, state, claim));
    if (options.cancelInProgress) {
      state.running.cancelRunning();
      this.history.push({ group, event: 'cancelled' });
    }
    if (options.queue !== 'max' || options.cancelInProgress) {
      for (const older of state.pending.splice(0)) {
        this.history.push({ group, event: 'cancelled' });
        older.admit(undefined);
      }
    }
    this.history.push({ group, event: 'pending' });
    options.onWait?.();
    return new Promise((resolve) => state.pending.push({ claim, admit: resolve }));
  }

  private admit(group: string, state: Group, claim: ConcurrencyClaim): ConcurrencyLease {
    state.running = claim;
    this.history.push({ group, event: 'running' });
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.history.push({ group, event: 'released' });
        state.running = undefined;
        const next = state.pending.shift();
        if (next) next.admit(this.admit(group, state, next.claim));
        else this.groups.delete(group);
      },
    };
  }
}
