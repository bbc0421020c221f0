import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHARED_DATA } from '../test-support/temp.ts';
import { keywordActionClaim, STATE_CHANGING_TOOLS, taubenchDialogues } from '../test-support/taubench-logs.ts';
import { actionClaims, statedActions } from './action-claims.ts';

describe('actionClaims', () => {
  it.each([
    "I've refunded the duplicate $25; it will be back on your card within 3-5 business days.",
    "Your order hasn't shipped yet, so I've cancelled it for you.",
    'We have gone ahead and processed your refund.',
    'I just sent you a new activation link.',
    'Your address has been successfully updated to 12 Elm Street.',
    "I'm processing the exchange now.",
    'I have passed your case on to our billing team.',
    '您的订单还没有发货，已为您取消订单，款项将原路退回。',
    '我已为您提交退货申请，检测确认后全额退款。',
    '您反映的问题小沃已为您登记反馈，请留意工作人员的联系回复。',
    '我们已将您的情况反馈给酒店同事。',
    '已转派相关部门核查处理，敬请留意。',
    '您好，给您发送私信了，请您查收。',
    '您的申请已提交，请耐心等待。',
  ])('finds the action stated as done in %s', (text) => {
    expect(actionClaims(text)).not.toEqual([]);
  });

  it.each([
    'Would you like me to cancel the order?',
    'If you confirm, I will cancel it right away.',
    'You can request a refund on the order page within 7 days.',
    "I've checked your order: it has been shipped and arrives Friday.",
    "I haven't processed anything yet.",
    'The refund has not been processed yet.',
    'Your phone is still under warranty, so the repair is free.',
    '未发货的订单可在“我的订单”中点击取消，款项1-3个工作日内原路退回。',
    '您的订单已发货，预计明天送达。',
    '我们已关注到您反映的问题，请详细描述一下。',
    '您是否已经提交了退货申请？',
    '如果已经为您取消，款项会原路退回。',
    '您已经申请过退款了，请耐心等待审核。',
    '可以为您办理退货退款。',
  ])('finds no action stated as done in %s', (text) => {
    expect(actionClaims(text)).toEqual([]);
  });

  it('names each phrase, in order', () => {
    expect(actionClaims("I've cancelled the order. The refund has been issued to your card.")).toEqual(["I've cancelled", 'has been issued']);
  });

  it('names an action once where several patterns match the same words, keeping the longest', () => {
    expect(actionClaims('订单已为您取消，退款已为您提交。')).toEqual(['订单已为您取消', '退款已为您提交']);
    expect(actionClaims('已为您取消订单')).toEqual(['已为您取消']);
    expect(actionClaims('小沃已为您登记反馈')).toEqual(['小沃已为您登记']);
    expect(actionClaims('已为您取消。已为您取消。')).toEqual(['已为您取消', '已为您取消']);
  });
});

describe('statedActions', () => {
  it.each([
    ['I just urged the courier to deliver today.', 'expedite'],
    ['已经帮您催促物流尽快派送。', 'expedite'],
    ['已经为您加急处理。', 'expedite'],
    ['Your delivery address has been successfully updated to 12 Elm Street.', 'address'],
    ['收货地址已为您修改。', 'address'],
    ["I've booked a repair for your phone.", 'repair'],
    ['已为您登记维修，工程师会联系您。', 'repair'],
    ["Your order hasn't shipped yet, so I've cancelled it for you.", 'cancel'],
    ['订单已为您取消。', 'cancel'],
    ["I've refunded the duplicate $25.", 'refund'],
    ['我已为您提交退货申请。', 'return'],
    ['I have passed your case on to our billing team.', 'handoff'],
    ['问题已转交相关部门。', 'handoff'],
    ['您好，给您发送私信了，请您查收。', 'message'],
    ['您反映的问题小沃已为您登记反馈。', 'record'],
    ["I've reset your password.", 'account'],
    ['We have gone ahead and processed it.', null],
    ['问题已经处理。', null],
  ] as const)('tells what kind of action %s states: %s', (text, kind) => {
    // Overlapping phrases may state one action twice ("已为您取消", "订单已为您取消"): one kind.
    expect([...new Set(statedActions(text).map((a) => a.kind))]).toEqual([kind]);
  });
});

// Checked on real dialogues, not on the phrases it was written from (the demo's kb replies and
// everyday support phrasing): tau-bench's agents state an action right after a state-changing tool
// call (the ingest reader tells those from lookups by how the record changed), and the same
// helpdesk replies of STC-3 in Chinese and in their human English translation should agree.
describe('actionClaims on real dialogues', () => {
  it('tells the tau-bench agent replies that follow a state-changing tool call from the rest (precision and recall >= 0.9, well above a keyword baseline)', () => {
    const counts = { tp: 0, fp: 0, fn: 0, tn: 0 };
    // The simple baseline: an action word and a perfect tense anywhere in the reply.
    const baseline = { tp: 0, fp: 0, fn: 0, tn: 0 };
    for (const turns of taubenchDialogues()) {
      let acted = false;
      for (const turn of turns) {
        if (turn.role === 'customer') acted = false;
        else if (turn.role === 'tool') acted ||= STATE_CHANGING_TOOLS.has(turn.name ?? '');
        else if (turn.role === 'agent') {
          const said = actionClaims(turn.text).length > 0;
          counts[acted ? (said ? 'tp' : 'fn') : said ? 'fp' : 'tn']++;
          const guessed = keywordActionClaim(turn.text);
          baseline[acted ? (guessed ? 'tp' : 'fn') : guessed ? 'fp' : 'tn']++;
          acted = false;
        }
      }
    }
    // 2026-12-07: tp 73, fp 2, fn 3, tn 425 (precision 0.97, recall 0.96, F1 0.97); the baseline
    // precision 0.56, recall 0.97, F1 0.71.
    const f1 = (c: typeof counts) => (2 * c.tp) / (2 * c.tp + c.fp + c.fn);
    expect(counts.tp + counts.fn).toBeGreaterThan(60);
    expect(counts.tp / (counts.tp + counts.fp)).toBeGreaterThanOrEqual(0.9);
    expect(counts.tp / (counts.tp + counts.fn)).toBeGreaterThanOrEqual(0.9);
    expect(f1(counts)).toBeGreaterThan(f1(baseline) + 0.15);
  });

  it('agrees between the Chinese STC-3 helpdesk replies and their English translations (kappa >= 0.5, above a keyword baseline)', () => {
    type Stc3 = { id: string; turns: { sender: string; utterances: string[] }[] };
    const read = (file: string) => readFileSync(join(SHARED_DATA, 'stc3-helpdesk', file), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Stc3);
    const chinese = new Map(read('stc3-dq-cn.jsonl').map((d) => [d.id, d]));
    const english = read('stc3-dq-en.jsonl');
    const kappa = (zhSays: (text: string) => boolean, enSays: (text: string) => boolean) => {
      const table = { both: 0, zhOnly: 0, enOnly: 0, neither: 0 };
      for (const translated of english) {
        const original = chinese.get(translated.id)!;
        translated.turns.forEach((turn, i) => {
          if (turn.sender !== 'helpdesk') return;
          const zh = zhSays(original.turns[i]!.utterances.join('\n'));
          const en = enSays(turn.utterances.join('\n'));
          table[zh && en ? 'both' : zh ? 'zhOnly' : en ? 'enOnly' : 'neither']++;
        });
      }
      const n = table.both + table.zhOnly + table.enOnly + table.neither;
      const zhRate = (table.both + table.zhOnly) / n;
      const enRate = (table.both + table.enOnly) / n;
      const chance = zhRate * enRate + (1 - zhRate) * (1 - enRate);
      return { table, kappa: ((table.both + table.neither) / n - chance) / (1 - chance) };
    };
    const claims = (text: string) => actionClaims(text).length > 0;
    const ours = kappa(claims, claims);
    // The simple baseline: 已 and an action word anywhere; in English an action word and a perfect tense.
    const baseline = kappa(
      (text) => /已/.test(text) && /退款|取消|处理|安排|办理|提交|申请|登记|记录|反馈|转|催|私信|发送|通知|回复/.test(text),
      (text) => /\b(?:refund|cancel|process|return|exchang|modif|updat|chang|transfer|submit|sent|issu)\w*/i.test(text) && /\b(?:i've|i have|we've|we have|has been|have been)\b/i.test(text),
    );
    // 2026-12-07: both 43, zh only 35, en only 17, neither 1,815 (kappa 0.61); most zh-only replies
    // name the agent in the third person in English ("Xiao WO has urged…"). The baseline: kappa 0.43.
    expect(ours.table.both).toBeGreaterThan(30);
    expect(ours.kappa).toBeGreaterThanOrEqual(0.5);
    expect(ours.kappa).toBeGreaterThan(baseline.kappa + 0.1);
  });

  it("names the kind of action tau-bench's agents state as the tool they called did (precision >= 0.95, above a keyword baseline)", () => {
    // What each state-changing tool did, in the kinds a reply may state: a cancellation, a return and
    // an exchange also move money back, which the replies state as a refund.
    const did: Record<string, readonly string[]> = {
      cancel_pending_order: ['cancel', 'refund'],
      return_delivered_order_items: ['return', 'refund'],
      exchange_delivered_order_items: ['replace', 'refund'],
      modify_pending_order_items: ['replace', 'refund'],
      modify_pending_order_address: ['address'],
      modify_user_address: ['address'],
      modify_pending_order_payment: [],
      transfer_to_human_agents: ['handoff'],
    };
    // The simple baseline: the kind of every action word anywhere in the reply.
    const keywords: [string, RegExp][] = [
      ['cancel', /cancel/i],
      ['refund', /refund/i],
      ['address', /address/i],
      ['return', /\breturn/i],
      ['replace', /exchang|replac/i],
      ['handoff', /transfer/i],
    ];
    const ours = { right: 0, wrong: 0, none: 0 };
    const baseline = { ...ours };
    for (const turns of taubenchDialogues()) {
      let tools: string[] = [];
      for (const turn of turns) {
        if (turn.role === 'customer') tools = [];
        else if (turn.role === 'tool' && STATE_CHANGING_TOOLS.has(turn.name ?? '')) tools.push(turn.name!);
        else if (turn.role === 'agent' && tools.length > 0) {
          // A reply is right when every kind it is said to state is one its tools took.
          const tally = (counts: typeof ours, kinds: string[]) => counts[kinds.length === 0 ? 'none' : kinds.every((k) => tools.some((t) => did[t]!.includes(k))) ? 'right' : 'wrong']++;
          tally(ours, statedActions(turn.text).flatMap((a) => (a.kind === null ? [] : [a.kind])));
          tally(baseline, keywords.filter(([, word]) => word.test(turn.text)).map(([kind]) => kind));
          tools = [];
        }
      }
    }
    // 2026-12-07, replies after a state-changing tool call: right 64, wrong 0, none named 12 ("has
    // been successfully processed"); the baseline right 53, wrong 16 (precision 0.77).
    const precision = (c: typeof ours) => c.right / (c.right + c.wrong);
    expect(ours.right).toBeGreaterThan(55);
    expect(precision(ours)).toBeGreaterThanOrEqual(0.95);
    expect(precision(ours)).toBeGreaterThan(precision(baseline) + 0.1);
  });

  it('names the same kind of action in the Chinese STC-3 helpdesk replies and their English translations (>= 0.85 where both name one)', () => {
    type Stc3 = { id: string; turns: { sender: string; utterances: string[] }[] };
    const read = (file: string) => readFileSync(join(SHARED_DATA, 'stc3-helpdesk', file), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Stc3);
    const chinese = new Map(read('stc3-dq-cn.jsonl').map((d) => [d.id, d]));
    const kinds = (text: string) => new Set(statedActions(text).flatMap((a) => (a.kind === null ? [] : [a.kind])));
    const pairs = { same: 0, other: 0 };
    for (const translated of read('stc3-dq-en.jsonl')) {
      translated.turns.forEach((turn, i) => {
        if (turn.sender !== 'helpdesk') return;
        const zh = kinds(chinese.get(translated.id)!.turns[i]!.utterances.join('\n'));
        const en = kinds(turn.utterances.join('\n'));
        if (zh.size > 0 && en.size > 0) pairs[[...zh].some((k) => en.has(k)) ? 'same' : 'other']++;
      });
    }
    // 2026-12-07: same 32 (record 20, message 6, hand-off 4, …), other 2 ("问题已转交" translated as
    // "we have reported"). The translations are not labels of the kind, but neither lexicon was written from them.
    expect(pairs.same).toBeGreaterThan(25);
    expect(pairs.same / (pairs.same + pairs.other)).toBeGreaterThanOrEqual(0.85);
  });
});
