/** Maps from a key to a list, as the indexes keep them: lists are never left empty. */

export function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Drops the values `gone` picks from `key`'s list, and the key with its last value. */
export function dropFrom<K, V>(map: Map<K, V[]>, key: K, gone: (v: V) => boolean): void {
  const list = map.get(key)?.filter((v) => !gone(v));
  if (list?.length) map.set(key, list);
  else map.delete(key);
}
