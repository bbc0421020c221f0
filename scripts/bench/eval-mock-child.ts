// bench:eval's model server in a process of its own (the shared OpenAI-compatible mock with a fixed
// latency), so firstcall and promptfoo call the same server and neither shares its event loop.
// Sends {url} once listening; answers {count} with the chat requests received so far and its CPU
// time so far ({cpu_ms}); exits when the parent disconnects. The mock keeps every request it
// receives (for tests); here they are counted and let go every 100 ms, so the bench's server does
// not spend its CPU collecting garbage from thousands of kept request bodies.
import { startMockOpenAI } from '../../server/test-support/mock-openai-server.ts';

const server = await startMockOpenAI({ latencyMs: Number(process.argv[2] ?? 20) });
let chatRequests = 0;
const drain = () => {
  for (const r of server.requests.splice(0)) if (r.path.endsWith('/chat/completions')) chatRequests++;
};
setInterval(drain, 100).unref();
process.send!({ url: server.url });
process.on('message', (message: { count?: boolean }) => {
  if (message.count) {
    drain();
    const cpu = process.cpuUsage();
    process.send!({ count: chatRequests, cpu_ms: (cpu.user + cpu.system) / 1000 });
  }
});
process.on('disconnect', () => void server.close().finally(() => process.exit(0)));
