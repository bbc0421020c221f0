// bench:eval's model server in a process of its own (the shared OpenAI-compatible mock with a fixed
// latency), so firstcall and promptfoo call the same server and neither shares its event loop.
// Sends {url} once listening; answers {count} with the chat requests received so far; exits when
// the parent disconnects.
import { startMockOpenAI } from '../../server/test-support/mock-openai-server.ts';

const server = await startMockOpenAI({ latencyMs: Number(process.argv[2] ?? 20) });
process.send!({ url: server.url });
process.on('message', (message: { count?: boolean }) => {
  if (message.count) process.send!({ count: server.requests.filter((r) => r.path.endsWith('/chat/completions')).length });
});
process.on('disconnect', () => void server.close().finally(() => process.exit(0)));
