// User-supplied text (dialogue turns, reviewer notes) rendered as text with its line breaks kept.
// React escapes it; nothing here ever becomes HTML.
export function PlainText({ text, className }: { text: string; className?: string }) {
  return <div className={`plain-text ${className ?? ''}`.trim()}>{text}</div>;
}
