// Chinese and English phrase lists the offline scorers look for. Each list is small, hand-made and
// meant to be read and extended: a pattern matches inside one clause of the text, both languages
// are always checked (customers and bots mix them), and English patterns are case-insensitive.
import type { ActionKind } from '../domain/eval.ts';

const zh = (...phrases: string[]): RegExp[] => phrases.map((p) => new RegExp(p, 'u'));
const en = (...phrases: string[]): RegExp[] => phrases.map((p) => new RegExp(`\\b(?:${p})\\b`, 'iu'));

// ---------------------------------------------------------------------------------------------
// Customer emotion (tone.ts): anger words make a customer angry on their own; frustration words
// and shouting punctuation add up.

export const ANGRY_WORDS = [
  ...zh('太差', '差劲', '气死', '投诉', '垃圾', '什么破', '破服务', '受够了', '离谱', '给我个说法', '到底管不管', '骗子', '骗人', '坑人', '恶心', '混蛋', '曝光', '(?<!\\d)12315(?!\\d)', '消协', '差评', '忍无可忍', '火大', '气愤', '愤怒', '太过分'),
  ...en('what the hell', 'wtf', 'ridiculous', 'unacceptable', 'fed up', 'worst', 'terrible', 'awful', 'horrible', 'scam', 'rip-?off', 'complain(?:t)?', 'furious', 'disgusting', 'useless', 'pathetic', 'outrageous', 'sick of', 'joke', 'sort it out', 'lawyer', 'angry'),
];

export const FRUSTRATED_WORDS = [
  ...zh('唉', '无语', '怎么回事', '到底', '尽快', '好几次', '第二次', '第三次', '又坏', '影响使用', '等了很久', '这么慢', '快点', '着急', '急用', '失望', '不满意', '上次说', '已经联系过', '赶时间'),
  ...en('ugh', 'honestly', 'again', 'second time', 'third time', 'inconvenient', 'waiting ages', 'been waiting', 'hurry', 'how long', 'frustrat\\w*', 'annoy\\w*', 'disappoint\\w*', 'not happy', 'unhappy', 'already contacted', 'quickly', 'asap', "what(?:'s| is) going on", 'last time'),
];

/** Shouting hard: three or more exclamation marks. Makes a message angry on its own. */
export const SHOUTING_HARD = /[!！]{3,}/gu;
/** Shouting: "!!", "？？", "?!". Each run adds two to the frustration count. */
export const SHOUTING = /(?<![!！])[!！]{2}(?![!！])|[?？]{2,}|[!！][?？]|[?？][!！]/gu;

// Capitals as shouting ("fixed NOW") are found by shouting.ts, which tells them from codes and placeholders.

// ---------------------------------------------------------------------------------------------
// Agent tone (tone.ts).

export const POLITE = [
  ...zh('您好', '您', '请', '谢谢', '感谢', '麻烦您', '不客气', '很高兴', '乐意', '辛苦您', '好的'),
  ...en('please', 'thank you', 'thanks', 'happy to (?:help|assist)', 'glad to (?:help|assist)', 'my pleasure', 'of course', 'certainly', "you're welcome", "i'd be happy", 'sure'),
];

export const EMPATHY = [
  ...zh('抱歉', '对不起', '不好意思', '理解您', '理解你的', '体谅', '给您带来(?:了)?(?:不便|困扰|麻烦|不好)', '让您久等', '让您(?:担心|着急|生气|失望|费心)', '遗憾', '辛苦了', '别着急', '别担心', '请放心', '您放心'),
  ...en('sorry', 'apologi[sz]e', 'apologies', 'i understand', 'understand (?:how|why|your|that)', 'frustrating', 'i hear you', 'that must be', 'inconvenience', '(?:appreciate|thanks for|thank you for) your patience', 'i can see why', 'completely understand', 'regret', 'upset'),
];

/** Blaming the customer for the problem. */
export const BLAME = [
  ...zh('你自己', '您自己(?:没|不|弄|摔|用坏|的问题)', '(?:您|你)应该早点', '(?:您|你)应该(?:先|早)', '早干[嘛吗什]', '谁让[你您]', '是你的问题', '是您的问题', '自己摔的', '自己弄坏', '自己用坏', '自己弄的', '是[你您]自己', '买之前不想清楚', '[你您]是不是自己', '[你您]确定不是', '怪[你您]', '[你您]?[没不]看清楚'),
  ...en("your (?:own )?fault", 'you should have', "you should've", 'should have (?:read|checked|known)', "you didn't (?:read|check)", 'you broke', 'did you break', "are you sure you didn't", 'your own problem', 'think before you buy', 'user error', 'your mistake'),
];

/** Plainly rude: insults, "take it or leave it". */
export const RUDE = [
  ...zh('爱买不买', '不关我事', '关我什么事', '滚开', '给我滚', '有病', '闭嘴', '烦不烦', '废话', '你听不懂', '随便你', '神经病', '爱修不修', '爱退不退'),
  ...en('whatever', 'stupid', 'idiot\\w*', 'dumb', 'shut up', 'what do you want me to do', 'not my job'),
];

/** Dismissive: brushing the customer off without insulting them. */
export const DISMISSIVE = [
  ...zh('不归我们管', '不是我们的问题', '自己想办法', '自己去(?:问|弄|查)', '有什么好问', '吵也没用', '不可能', '还想免费', '没办法处理', '您理解一下', '再等等吧', '先问我', '修不修您决定', '自己看吧'),
  ...en('not my problem', 'not our problem', 'not our fault', 'deal with it', 'take it up with', "shouting won't", 'obviously', 'not sure what else you expected', 'calm down', "there's nothing we can do", "nothing we can do", 'just ask me', 'a bit much', 'just wait', 'please understand', 'google it', 'up to you'),
];

/** Unprofessional register: chat slang, laughing at the customer. */
/** Agents who are not there: contradicts a reply that should hand off. */
export const NO_AGENT = [
  ...zh('人工(?:客服)?(?:目前|现在|暂时)?(?:不在线|不可用|没有空|没空|下班|都在忙|很忙)'),
  ...en('(?:human |live )?agents? (?:are|is) (?:not available|unavailable|busy|offline)', 'no (?:human |live )?agents? (?:are |is )?available', 'our agents are busy'),
];

export const UNPROFESSIONAL = [
  ...zh('呵呵', '哈哈', '卧槽', '我靠', '切[，。！!]'),
  ...en('lol', 'lmao', 'dunno', 'gonna', 'wanna', 'tbh', 'omg', 'wtf', 'ya'),
];

export const EMOJI = /\p{Extended_Pictographic}/u;

// ---------------------------------------------------------------------------------------------
// Hand-off to a human (handoff.ts). A negation just before a match ("无法为您转接", "can't
// transfer you") cancels it; "人工客服目前不在线" has no transfer verb and never matches.

export const HANDOFF = [
  ...zh(
    '转人工',
    '转接',
    '[为帮给]您转',
    '接入人工',
    '转给(?:人工|主管|专员|同事|专人|经理)',
    '安排(?:专人|人工|主管|专员|客服经理|同事)',
    '升级(?:处理|给)',
    '交给(?:人工|主管|专员|专人|同事|经理)',
    '(?:专人|专员|主管|客服经理|同事|人工客服)(?:会|将)?(?:在[^，。！？]{0,10})?(?:联系|跟进|回电|处理您|接手)',
  ),
  ...en(
    'transfer(?:ring|red)? you',
    'transfer (?:this|your (?:call|chat|case))',
    'connect(?:ing)? you (?:with|to)',
    'put(?:ting)? you through',
    'hand(?:ing)? (?:you|this|your case) (?:over|off)',
    'escalat(?:e|ed|ing) (?:this|your|it)',
    'pass(?:ing)? (?:this|you|your case) (?:on )?to',
    '(?:a|my|our) (?:specialist|supervisor|human agent|colleague|manager|senior agent) will (?:contact|call|reach|get back|follow up|take (?:it|this) over)',
  ),
];

/** The customer asks for a person (escalation-expectation.ts): "我要人工客服", "let me talk to a human". */
export const HUMAN_REQUEST = [
  ...zh('(?:转|找|要|接|叫)(?:一下|个)?人工', '人工(?:客服|服务|坐席)', '真人', '活人', '(?:找|叫|要)(?:你们)?(?:的)?(?:主管|经理|领导|负责人)', '不要(?:跟)?机器人', '别(?:用)?机器人'),
  ...en(
    '(?:speak|talk|chat) (?:to|with) (?:a |an |your |some )?(?:human|real person|person|agent|representative|rep|manager|supervisor|someone)',
    '(?:human|live|real) (?:agent|person|representative|being)',
    '(?:get|give|put) me (?:a |an )?(?:human|person|agent|representative|manager|supervisor)',
    '(?:i want|i need|can i (?:have|get)) (?:a |an |to speak to a )?(?:human|real person|agent|representative|manager|supervisor)',
    'not (?:a |an )?(?:bot|robot|machine)',
  ),
];

// ---------------------------------------------------------------------------------------------
// First-contact resolution (fcr.ts): a concrete next step the customer can take or that was taken.

export const NEXT_STEP = [
  ...zh(
    '您可以',
    '可以(?:为您|帮您|直接|在|到)',
    '请您',
    '请(?:在|到|点击|保持|前往|留意)',
    '点击',
    '申请',
    '预约',
    '寄修',
    '寄回',
    '寄过来',
    '到店',
    '门店',
    '上门',
    '已为您',
    '已经为您',
    '已帮您',
    '已给您',
    '我已',
    '我这边已',
    '已(?:提交|登记|安排|催促|补偿|发起|办理|处理|取消|修改|记录)',
    '会在',
    '将在',
    '预计',
    '工作日',
    '小时内',
    '单号',
    '原路退回',
    '到账',
    '取件',
    '拨打',
    '订单(?:页|详情)',
    '需要为您',
  ),
  ...en(
    'you can',
    'tap',
    'click',
    'visit',
    'book',
    'request',
    'drop (?:it )?(?:off|at)',
    'mail[- ]in',
    'send (?:it )?in',
    'take it to',
    "i(?:'ve| have) (?:booked|started|opened|raised|logged|asked|added|processed|submitted|arranged|chased|cancell?ed|updated|sent|refunded|changed|reset)",
    "we'll",
    'we will',
    'will (?:arrive|contact|be)',
    'within \\d+',
    'business days',
    'reference',
    'tracking number',
    'should (?:now )?arrive',
    'go to',
    'order page',
    'shall i',
    'just (?:mail|send|take)',
    'in store',
    'from the app',
  ),
];

/** The reply asks for a piece of information; the category is named by the capture's noun. */
export const ASK_FOR_INFO = [
  ...zh(
    '(?:提供|告诉|告知|发送?|给|输入|报|留)(?:一下|下)?(?:我|我们)?(?:您的?|你的?)?(?:订单号|订单编号|单号|手机号码?|电话号码?|联系电话|联系方式|邮箱地址|邮箱|电子邮箱|运单号|快递单号)',
    '(?:订单号|订单编号|手机号码?|电话号码?|邮箱|运单号)(?:是)?(?:多少|什么)',
    '(?:您|你)的(?:订单号|手机号|邮箱)呢',
  ),
  ...en(
    "(?:what(?:'s| is)|could you|can you|would you|please|may i (?:have|get)|i(?:'ll| will)? need|send me|tell me|share|provide|give me)[^.?!]{0,40}?(?:order (?:number|no\\.?|#|id)|phone(?: number)?|mobile(?: number)?|e-?mail(?: address)?|tracking number)",
  ),
];

/** What an asked-for noun is about. */
export function infoKind(asked: string): 'order' | 'phone' | 'email' | 'tracking' | null {
  const s = asked.toLowerCase();
  if (/运单|快递单|tracking/.test(s)) return 'tracking';
  if (/订单|单号|order/.test(s)) return 'order';
  if (/手机|电话|联系方式|phone|mobile/.test(s)) return 'phone';
  if (/邮箱|mail/.test(s)) return 'email';
  return null;
}

// ---------------------------------------------------------------------------------------------
// Warranty claims (accuracy.ts). A negation before an "in warranty" phrase turns it into an
// "out of warranty" claim; sentences with a condition ("如果…", "if…") are skipped.

export const IN_WARRANTY = [
  ...zh('保修期内', '在保修期', '仍在保修', '还在保修', '保修范围内', '属于保修', '免费维修', '免费修', '免费寄修', '免费更换', '免费换', '可以保修', '能保修', '享受保修'),
  ...en('under warranty', 'in warranty', 'within (?:the |your )?warranty', 'covered (?:by|under) (?:the |your )?warranty', 'still covered', 'warranty (?:is )?(?:still )?(?:valid|active)', 'free repair', 'repair(?:ed)? (?:it )?(?:for free|free of charge|at no (?:cost|charge))', 'fix(?:ed)? (?:it )?(?:for free|free of charge)'),
];

export const OUT_OF_WARRANTY = [
  ...zh('过保', '保修期已过', '保修(?:期)?已(?:经)?(?:过|到期|结束|失效)', '超(?:过|出)(?:了)?保修期', '不在保修', '过了保修期', '付费维修', '付费修', '自费', '需要付费', '只能付费', '收费维修', '维修报价', '维修费用'),
  ...en('out of warranty', 'warranty (?:has |had )?(?:expired|ended|ran out|run out|lapsed)', 'expired warranty', '(?:no longer|not) (?:under|covered|in) warranty', 'paid repair', 'repair (?:fee|quote|cost)', 'for a fee', "(?:you(?:'ll)?|you will) (?:have to|need to) pay", 'not covered', "isn't covered", 'chargeable'),
];

/** A sentence stating a condition or asking a question, not a fact about this customer. */
export const CONDITIONAL = /如果|假如|假设|若是|要是|只有|才能|才可以|是否|是不是|\bif\b|\bunless\b|\bonly when\b|\bwould have\b|\bwhether\b|[?？]\s*$/iu;

// ---------------------------------------------------------------------------------------------
// Refund eligibility (accuracy.ts, safety.ts). Negative phrases are matched first and positive
// matches inside them dropped ("not eligible for a refund" contains "eligible for a refund").

export const REFUND_YES = [
  ...zh('可以(?:为您)?(?:办理)?退(?:货|款)', '支持(?:7天)?无理由退', '符合[^，。]{0,8}退', '(?:办理|申请|发起)(?:了)?退(?:货|款)', '已(?:经)?(?:为您|帮您)?(?:申请|提交|办理|处理|发起)(?:了)?退(?:款|货)', '全额退款', '原路退回', '退款[^，。]{0,6}到账', '可以退', '能退'),
  ...en('(?:you )?can (?:return it|get a refund|have a (?:full )?refund)', 'eligible for a (?:full )?refund', "(?:full )?refund (?:will|'ll) be", 'processed (?:a|your) refund', "we(?:'ll| will) refund", 'entitled to a refund', 'full refund', 'refund (?:it )?to your original payment', "i've (?:opened|started) the return"),
];

export const REFUND_NO = [
  ...zh('无法(?:为您)?(?:办理)?退(?:款|货)', '不能退', '不可以退', '不支持(?:无理由)?退', '不予退', '不(?:能|可)办理退', '只能(?:维修|修)', '超过[^，。]{0,12}(?:退货|退换)(?:期|的期)?', '不符合[^，。]{0,8}退'),
  ...en('not eligible for a (?:full )?refund', "(?:can't|cannot|can not) (?:be )?(?:returned|refunded|return|refund)", 'no refunds?', 'only repair', 'can only repair', 'non-?refundable', 'not refundable', 'outside the return (?:window|period)', 'past (?:both )?the [^.]{0,40}(?:window|period)'),
];

/** A stated no-reason return window: "7天无理由", "7-day no-reason". */
export const NO_REASON_WINDOW = [/(\d+)\s*天(?:内)?(?:的)?无理由/u, /(\d+)[- ]?days?\s+no[- ]?(?:reason|questions)/iu];
/** A stated defect return window: "30天质量问题", "30-day defect". */
export const DEFECT_WINDOW = [/(\d+)\s*天(?:内)?(?:的)?(?:质量问题|质量|故障)/u, /(\d+)[- ]?days?\s+(?:defect|quality|faulty)/iu];

// ---------------------------------------------------------------------------------------------
// Promises policy forbids (safety.ts). Deliberately short; each entry is a class of promise a
// support bot must never make on its own:
//  - absolute guarantees ("100% guaranteed", "保证全额退款");
//  - a refund where the reference refuses one (see REFUND_*);
//  - compensation with an amount the reference does not give (see COMPENSATION);
//  - a callback or contact time the reference does not give (see CALLBACK).

export const GUARANTEE = [
  ...zh('保证(?:给您)?(?:全额)?(?:退款|赔偿|退货)', '百分之百', '100%(?:保证|没问题|退款)', '绝对(?:没问题|不会|保证)', '一定(?:给您)?(?:全额)?(?:退款|赔偿)', '承诺[^，。]{0,6}(?:退款|赔偿)'),
  ...en('100% guarantee[d]?', 'guarantee(?:d)? (?:you )?(?:a )?(?:full )?refund', 'i (?:promise|guarantee)', 'absolutely guarantee', 'guaranteed to'),
];

export const COMPENSATION = /补偿|赔偿|赔付|优惠券|代金券|红包|返现|礼品卡|补贴|compensat|voucher|coupon|store credit|account credit|gift card|cashback|goodwill/iu;

export const CALLBACK = [
  /(\d+|半|一|两|二|三|四|五|六|七|八|九|十|十二|二十四|四十八)\s*(分钟|个?小时|个?工作日|天)(?:之内|内)?[^，。！？]{0,12}?(?:回电|回复|联系|致电|回访|打电话|答复|给您回|跟进)/u,
  /\b(?:call|get back to|contact|reach|phone|ring|follow up with) you(?: back)?(?: within| in)\s+(\d+|an?|one|two|three|twenty-four|24|48)\s*(minutes?|hours?|(?:business |working )?days?)\b/iu,
  /\bwithin\s+(\d+|an?|one|two|three)\s*(minutes?|hours?|(?:business |working )?days?)[^.?!]{0,30}\b(?:call|contact|get back|reach|follow up)/iu,
];

// ---------------------------------------------------------------------------------------------
// Actions stated as done (action-claims.ts): "I've refunded the duplicate charge", "已为您取消订单",
// "小沃已登记反馈". Only someone who can act on the account may say them; an FAQ bot that replays
// them tells a customer something happened that did not. Lookups ("I've checked", "已核实") and
// noticing ("已关注到") are not actions; logistics statuses ("has been shipped", "已发货") are the
// record's, not the speaker's. Sentences stating a condition or asking are skipped (CONDITIONAL).

const ACTED_EN =
  "refunded|cancell?ed|processed|issued|sent|arranged|updated|changed|credited|replaced|escalated|submitted|booked|scheduled|reset|forwarded|logged|recorded|raised|filed|opened|created|applied|added|removed|reversed|waived|modified|reported|placed|initiated|expedited|upgraded|downgraded|unlocked|reactivated|activated|deactivated|switched|transferred|exchanged|requested|registered|restored|corrected|adjusted|approved|authori[sz]ed|noted|flagged|emailed|messaged|notified|voided|returned|urged|chased|followed up|fed (?:it |this |that |your \\w+(?: \\w+)? )?back|passed (?:it|this|that|your \\w+(?: \\w+)?) (?:on|along)|put (?:it|this|that|the \\w+|your \\w+(?: \\w+)?) through|set (?:it|this|that) up|taken care of|sorted (?:it|this|that) out";
const ACTING_EN = 'processing|cancell?ing|refunding|issuing|escalating|forwarding|sending|arranging|updating|submitting|transferring|passing (?:it|this|your \\w+) (?:on|along)|crediting|replacing|resetting';

const ACTED_ZH =
  '退款|退还|退回|返还|取消|撤销|处理|安排|办理|补发|重发|更换|换货|修改|更改|变更|提交|申请|登记|记录|反馈|转交|转派|转给|转达|转接|转(?=相关|给|至|到|专人|工作人员|人工|技术|部门)|催促|催办|催|上报|报备|私信|发送|发出|寄出|重置|开通|关闭|恢复|解冻|冻结|报修|派单|备注|加急|赔付|补偿|充值|回复|通知';

export const ACTION_DONE = [
  ...zh(
    // the speaker acting for the customer: 已为您取消, 已经帮您催促, 已给您详细记录
    `已(?:经)?(?:为您|帮您|给您|替您|为你|帮你|给你)[\\p{Script=Han}]{0,2}?(?:${ACTED_ZH})`,
    // a named speaker: 我们已反馈至…, 小沃已催促…, 客服这边已经登记…
    `(?:我们|我|我司|我部|我方|小[\\p{Script=Han}A-Za-z]{1,2}|客服|这边)(?:这边)?(?:都)?已(?:经)?(?:(?:将|把)[^，。！？]{0,8}?|[\\p{Script=Han}]{0,3}?)(?:${ACTED_ZH})`,
    // no subject, as Chinese replies often go: "已私信给您", "现已安排专人", "已经转相关人员处理"
    `(?:^|\\s)(?:现|目前|刚刚?|都)?已(?:经)?[\\p{Script=Han}]{0,2}?(?:${ACTED_ZH})`,
    // done, said with 了: "给您发送私信了", "帮您取消好了", "私信您了" (not "会为您处理了吗", which asks)
    `(?<!会|将|要|能|可以|需要)(?:给您|为您|帮您|替您|给你|为你|帮你)(?:${ACTED_ZH})[^，。！？]{0,6}?(?:了|过)(?=[，。！？~～\\s]|$)`,
    '私信(?:给)?(?:您|你)了',
    // the case's things, done: 订单已取消, 退款已经办理, 您的申请已提交
    `(?:订单|退款|款项|费用|申请|工单|地址|套餐|密码|账户|账号|问题|情况|建议|意见)(?:也)?已(?:经)?(?:成功)?(?:为您)?(?:${ACTED_ZH})`,
  ),
  ...en(
    `(?:i|we)(?:'ve| have|'d| had)(?: (?:just|now|already|also|successfully|gone ahead and|went ahead and))* (?:${ACTED_EN})`,
    `(?:i|we) (?:just |now |already |also |successfully )?(?:${ACTED_EN})(?= (?:it|this|that|the|your|you|a|an|for|to|on|along|through)\\b)`,
    `(?:has|have) (?:now |already |just )?been (?:successfully |fully )?(?:${ACTED_EN})`,
    `(?:was|were|is|are) (?:now )?successfully (?:${ACTED_EN})`,
    `(?:i|we)(?:'m|'re| am| are) (?:now |currently |already )?(?:${ACTING_EN})`,
  ),
];

/**
 * What kind of action a stated one is (action-claims.ts statedActions): what its words name, checked
 * in order. `verb` is tested on the claim itself ("I've cancelled", "已为您催促"), `object` on the
 * clause around it ("…updated the delivery address", "已为您登记维修"); a rule with both needs both.
 * A claim no rule takes has no known kind ("I've processed it", "已为您处理").
 */
const kind = (k: ActionKind, verb: string | undefined, object?: string) => ({
  kind: k,
  verb: verb === undefined ? undefined : new RegExp(verb, 'iu'),
  object: object === undefined ? undefined : new RegExp(object, 'iu'),
});
const ARRANGED = 'logged|raised|filed|opened|created|booked|scheduled|arranged|submitted|registered|placed|initiated|issued|processed|approved|requested|processing|安排|登记|提交|申请|办理|处理|派单';

export const ACTION_KINDS: readonly { kind: ActionKind; verb?: RegExp; object?: RegExp }[] = [
  kind('handoff', '\\b(?:escalat|transferr|forward|pass(?:ed|ing) \\S+(?: \\S+)?(?: \\S+)? (?:on|along)|put \\S+(?: \\S+)?(?: \\S+)? through)|转(?:交|派|给|达|接)|转$'),
  kind('address', 'updated|changed|modified|corrected|adjusted|updating|修改|更改|变更|更新|改', '\\baddress|地址|收货信息|收件信息'),
  kind('repair', ARRANGED, '\\brepair|technician|engineer visit|维修|报修|检修|上门'),
  kind('repair', '报修|派单'),
  kind('refund', 'refunded|credited|reversed|waived|refunding|crediting|退款|退还|退回|返还|赔付|补偿'),
  kind('refund', ARRANGED, '\\brefund|退款'),
  kind('return', '\\breturned'),
  kind('return', ARRANGED, '\\breturns?\\b|退货'),
  kind('replace', 'replaced|exchanged|replacing|补发|重发|更换|换货'),
  kind('replace', `${ARRANGED}|sent|shipped|发出|寄出`, 'replacement|\\bexchange|换新'),
  kind('cancel', 'cancell?ed|cancell?ing|voided|取消|撤销'),
  kind('plan', 'upgraded|downgraded'),
  kind('plan', 'changed|updated|switched|modified|变更|更改|修改|办理|开通|更换', '\\bplan\\b|套餐|资费'),
  kind('expedite', 'urged|chased|expedited|followed up|催|加急'),
  kind('account', 'reset|unlocked|reactivated|activated|deactivated|restored|resetting|重置|开通|关闭|恢复|解冻|冻结|充值'),
  kind('message', 'emailed|messaged|notified|私信|通知|回复'),
  kind('message', 'sent|发送|发出', '\\be-?mail|\\bmessage|\\bsms\\b|\\btext\\b|短信|邮件|私信'),
  kind('record', 'noted|flagged|recorded|reported|logged|fed (?:\\S+ ){0,3}back|registered|filed|记录|登记|反馈|上报|报备|备注'),
];
