/**
 * Serialises corpus-model refreshes for one data folder: at most one
 * training runs at a time, and any number of requests made while it runs
 * become a single rerun after it (that rerun reads the store as it is then,
 * so it covers every ingest that asked). Lets an interactive host return
 * from ingest once sources are searchable and train in the background.
 */
export class CorpusTrainer {
  private running: Promise<void> | null = null;
  private again = false;

  /** `refresh` is refreshCorpusModel bound to a store and folder; its failures are swallowed (search keeps the model it had). */
  constructor(private readonly refresh: () => Promise<unknown>) {}

  /** Starts a refresh now, or marks one to run after the current training. Never rejects. */
  request(): Promise<void> {
    if (this.running) {
      this.again = true;
    } else {
      this.running = this.loop();
    }
    return this.idle();
  }

  /** Resolves once no training is running or waiting (the coalesced rerun included). */
  async idle(): Promise<void> {
    // A request made while we wait starts a new run: wait for that too.
    while (this.running) await this.running;
  }

  private async loop(): Promise<void> {
    try {
      do {
        this.again = false;
        // Called from a microtask: even a refresh that throws at once finishes after `running` is set.
        // A model that fails to train leaves search as it was (full text and proximity); ingest itself succeeded.
        await Promise.resolve()
          .then(this.refresh)
          .catch(() => undefined);
      } while (this.again);
    } finally {
      this.running = null;
    }
  }
}
