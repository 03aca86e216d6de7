/** A table's header row: one column header per label, in order. */
export function ColumnHeads({ labels }: { labels: Record<string, string> }) {
  return (
    <thead>
      <tr>
        {Object.values(labels).map((label) => (
          <th scope="col" key={label}>
            {label}
          </th>
        ))}
      </tr>
    </thead>
  );
}
