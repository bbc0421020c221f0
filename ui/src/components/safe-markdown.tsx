// Renders the mini-markdown subset as React elements (text nodes only, never innerHTML).
import { parseMarkdown, type Inline } from '../lib/mini-markdown.ts';

function Inlines({ inlines }: { inlines: Inline[] }) {
  return (
    <>
      {inlines.map((part, i) =>
        part.kind === 'bold' ? <strong key={i}>{part.text}</strong> : part.kind === 'code' ? <code key={i}>{part.text}</code> : <span key={i}>{part.text}</span>,
      )}
    </>
  );
}

export function SafeMarkdown({ source }: { source: string }) {
  const blocks = parseMarkdown(source);
  return (
    <div className="markdown">
      {blocks.map((block, i) => {
        if (block.kind === 'heading') {
          const Tag = (['h3', 'h4', 'h5'] as const)[block.level - 1]!;
          return (
            <Tag key={i}>
              <Inlines inlines={block.inlines} />
            </Tag>
          );
        }
        if (block.kind === 'list') {
          const Tag = block.ordered ? 'ol' : 'ul';
          return (
            <Tag key={i} start={block.ordered && block.start !== 1 ? block.start : undefined}>
              {block.items.map((item, j) => (
                <li key={j}>
                  <Inlines inlines={item} />
                </li>
              ))}
            </Tag>
          );
        }
        return (
          <p key={i}>
            {block.lines.map((line, j) => (
              <span key={j}>
                {j > 0 && <br />}
                <Inlines inlines={line} />
              </span>
            ))}
          </p>
        );
      })}
    </div>
  );
}
