// `replay:human`: the reply the logged human agent actually gave at this point of the dialogue, as
// a baseline every candidate should beat. Offline, free and deterministic.
import type { GenerateRequest, GenerateResult, Provider } from '../domain/eval.ts';
import { ProviderError } from './provider-error.ts';

export const REPLAY_HUMAN_ID = 'replay:human';

export function createReplayHumanProvider(): Provider {
  return {
    id: REPLAY_HUMAN_ID,
    async generate(request: GenerateRequest): Promise<GenerateResult> {
      const suiteCase = request.case;
      if (!suiteCase) {
        throw new ProviderError(`${REPLAY_HUMAN_ID}: needs the case being answered (request.case)`, {
          provider: REPLAY_HUMAN_ID,
          kind: 'no_answer',
          retryable: false,
        });
      }
      const reply = suiteCase.human_reply;
      if (reply === null || !reply.trim()) {
        throw new ProviderError(`${REPLAY_HUMAN_ID}: no logged reply for case ${suiteCase.case_id}`, {
          provider: REPLAY_HUMAN_ID,
          kind: 'no_answer',
          retryable: false,
        });
      }
      return { text: reply, usage: { input_tokens: 0, output_tokens: 0 }, model: REPLAY_HUMAN_ID };
    },
  };
}
