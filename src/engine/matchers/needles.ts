/**
 * A needle index (Aho–Corasick over lower-case literals): one pass over a clause tells which of all the
 * pack's term "needles" it contains, so a term list whose needles are all absent is skipped without
 * running its regex. Built once per compiled pack; per-text results are cached by the evaluation context.
 */
export class NeedleIndex {
  private readonly ids = new Map<string, number>();
  private goto: Array<Map<number, number>> = [new Map()];
  private fail: number[] = [0];
  private out: number[][] = [[]];
  private built = false;

  /** Registers a needle (lower-case) and returns its id. */
  add(needle: string): number {
    const known = this.ids.get(needle);
    if (known !== undefined) return known;
    if (this.built) throw new Error('NeedleIndex: add after build');
    const id = this.ids.size;
    this.ids.set(needle, id);
    let state = 0;
    for (let i = 0; i < needle.length; i++) {
      const c = needle.charCodeAt(i);
      let next = (this.goto[state] as Map<number, number>).get(c);
      if (next === undefined) {
        next = this.goto.length;
        this.goto.push(new Map());
        this.fail.push(0);
        this.out.push([]);
        (this.goto[state] as Map<number, number>).set(c, next);
      }
      state = next;
    }
    (this.out[state] as number[]).push(id);
    return id;
  }

  get size(): number {
    return this.ids.size;
  }

  private build(): void {
    const queue: number[] = [];
    for (const s of (this.goto[0] as Map<number, number>).values()) {
      this.fail[s] = 0;
      queue.push(s);
    }
    for (let qi = 0; qi < queue.length; qi++) {
      const r = queue[qi] as number;
      for (const [c, s] of this.goto[r] as Map<number, number>) {
        queue.push(s);
        let f = this.fail[r] as number;
        while (f !== 0 && !(this.goto[f] as Map<number, number>).has(c)) f = this.fail[f] as number;
        const g = (this.goto[f] as Map<number, number>).get(c);
        this.fail[s] = g !== undefined && g !== s ? g : 0;
        const extra = this.out[this.fail[s] as number] as number[];
        if (extra.length) this.out[s] = [...(this.out[s] as number[]), ...extra];
      }
    }
    this.built = true;
  }

  /** Which needles occur in `lower` (a lower-case text): a byte per needle id. */
  scan(lower: string): Uint8Array {
    if (!this.built) this.build();
    const found = new Uint8Array(this.ids.size);
    let state = 0;
    for (let i = 0; i < lower.length; i++) {
      const c = lower.charCodeAt(i);
      let next = (this.goto[state] as Map<number, number>).get(c);
      while (next === undefined && state !== 0) {
        state = this.fail[state] as number;
        next = (this.goto[state] as Map<number, number>).get(c);
      }
      state = next ?? 0;
      const o = this.out[state] as number[];
      for (let k = 0; k < o.length; k++) found[o[k] as number] = 1;
    }
    return found;
  }
}
