// Maps keyed by request text must not inherit anything: `?__proto__=1` and `/constructor` are just keys.
// Object.create(null) gives that but builds a slow dictionary object (about 30 ns each, bench: invoke); an
// instance of a constructor whose prototype is an empty, frozen, null-prototype object inherits nothing
// either, and stays a fast object (about 3 ns). Assigning "__proto__" creates an own key on both.
function Dict(): void {}
Dict.prototype = Object.freeze(Object.create(null));

/**
 * An empty map that inherits no keys (no `toString`, `constructor` or `__proto__` accessor).
 * @example const q = dict<string>(); q["__proto__"] = "1"; Object.keys(q) // ["__proto__"]
 */
export function dict<V>(): Record<string, V> {
  return new (Dict as unknown as new () => Record<string, V>)();
}
