/**
 * Collects the keys that resolvers of one query level ask for and fetches them together: a load
 * made while a level resolves waits until the current promise jobs have run (as DataLoader does),
 * so every sibling's key is in the batch, and the level costs one statement whatever its width.
 */
export class Batch<K, V> {
  private keys: K[] = [];
  private waiting: { resolve: (value: V) => void; reject: (err: unknown) => void }[] = [];

  constructor(private readonly fetchAll: (keys: K[]) => Promise<V[]>) {}

  load(key: K): Promise<V> {
    return new Promise<V>((resolve, reject) => {
      if (this.keys.length === 0) void Promise.resolve().then(() => process.nextTick(() => this.dispatch()));
      this.keys.push(key);
      this.waiting.push({ resolve, reject });
    });
  }

  private dispatch() {
    const { keys, waiting } = this;
    this.keys = [];
    this.waiting = [];
    this.fetchAll(keys).then(
      (values) => waiting.forEach((w, i) => w.resolve(values[i]!)),
      (err: unknown) => waiting.forEach((w) => w.reject(err)),
    );
  }
}
