/** A key hint; several keys are shown side by side. */
export function Kbd({ keys }: { keys: string | readonly string[] }) {
  const list = typeof keys === 'string' ? [keys] : keys;
  return (
    <span className="kbd-group">
      {list.map((key) => (
        <kbd key={key}>{key}</kbd>
      ))}
    </span>
  );
}
