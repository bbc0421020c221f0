// Simulated conversations of a conversation run (conversation_results): transcript with tool calls,
// the back office's final state and its diff, the scenario's expectation and the engine's judgement,
// written in bulk as they come (a killed run keeps what it stored; --resume runs only the rest).
import { conversationCaseResult, type CaseResult, type ConversationDetail, type ConversationRow } from '../domain/runs-api.ts';
import type { Database } from './database.ts';

/** A conversation as the runner stores it (one scenario, one trial). */
export type StoredConversation = Omit<ConversationDetail, 'run_id'>;

const SHAPE =
  '[{"run_id":"VARCHAR","scenario_id":"VARCHAR","trial":"INTEGER","language":"VARCHAR","intent":"VARCHAR","transcript":"JSON","final_state":"JSON","state_diff":"JSON","expected":"JSON","judgement":"JSON","error":"VARCHAR"}]';

interface Row {
  scenario_id: string;
  trial: number;
  language: string;
  intent: string;
  transcript: string;
  final_state: string;
  state_diff: string;
  expected: string;
  judgement: string;
  error: string | null;
}

function toDetail(runId: string, row: Row): ConversationDetail {
  const transcript = JSON.parse(row.transcript) as Pick<ConversationDetail, 'turns' | 'tool_calls' | 'customer_events' | 'ended' | 'warnings'>;
  return {
    run_id: runId,
    scenario_id: row.scenario_id,
    trial: Number(row.trial),
    language: row.language,
    intent: row.intent,
    ...transcript,
    final_state: JSON.parse(row.final_state) as ConversationDetail['final_state'],
    state_diff: JSON.parse(row.state_diff) as ConversationDetail['state_diff'],
    expected: JSON.parse(row.expected) as ConversationDetail['expected'],
    judgement: JSON.parse(row.judgement) as ConversationDetail['judgement'],
    error: row.error ?? null,
  };
}

const COLUMNS = 'scenario_id, trial, language, intent, transcript, final_state, state_diff, expected, judgement, error';

export class ConversationResultRepository {
  constructor(private readonly db: Database) {}

  /** Writes conversations in one statement (one already stored for the same scenario and trial is replaced). */
  async save(runId: string, conversations: readonly StoredConversation[]): Promise<void> {
    if (conversations.length === 0) return;
    const rows = conversations.map((c) => ({
      run_id: runId,
      scenario_id: c.scenario_id,
      trial: c.trial,
      language: c.language,
      intent: c.intent,
      transcript: { turns: c.turns, tool_calls: c.tool_calls, customer_events: c.customer_events, ended: c.ended, warnings: c.warnings },
      final_state: c.final_state,
      state_diff: c.state_diff,
      expected: c.expected,
      judgement: c.judgement,
      error: c.error,
    }));
    await this.db.run(
      `INSERT OR REPLACE INTO conversation_results
       SELECT r.run_id, r.scenario_id, r.trial, r.language, r.intent, r.transcript, r.final_state, r.state_diff, r.expected, r.judgement, r.error, now()
       FROM (SELECT unnest(from_json($rows, '${SHAPE}')) AS r)`,
      { rows: JSON.stringify(rows) },
    );
  }

  /** Every conversation of a run, by scenario and trial. */
  async all(runId: string): Promise<ConversationDetail[]> {
    const rows = await this.db.all<Row>(`SELECT ${COLUMNS} FROM conversation_results WHERE run_id = $id ORDER BY scenario_id, trial`, { id: runId });
    return rows.map((r) => toDetail(runId, r));
  }

  async get(runId: string, scenarioId: string, trial: number): Promise<ConversationDetail | undefined> {
    const [row] = await this.db.all<Row>(`SELECT ${COLUMNS} FROM conversation_results WHERE run_id = $id AND scenario_id = $scenario AND trial = $trial`, {
      id: runId,
      scenario: scenarioId,
      trial,
    });
    return row ? toDetail(runId, row) : undefined;
  }

  /** One row per conversation for a list (no transcript). */
  async rows(runId: string): Promise<ConversationRow[]> {
    const rows = await this.db.all<{ scenario_id: string; trial: number; language: string; intent: string; ended: string; judgement: string; tool_calls: number; error: string | null }>(
      `SELECT scenario_id, trial, language, intent, json_extract_string(transcript, '$.ended') AS ended, judgement,
              CAST(json_array_length(json_extract(transcript, '$.tool_calls')) AS INTEGER) AS tool_calls, error
       FROM conversation_results WHERE run_id = $id ORDER BY scenario_id, trial`,
      { id: runId },
    );
    return rows.map((r) => {
      const j = JSON.parse(r.judgement) as ConversationDetail['judgement'];
      return {
        scenario_id: r.scenario_id,
        trial: Number(r.trial),
        language: r.language,
        intent: r.intent,
        ended: r.ended,
        goal_met: j.goal_met,
        fcr: j.fcr,
        escalation_correct: j.escalation_correct,
        repeated_asks: j.repeated_asks,
        agent_turns: j.agent_turns,
        handling_time_s: j.handling_time_s,
        tone: j.tone,
        tool_calls: Number(r.tool_calls ?? 0),
        error: r.error ?? null,
      };
    });
  }

  /** The conversations as per-scenario results (what the gate, compare and the summary read). */
  async caseResults(runId: string): Promise<CaseResult[]> {
    return (await this.all(runId)).map(conversationCaseResult);
  }

  /** Sets a run up to be finished: its failed conversations are dropped (they run again); returns what it keeps. */
  async keepSucceeded(runId: string): Promise<{ scenario_id: string; trial: number }[]> {
    await this.db.run('DELETE FROM conversation_results WHERE run_id = $id AND error IS NOT NULL', { id: runId });
    const rows = await this.db.all<{ scenario_id: string; trial: number }>('SELECT scenario_id, trial FROM conversation_results WHERE run_id = $id', { id: runId });
    return rows.map((r) => ({ scenario_id: r.scenario_id, trial: Number(r.trial) }));
  }
}
