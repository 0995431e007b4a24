/** Readable ids for things people name (groups, board columns): `police`, `ideas`; positional for other scripts. */
export function slug(label: string): string {
  return label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
}

/** Gives each label a unique id: its slug, `${prefix}-N` where it has none, `-N` appended on a clash. */
export function labelledIds(
  labels: readonly string[],
  prefix: string,
  idFor: (label: string) => string | undefined = () => undefined,
): { id: string; label: string }[] {
  const used = new Set<string>();
  return labels.map((label, i) => {
    let id = idFor(label) ?? (slug(label) || `${prefix}-${i + 1}`);
    if (used.has(id)) id = `${id}-${i + 1}`;
    used.add(id);
    return { id, label };
  });
}
