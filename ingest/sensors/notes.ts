/**
 * Warnings without floods: a bad line in a million-line log is counted, not
 * repeated. `count(key, describe)` aggregates; `warn(text)` keeps one copy
 * of each distinct message.
 */
export class Notes {
  private readonly once = new Set<string>();
  private readonly order: string[] = [];
  private readonly counts = new Map<string, { n: number; describe: (n: number) => string; example?: string }>();

  warn(text: string): void {
    if (this.once.has(text)) return;
    this.once.add(text);
    this.order.push(text);
  }

  /** Adds one to `key`; `describe(n)` words the final total. The first example (e.g. the offending line) is kept. */
  count(key: string, describe: (n: number) => string, example?: string): void {
    const c = this.counts.get(key);
    if (c) {
      c.n++;
      return;
    }
    this.counts.set(key, { n: 1, describe, example: example === undefined ? undefined : clip(example) });
    this.order.push(`\u0000${key}`);
  }

  total(key: string): number {
    return this.counts.get(key)?.n ?? 0;
  }

  list(): string[] {
    return this.order.map((entry) => {
      if (!entry.startsWith('\u0000')) return entry;
      const c = this.counts.get(entry.slice(1))!;
      const text = c.describe(c.n);
      return c.example === undefined ? text : `${text} (first: ${c.example})`;
    });
  }
}

function clip(s: string): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > 100 ? `${one.slice(0, 97)}...` : one;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
