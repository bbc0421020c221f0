// `hf:<model>` through `@huggingface/inference`: the Hugging Face router (model ids may carry a
// `:provider` suffix, e.g. `Qwen/Qwen2.5-7B-Instruct:together`), or any TGI / OpenAI-compatible
// server given an endpoint URL (the client then POSTs to `<endpoint>/v1/chat/completions`, or
// `<endpoint>/chat/completions` when the URL already ends in /v1). Tools as chat-completion.ts runs
// them: the loop on a runner (agent candidates), or the caller's tools passed through (/v1/chat/completions).
import { z } from 'zod';
import {
  InferenceClient,
  InferenceClientHubApiError,
  InferenceClientInputError,
  InferenceClientProviderApiError,
  InferenceClientProviderOutputError,
  InferenceClientRoutingError,
} from '@huggingface/inference';
import { generateByChatCompletions, type ChatRequestBody } from './chat-completion.ts';
import { AppError } from '../domain/errors.ts';
import type { GenerateRequest, Provider } from '../domain/eval.ts';
import { DEFAULT_TIMEOUT_MS, startDeadline, type Deadline } from './deadline.ts';
import {
  abortedError,
  errorBodyMessage,
  isAbortError,
  isNetworkError,
  malformedResponse,
  networkError,
  ProviderError,
  providerErrorFromStatus,
  redactSecret,
  timeoutError,
} from './provider-error.ts';
import { firstSet, parseProviderOptions } from './provider-options.ts';

/** The hf provider's own options (its registry entry carries this schema); unset ones come from the environment. */
export const HuggingFaceOptions = z.strictObject({
  /** Default: env HF_TOKEN. Needed for the HF router; optional with an endpoint URL. */
  accessToken: z.string().optional(),
  /** A dedicated endpoint or local server (TGI, vLLM…). Default: env FIRSTCALL_HF_ENDPOINT_URL. */
  endpointUrl: z.string().optional(),
  /** Whole call (default 60 s): the package has no timeout of its own. */
  timeoutMs: z.number().int().positive().optional(),
});
export type HuggingFaceOptions = z.input<typeof HuggingFaceOptions>;

export interface HuggingFaceProviderOptions extends HuggingFaceOptions {
  /** A Hub model id, optionally with `:provider` (e.g. `meta-llama/Llama-3.1-8B-Instruct:novita`). */
  model: string;
  fetch?: typeof fetch;
  /** Where the defaults are read from (process.env by default). */
  env?: Record<string, string | undefined>;
}

export function createHuggingFaceProvider({ model, fetch: injectedFetch, env: injectedEnv, ...rest }: HuggingFaceProviderOptions): Provider {
  const options = { model, fetch: injectedFetch, env: injectedEnv, ...parseProviderOptions('hf', HuggingFaceOptions, rest) };
  const env = options.env ?? process.env;
  const id = `hf:${options.model}`;
  const accessToken = firstSet(options.accessToken, env.HF_TOKEN);
  const endpointUrl = firstSet(options.endpointUrl, env.FIRSTCALL_HF_ENDPOINT_URL);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const baseFetch = options.fetch ?? fetch;

  let client: InferenceClient | undefined;
  const getClient = (): InferenceClient => {
    if (client) return client;
    if (!accessToken && !endpointUrl) {
      throw new AppError('usage', `${id} needs a Hugging Face token: set HF_TOKEN (or an endpoint URL for a local server)`);
    }
    client = new InferenceClient(accessToken ?? '', endpointUrl ? { endpointUrl } : {});
    return client;
  };

  /** One model call with its own deadline (a tool loop makes several). */
  const complete = async (body: ChatRequestBody, signal: AbortSignal | undefined): Promise<unknown> => {
    const hf = getClient();
    const deadline = startDeadline(timeoutMs, signal);
    // The package's errors carry the status but not the headers: keep the response to read Retry-After.
    let response: Response | undefined;
    const capturingFetch: typeof fetch = async (input, init) => (response = await baseFetch(input, init));
    try {
      // retry_on_error defaults to true: an immediate, unbounded re-send on every 503.
      // response_format stays out, as before tools came in: not every server behind the router takes it.
      const { response_format: _format, ...sent } = body;
      return await hf.chatCompletion({ ...sent, model: options.model } as Parameters<InferenceClient['chatCompletion']>[0], {
        fetch: capturingFetch,
        signal: deadline.signal,
        retry_on_error: false,
      });
    } catch (error) {
      throw toProviderError(id, error, { deadline, timeoutMs, accessToken, response });
    } finally {
      deadline.dispose();
    }
  };

  return {
    id,
    passesToolsThrough: true,
    generate: (request: GenerateRequest) => generateByChatCompletions(id, options.model, request, complete),
  };
}

function toProviderError(
  id: string,
  error: unknown,
  context: { deadline: Deadline; timeoutMs: number; accessToken: string | undefined; response: Response | undefined },
): ProviderError {
  const { deadline, timeoutMs, accessToken, response } = context;
  const redact = (text: string) => redactSecret(text, accessToken);
  if (ProviderError.isInstance(error)) return error;
  if (deadline.timedOut()) return timeoutError(id, timeoutMs);
  if (deadline.callerAborted() || isAbortError(error)) return abortedError(id);
  if (error instanceof InferenceClientProviderApiError || error instanceof InferenceClientHubApiError) {
    const status = error.httpResponse.status;
    const detail = errorBodyMessage(error.httpResponse.body) ?? error.message.replace(/^Failed to perform inference: /, '');
    const mapped = providerErrorFromStatus({ provider: id, status, headers: response?.status === status ? response.headers : undefined, detail });
    mapped.message = redact(mapped.message);
    return mapped;
  }
  if (error instanceof InferenceClientProviderOutputError || error instanceof SyntaxError) {
    return malformedResponse(id, redact(error.message));
  }
  if (error instanceof InferenceClientInputError || error instanceof InferenceClientRoutingError) {
    return new ProviderError(redact(`${id}: ${error.message}`), { provider: id, kind: 'bad_request', retryable: false });
  }
  if (isNetworkError(error)) return networkError(id, error);
  return new ProviderError(redact(`${id}: ${error instanceof Error ? error.message : String(error)}`), {
    provider: id,
    kind: 'bad_request',
    retryable: false,
  });
}
