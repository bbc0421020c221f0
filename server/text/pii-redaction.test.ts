import { describe, expect, it } from 'vitest';
import { PII_PLACEHOLDERS, PII_TYPES, containsPii, findPii, mayContainPii, redactPii, type PiiType } from './pii-redaction.ts';

const redacted = (text: string) => redactPii(text).text;
const typesIn = (text: string) => findPii(text).map((m) => m.type);

/** Asserts `text` is redacted to exactly one placeholder of `type`, with the surrounding text kept. */
function expectSingle(text: string, type: PiiType, before = '', after = '') {
  const input = before + text + after;
  const result = redactPii(input);
  expect(result.text).toBe(before + PII_PLACEHOLDERS[type] + after);
  expect(result.counts).toEqual({ [type]: 1 });
}

describe('PII types and placeholders', () => {
  it('has one bracketed placeholder per type, named after the type', () => {
    for (const type of PII_TYPES) expect(PII_PLACEHOLDERS[type]).toBe(`[${type}]`);
    expect(new Set(PII_TYPES).size).toBe(PII_TYPES.length);
  });
});

describe('mainland China mobile numbers', () => {
  it.each([
    ['13800138000'],
    ['19912345678'],
    ['14512345678'],
    ['138 0013 8000'],
    ['138-0013-8000'],
    ['1380 0138 000'],
    ['+8613800138000'],
    ['+86 13800138000'],
    ['+86-138-0013-8000'],
    ['+86 138 0013 8000'],
    ['0086 13800138000'],
    ['0086-13800138000'],
    ['8613800138000'],
    ['(+86)13800138000'],
    ['(+86) 138 0013 8000'],
  ])('redacts %s as one PHONE', (phone) => {
    expectSingle(phone, 'PHONE');
  });

  it('finds a number glued to Chinese characters on both sides', () => {
    expect(redacted('我的手机号是13800138000谢谢')).toBe('我的手机号是[PHONE]谢谢');
  });

  it('finds a number after Chinese or ASCII punctuation and before a full stop', () => {
    expect(redacted('电话：13800138000。')).toBe('电话：[PHONE]。');
    expect(redacted('phone:13800138000.')).toBe('phone:[PHONE].');
    expect(redacted('（13800138000）')).toBe('（[PHONE]）');
  });

  it('finds full-width digits typed with a Chinese IME', () => {
    expect(redacted('手机１３８００１３８０００')).toBe('手机[PHONE]');
    expect(redacted('手机１３８－００１３－８０００')).toBe('手机[PHONE]');
  });

  it('finds numbers grouped with typographic dashes or an ideographic space', () => {
    expect(redacted('138–0013–8000')).toBe('[PHONE]');
    expect(redacted('138\u30000013\u30008000')).toBe('[PHONE]');
  });

  it('redacts each number of a list separated by spaces, slashes, commas or a dash', () => {
    expect(redacted('13800138000 13900139000')).toBe('[PHONE] [PHONE]');
    expect(redacted('13800138000/13900139000')).toBe('[PHONE]/[PHONE]');
    expect(redacted('13800138000、13900139000')).toBe('[PHONE]、[PHONE]');
    expect(redacted('13800138000-13900139000')).toBe('[PHONE]-[PHONE]');
  });

  it('does not redact an 11-digit number starting 10, 11 or 12', () => {
    expect(redacted('10800138000 11800138000 12800138000')).toBe('10800138000 11800138000 12800138000');
  });

  it('does not redact part of a longer digit run', () => {
    expect(redacted('138001380001')).toBe('138001380001');
    expect(redacted('213800138000')).toBe('213800138000');
    expect(redacted('1380013800')).toBe('1380013800');
  });

  it('does not redact a number glued to ASCII letters or an underscore (part of an identifier)', () => {
    // wx13800138000 used to be kept here; wx/vx (WeChat) glued to a mobile is a contact now (issue 9).
    expect(redacted('wx13800138000')).toBe('wx[PHONE]');
    expect(redacted('13800138000abc')).toBe('13800138000abc');
    expect(redacted('user_13800138000')).toBe('user_13800138000');
  });

  it('does not redact the digits after a decimal point', () => {
    expect(redacted('3.13800138000')).toBe('3.13800138000');
  });

  it('does not redact a number that continues a dashed code with short groups', () => {
    expect(redacted('ORD-2026-13800138000')).toBe('ORD-2026-13800138000');
  });

  it('does not redact a bare 11-digit number labelled as an order or tracking number', () => {
    expect(redacted('订单号：13800138000')).toBe('订单号：13800138000');
    expect(redacted('tracking number 13800138000')).toBe('tracking number 13800138000');
  });

  it('still redacts a grouped or prefixed mobile number even after an order label', () => {
    expect(redacted('订单号：+86 138 0013 8000')).toBe('订单号：[PHONE]');
  });
});

describe('mainland China landlines', () => {
  it.each([
    ['010-12345678'],
    ['0755-1234567'],
    ['0755-12345678'],
    ['021 12345678'],
    ['(021)12345678'],
    ['(021) 1234 5678'],
    ['(0755)1234567'],
    ['（０２１）１２３４５６７８'],
    ['0755-1234-5678'],
    ['02112345678'],
    ['075512345678'],
    ['010-12345678-8001'],
    ['010-12345678转123'],
    ['010-12345678 转 123'],
    ['0755-1234567分机88'],
    ['010-12345678 ext. 12'],
    ['+86 10 1234 5678'],
    ['+86-755-1234-5678'],
    ['+86 10 12345678'],
    ['+86(10)12345678'],
  ])('redacts %s (extension included) as one PHONE', (phone) => {
    expectSingle(phone, 'PHONE');
  });

  it('keeps the text around a landline in a Chinese sentence', () => {
    expect(redacted('请拨打010-12345678转123联系我')).toBe('请拨打[PHONE]联系我');
  });

  it('does not redact a bare number without area code', () => {
    expect(redacted('1234567')).toBe('1234567');
    expect(redacted('座机 87654321')).toBe('座机 87654321');
  });

  it('does not redact a bare digit run starting with 0 labelled as a waybill', () => {
    expect(redacted('运单号 075512345678')).toBe('运单号 075512345678');
  });

  it('does not redact a landline-like group inside a dashed 16-digit code that fails Luhn', () => {
    expect(redacted('6222-0755-1234-5678')).toBe('6222-0755-1234-5678');
  });
});

describe('international and North American phone numbers', () => {
  it.each([
    ['+44 20 7946 0958'],
    ['+44 (0)20 7946 0958'],
    ['+44-20-7946-0958'],
    ['+1 (415) 555-2671'],
    ['+1 415 555 2671'],
    ['+14155552671'],
    ['+442079460958'],
    ['+33 1 23 45 67 89'],
    ['+49 30 901820'],
    ['+81 3-1234-5678'],
    ['+852 2123 4567'],
    ['0044 20 7946 0958'],
    ['(977) 625-2661'],
    ['(977)625-2661'],
    ['415-555-2671'],
    ['415.555.2671'],
    ['415 555 2671'],
    ['1-415-555-2671'],
    ['1 (415) 555-2671'],
    ['415-555-2671 ext. 204'],
    ['415-555-2671 x204'],
  ])('redacts %s as one PHONE', (phone) => {
    expectSingle(phone, 'PHONE', 'call ', ' today');
  });

  it('does not redact toll-free and Chinese 400/800 service hotlines, which identify a business', () => {
    for (const text of ['1-800-555-0199', '(888) 555-0199', '400-820-8820', '800-820-8820', '+1 800 555 0199', '+86 400 820 8820']) {
      expect(redacted(`客服热线 ${text}`)).toBe(`客服热线 ${text}`);
    }
  });

  it('does not redact a North American pattern whose area code or exchange starts with 0 or 1', () => {
    expect(redacted('123-456-7890')).toBe('123-456-7890');
    expect(redacted('415-155-2671')).toBe('415-155-2671');
  });

  it('does not redact a "+" followed by too few digits or by arithmetic', () => {
    expect(redacted('+44 20 79')).toBe('+44 20 79');
    expect(redacted('3+4 = 7, 12345+67890')).toBe('3+4 = 7, 12345+67890');
  });

  it('does not redact a zero-padded order number as a 00-prefixed international number', () => {
    expect(redacted('订单 0012345678901')).toBe('订单 0012345678901');
  });
});

describe('resident ID card numbers', () => {
  it.each([
    ['11010519491231002X'],
    ['32010219781122103x'],
    ['11010520000229003X'],
    ['610103198506151039'],
    ['110105 19491231 002X'],
    ['110105-19491231-002X'],
  ])('redacts %s as one ID_CARD', (id) => {
    expectSingle(id, 'ID_CARD', '身份证号', '，谢谢');
  });

  it('rejects a wrong check character', () => {
    expect(redacted('110105194912310021')).toBe('110105194912310021');
    expect(redacted('11010519491231002Y')).toBe('11010519491231002Y');
  });

  it('rejects a checksum-valid number whose birth date does not exist', () => {
    expect(redacted('110105194913310021')).toBe('110105194913310021'); // month 13
    expect(redacted('110105194902300020')).toBe('110105194902300020'); // 30 February
    expect(redacted('110105190002290033')).toBe('110105190002290033'); // 1900 was not a leap year
  });

  it('rejects a checksum-valid number with an unknown region code', () => {
    expect(redacted('990105194912310023')).toBe('990105194912310023');
  });

  it('redacts a 15-digit old-format number only when its region and birth date are valid', () => {
    expect(redacted('身份证110105491231002')).toBe('身份证[ID_CARD]');
    expect(redacted('110105491331002')).toBe('110105491331002');
    expect(redacted('113542617735902')).toBe('113542617735902');
  });

  it('takes any unlabelled 15-digit number with a region code and a valid YYMMDD for an old ID (known trade-off)', () => {
    expect(redacted('411111111111111')).toBe('[ID_CARD]'); // 41 Henan, born 1911-11-11
    expect(redacted('运单号 411111111111111')).toBe('运单号 411111111111111');
  });

  it('prefers ID_CARD when an ID number also passes the bank-card checks', () => {
    // Starts 51 (a Maestro-like prefix), 18 digits, passes Luhn too.
    expect(findPii('510104199003071050')).toEqual([{ type: 'ID_CARD', start: 0, end: 18 }]);
    // Old 15-digit ID from Shandong (37 is also an Amex prefix) that passes Luhn.
    expect(typesIn('370102850615101')).toEqual(['ID_CARD']);
  });

  it('does not redact an ID glued to letters or inside a longer digit run', () => {
    expect(redacted('ID11010519491231002X')).toBe('ID11010519491231002X');
    expect(redacted('11010519491231002X1')).toBe('11010519491231002X1');
    expect(redacted('911010519491231002X')).toBe('911010519491231002X');
  });
});

describe('bank card numbers', () => {
  it.each([
    ['4111111111111111', 'Visa'],
    ['4222222222222', 'Visa 13 digits'],
    ['5555555555554444', 'Mastercard'],
    ['2223003122003222', 'Mastercard 2-series'],
    ['378282246310005', 'Amex'],
    ['6011111111111117', 'Discover'],
    ['3530111333300000', 'JCB'],
    ['30569309025904', 'Diners 14 digits'],
    ['6200000000000005', 'UnionPay 16'],
    ['6205500000000000004', 'UnionPay 19'],
    ['6217001234567890122', 'UnionPay debit 19'],
    ['9558801234567890128', 'old domestic 95 prefix'],
    ['4111 1111 1111 1111', 'grouped by spaces'],
    ['4111-1111-1111-1111', 'grouped by dashes'],
    ['6217 0012 3456 7890 122', 'grouped 19 digits'],
    ['3782 822463 10005', 'Amex grouping'],
  ])('redacts %s (%s) as one BANK_CARD', (card) => {
    expectSingle(card, 'BANK_CARD', '卡号', '，请退款');
  });

  it('rejects a number that fails Luhn', () => {
    expect(redacted('卡号6217001234567890125')).toBe('卡号6217001234567890125');
    expect(redacted('4111 1111 1111 1112')).toBe('4111 1111 1111 1112');
  });

  it('rejects a Luhn-valid number whose prefix or length fits no card scheme', () => {
    expect(redacted('2026030212345675')).toBe('2026030212345675'); // date-prefixed order number
    expect(redacted('401111111111118')).toBe('401111111111118'); // Visa prefix at 15 digits
    expect(redacted('356938035643809')).toBe('356938035643809'); // IMEI: Luhn-valid, 35 at 15 digits is no card
  });

  it('rejects a Luhn-valid card-like number labelled as an order, tracking, invoice or IMEI number', () => {
    for (const label of ['订单号：', '快递单号 ', '运单号是', '发票号码:', 'Order #', 'order no. ', 'tracking number: ', 'IMEI: ', 'S/N ']) {
      expect(redacted(`${label}4111111111111111`)).toBe(`${label}4111111111111111`);
    }
  });

  it('redacts a card when the order is mentioned but the number is not labelled as the order', () => {
    expect(redacted('I paid my order with 4111 1111 1111 1111')).toBe('I paid my order with [BANK_CARD]');
    expect(redacted('订单用的卡号4111111111111111')).toBe('订单用的卡号[BANK_CARD]');
  });

  it('does not redact 12 to 15 digit courier and IMEI-like numbers that fail Luhn', () => {
    for (const n of ['773012345678901', '7730123456789', '432109876543', '356938035643808', '868123456789012']) {
      expect(redacted(`单号 ${n}`)).toBe(`单号 ${n}`);
      expect(redacted(n)).toBe(n);
    }
  });
});

describe('e-mail addresses', () => {
  it.each([
    ['zhang.san@example.com'],
    ['12345678@qq.com'],
    ['foo+tag@mail.example.co.uk'],
    ['first_last-1@sub-domain.example.io'],
    ['USER@EXAMPLE.COM'],
  ])('redacts %s as one EMAIL', (email) => {
    expectSingle(email, 'EMAIL', '邮箱是', '谢谢');
  });

  it('leaves a sentence-final full stop outside the address', () => {
    expect(redacted('Write to a.b@example.com.')).toBe('Write to [EMAIL].');
    expect(redacted('邮箱abc@163.com。')).toBe('邮箱[EMAIL]。');
  });

  it('finds an address written with a full-width at sign', () => {
    expect(redacted('邮箱abc＠163.com')).toBe('邮箱[EMAIL]');
  });

  it('redacts an address whose local part is a phone number as one EMAIL', () => {
    expect(redactPii('13800138000@163.com')).toEqual({ text: '[EMAIL]', counts: { EMAIL: 1 } });
  });

  it('does not redact mentions, bare at signs or hosts without a top-level domain', () => {
    for (const text of ['@客服小王 你好', 'foo@localhost', 'a @ b', 'support@', '@@@', 'x@y.c', 'x@-y.com']) {
      expect(redacted(text)).toBe(text);
    }
  });
});

describe('IP addresses', () => {
  it('redacts public IPv4 addresses', () => {
    expect(redacted('my IP is 8.8.8.8')).toBe('my IP is [IP]');
    expect(redacted('IP地址是203.0.113.7，连不上')).toBe('IP地址是[IP]，连不上');
    expect(redacted('1.2.3.4:8080')).toBe('[IP]:8080');
  });

  it('keeps private, loopback, link-local, CGNAT and multicast addresses (router FAQs cite 192.168.1.1)', () => {
    for (const ip of ['192.168.1.1', '10.0.0.1', '172.16.0.1', '172.31.255.255', '127.0.0.1', '169.254.1.1', '100.64.0.1', '224.0.0.1', '0.0.0.0', '255.255.255.255']) {
      expect(redacted(`请登录 ${ip} 设置`)).toBe(`请登录 ${ip} 设置`);
    }
  });

  it('does not redact versions, longer dotted runs or octets above 255', () => {
    for (const text of ['version 1.0.0.1', '版本号：1.2.3.4', 'v1.2.3.4', '1.2.3.4.5', '256.1.1.1', 'Chrome 120.0.6099.109', 'iOS 17.4.1']) {
      expect(redacted(text)).toBe(text);
    }
  });
});

describe('no false positives on ordinary customer-service text', () => {
  it.each([
    ['#W4923227'],
    ['订单号 20260302123456789'],
    ['113542617735902'],
    ['A1B2C3'],
    ['ORD-2026-000123'],
    ['2026-03-02'],
    ['2026年3月2日'],
    ['2026/03/02 09:14'],
    ['2026-03-02T09:14:00+08:00'],
    ['20260302'],
    ['20260302091400'],
    ['1709350000'],
    ['1709350000123'],
    ['¥3,999.00'],
    ['$1,299.99'],
    ['3999元'],
    ['¥1,234,567.89'],
    ['SF1234567890123'],
    ['YT7512345678901'],
    ['JD0012345678901'],
    ['1Z999AA10123456784'],
    ['买了 3 件，共 12 个，每件 299 元'],
    ['1 2 3 4 5 6 7 8 9 10'],
    ['iPhone 15 Pro Max 256GB'],
    ['{"order":"A1","qty":2,"total":3999.5}'],
  ])('leaves %s unchanged', (text) => {
    const result = redactPii(text);
    expect(result.text).toBe(text);
    expect(result.counts).toEqual({});
    expect(containsPii(text)).toBe(false);
  });
});

describe('several kinds in one text', () => {
  const text = '您好，我叫张三，手机13800138000，身份证11010519491231002X，邮箱 zhang.san@example.com，卡号 6217 0012 3456 7890 122，退款到这张卡。';

  it('redacts each span with its own placeholder and counts by type', () => {
    expect(redactPii(text)).toEqual({
      text: '您好，我叫张三，手机[PHONE]，身份证[ID_CARD]，邮箱 [EMAIL]，卡号 [BANK_CARD]，退款到这张卡。',
      counts: { PHONE: 1, ID_CARD: 1, EMAIL: 1, BANK_CARD: 1 },
    });
  });

  it('reports matches in text order with offsets into the original string', () => {
    const matches = findPii(text);
    expect(matches.map((m) => m.type)).toEqual(['PHONE', 'ID_CARD', 'EMAIL', 'BANK_CARD']);
    expect(matches.map((m) => text.slice(m.start, m.end))).toEqual([
      '13800138000',
      '11010519491231002X',
      'zhang.san@example.com',
      '6217 0012 3456 7890 122',
    ]);
  });

  it('keeps offsets into the original text when full-width characters were normalised', () => {
    const wide = '电话：１３８００１３８０００，邮箱ａｂｃ＠１６３．ｃｏｍ';
    expect(findPii(wide).map((m) => [m.type, wide.slice(m.start, m.end)])).toEqual([
      ['PHONE', '１３８００１３８０００'],
      ['EMAIL', 'ａｂｃ＠１６３．ｃｏｍ'],
    ]);
  });

  it('counts repeated types', () => {
    expect(redactPii('13800138000 或 13900139000 或 010-12345678').counts).toEqual({ PHONE: 3 });
  });

  it('never returns overlapping matches', () => {
    const all = findPii(text + ' 13800138000@163.com 510104199003071050 +86 138 0013 8000');
    for (let i = 1; i < all.length; i++) expect(all[i]!.start).toBeGreaterThanOrEqual(all[i - 1]!.end);
  });
});

describe('text outside redacted spans', () => {
  it('survives byte for byte, including emoji, rare CJK, combining marks and line breaks', () => {
    const parts = ['𠮷野家的订单😀出了问题，', '\n请联系我：', '\r\n\tCafé naïve ﹏ 〜', '。'];
    const text = `${parts[0]}13800138000${parts[1]}zhang@example.com${parts[2]}11010519491231002X${parts[3]}`;
    const out = redactPii(text).text;
    expect(Buffer.from(out, 'utf8').equals(Buffer.from(`${parts[0]}[PHONE]${parts[1]}[EMAIL]${parts[2]}[ID_CARD]${parts[3]}`, 'utf8'))).toBe(true);
  });

  it('returns the very same string and an empty count when there is no PII', () => {
    const text = '我刚买的手机屏幕碎了怎么办，订单是 2026-03-02 下的，花了 3999 元';
    const result = redactPii(text);
    expect(result.text).toBe(text);
    expect(result.counts).toEqual({});
  });

  it('is idempotent: redacting redacted text changes nothing', () => {
    const once = redacted('手机13800138000，邮箱a@b.com，IP 8.8.8.8');
    expect(redacted(once)).toBe(once);
  });
});

describe('fast path', () => {
  it('answers empty and short digit-free texts without matches', () => {
    for (const text of ['', ' ', '你好', 'hello', '123', '12345678', '2026-03-02']) {
      expect(redactPii(text)).toEqual({ text, counts: {} });
      expect(findPii(text)).toEqual([]);
      expect(containsPii(text)).toBe(false);
    }
  });

  it('shares one frozen empty count object between results without PII', () => {
    const a = redactPii('没有个人信息');
    const b = redactPii('no personal data here');
    expect(a.counts).toBe(b.counts);
    expect(Object.isFrozen(a.counts)).toBe(true);
  });

  it('still looks at texts with an at sign, a dotted quad or a long digit run', () => {
    expect(containsPii('a@b.co')).toBe(true);
    expect(containsPii('8.8.8.8')).toBe(true);
    // A mobile spelled digit by digit is redacted since issue 9 (it was only looked at before).
    expect(containsPii('1 3 8 0 0 1 3 8 0 0 0')).toBe(true);
    expect(containsPii('1 3 8 0 0 1 3 8 0 0')).toBe(false);
  });
});

describe('containsPii', () => {
  it('agrees with findPii on mixed inputs', () => {
    for (const text of ['13800138000', '订单号 20260302123456789', 'a@b.com', '4111111111111111', '4111111111111112', '192.168.1.1', '8.8.4.4']) {
      expect(containsPii(text)).toBe(findPii(text).length > 0);
    }
  });
});

describe('pathological inputs finish quickly (no catastrophic backtracking)', () => {
  const cases: Array<[string, string]> = [
    ['100k digits', '1'.repeat(100_000)],
    ['digits separated by spaces', '1 '.repeat(50_000)],
    ['4-digit groups', '1234 '.repeat(20_000)],
    ['dashed digits', '1-'.repeat(50_000)],
    ['dotted digits', '1.'.repeat(50_000)],
    ['plus signs and digits', '+1 '.repeat(30_000)],
    ['parenthesised groups', '(123) '.repeat(20_000)],
    ['long local part then @', 'a'.repeat(100_000) + '@'],
    ['many at signs', 'a@'.repeat(50_000)],
    ['long domain', 'x@' + 'a.'.repeat(50_000)],
    ['many phones', '13800138000 '.repeat(8_000)],
    ['many e-mails holding phones', '13800138000@163.com '.repeat(5_000)],
  ];
  it.each(cases)('handles %s', (_name, text) => {
    const start = performance.now();
    redactPii(text);
    containsPii(text);
    // Generous bound: a backtracking blow-up takes minutes, linear scanning milliseconds.
    expect(performance.now() - start).toBeLessThan(5_000);
  });

  it('redacts every phone of a long list', () => {
    expect(redactPii('13800138000 '.repeat(8_000)).counts).toEqual({ PHONE: 8_000 });
  });
});

describe('PII in every spelling (issue 9): normalised before matching, redacted at the original positions', () => {
  it.each([
    ['138.1234.5678', 'dots'],
    ['138\u200b1234\u200b5678', 'zero-width spaces'],
    ['1381234\u200d5678', 'a zero-width joiner'],
    ['138\u00ad1234\u00ad5678', 'soft hyphens'],
    ['138\u200f1234\u202a5678', 'direction marks'],
    ['138 12 34 56 78', '3-2-2-2-2 groups'],
    ['1 3 8 1 2 3 4 5 6 7 8', 'digit by digit'],
    ['1-3-8-1-2-3-4-5-6-7-8', 'digit by digit with dashes'],
    ['١٣٨١٢٣٤٥٦٧٨', 'Arabic-Indic digits'],
    ['۱۳۸۱۲۳۴۵۶۷۸', 'Extended Arabic-Indic digits'],
    ['𝟏𝟑𝟖𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖', 'mathematical bold digits'],
    ['𝟙𝟛𝟠𝟙𝟚𝟛𝟜𝟝𝟞𝟟𝟠', 'mathematical double-struck digits'],
    ['一三八一二三四五六七八', 'Chinese numerals'],
    ['幺三八幺二三四五六七八', 'Chinese numerals with 幺 for 1'],
    ['一三八〇〇一三八〇〇〇', 'Chinese numerals with 〇'],
    ['一三八零零一三八零零零', 'Chinese numerals with 零'],
    ['一三八 一二三四 五六七八', 'Chinese numerals in groups'],
    ['１３８.１２３４.５６７８', 'full-width digits and dots'],
    ['+86 138.1234.5678', '+86 and dots'],
    ['1️⃣3️⃣8️⃣1️⃣2️⃣3️⃣4️⃣5️⃣6️⃣7️⃣8️⃣', 'keycap emoji'],
  ])('redacts the mobile %s (%s) as one PHONE', (phone) => {
    expectSingle(phone, 'PHONE', '我的电话是', '，谢谢');
  });

  it('redacts a mobile glued to a contact word before it or a chat word after it', () => {
    expect(redacted('加vx13812345678')).toBe('加vx[PHONE]');
    expect(redacted('VX13812345678')).toBe('VX[PHONE]');
    expect(redacted('tel13812345678')).toBe('tel[PHONE]');
    expect(redacted('13812345678ok')).toBe('[PHONE]ok');
    expect(redacted('call 13812345678pls')).toBe('call [PHONE]pls');
  });

  it('redacts a mobile after the bare word "order" in prose, where no label touches the number', () => {
    expect(redacted('my order, call me at 13812345678')).toBe('my order, call me at [PHONE]');
    expect(redacted('about my order 13812345678 is my number')).toBe('about my order [PHONE] is my number');
  });

  it('keeps an 11-digit number right after an id label (商品ID, 订单号, order no., tracking)', () => {
    for (const text of ['商品ID:14736264188', '商品ID：14736264188', '订单号13812345678', 'order no. 13812345678', 'Order #13812345678', 'order id: 13812345678', 'tracking 13812345678', 'SKU 13812345678', '货号：13912345678']) {
      expect(redacted(text)).toBe(text);
    }
  });

  it('redacts e-mail with an internationalised domain and stops at the Chinese text after it', () => {
    expect(redacted('邮箱li.na@例子.中国')).toBe('邮箱[EMAIL]');
    expect(redacted('邮箱li.na@例子.中国谢谢')).toBe('邮箱[EMAIL]谢谢');
    expect(redacted('mail müller@bücher.de now')).toBe('mail [EMAIL] now');
    expect(redacted('a@b.com和c@d.cn')).toBe('[EMAIL]和[EMAIL]');
  });

  it('redacts e-mail with zero-width characters inside', () => {
    expect(redacted('li\u200b.na@example.com')).toBe('[EMAIL]');
    expect(redacted('zhang@exam\u200cple.com。')).toBe('[EMAIL]。');
  });

  it('keeps every other character of the original text, including the invisible ones around a match', () => {
    const text = '\u200e电话\u200b：١٣٨١٢٣٤٥٦٧٨\u200f！';
    expect(redacted(text)).toBe('\u200e电话\u200b：[PHONE]\u200f！');
    const [m] = findPii(text);
    expect(text.slice(m!.start, m!.end)).toBe('١٣٨١٢٣٤٥٦٧٨');
  });

  it.each([
    ['13800138000一次', '[PHONE]一次'],
    ['二〇二六年三月二日', '二〇二六年三月二日'],
    ['一二三四五六', '一二三四五六'],
    ['13.08.2024 12:30', '13.08.2024 12:30'],
    ['version 13.8.1234.5678', 'version 13.8.1234.5678'],
    ['1 3 8 1 2 3 4 5 6 7 8 9', '1 3 8 1 2 3 4 5 6 7 8 9'],
    ['1-800-555-0199', '1-800-555-0199'],
    ['user_13800138000', 'user_13800138000'],
    ['13800138000abc', '13800138000abc'],
    ['SF13812345678', 'SF13812345678'],
    ['价格 ¥138.12，数量 1 3 件', '价格 ¥138.12，数量 1 3 件'],
    ['第一二三四五六七八九十名', '第一二三四五六七八九十名'],
  ])('leaves the look-alike %s as %s', (text, expected) => {
    expect(redacted(text)).toBe(expected);
  });
});

describe('the pre-scan (what lets text through untouched)', () => {
  // A far-off run of nine zeros matches no pattern but makes the scan see a long number, so every
  // pattern runs over the whole text: whatever the scan lets through untouched must give the same matches
  // (characters NFKC turns into more than one digit, ⑩ or ⒈, included).
  const FORCE_NUMBER = '。000000000';
  const fragments = [
    'DD', 'D', 'x', '_', 'tel', 'vx', 'wx', 'ok', 'abc', 'a.m.', '订单号', '电话', 'order ', '转', 'ext', ' ', '-', '.', '(', ')', '+', '/', '@',
    '，', '：', '\n', '13812345678', '2026', '0113198379', '110105199001011234', '4111 1111 1111 1111', '6222', '021', '8.8.8.8',
    '１３８', '３', '⑩', '⑬', '㉑', '⒈', '⑴', '¼', '\u200b', '\u00ad', '\ufe0f', '½', '℡', '㏂', 'ﬁ', 'Ｄ', '一', '三', '八', '零', '一三八', '𝟏', '𝟑', '😀', '\ud835', '\udc00', 'li.na@example.com',
  ];
  let seed = 17;
  const rand = (n: number) => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n;
  const texts = Array.from({ length: 20_000 }, () => {
    let text = '';
    for (let n = 1 + rand(24); n > 0; n--) text += rand(3) === 0 ? String(rand(10)) : fragments[rand(fragments.length)]!;
    return text;
  });

  it('finds nothing in the forcing suffix itself', () => {
    expect(findPii(FORCE_NUMBER)).toEqual([]);
    expect(mayContainPii(FORCE_NUMBER)).toBe(true);
  });

  it('lets numbers glued to letters through (DD20260113198379), yet still finds a glued or spaced mobile and what follows', () => {
    expect(mayContainPii('订单号DD20260113198379，购买日期2026-01-13，金额5999')).toBe(false);
    expect(mayContainPii('order DD20260113198379, bought 2026-01-13')).toBe(false);
    expect(mayContainPii('user_2026011319837912')).toBe(false);
    expect(typesIn('tel13812345678')).toEqual(['PHONE']);
    expect(typesIn('vx13812345678。')).toEqual(['PHONE']);
    expect(typesIn('DD2026 13812345678')).toEqual(['PHONE']);
    expect(typesIn('tel1381234\u200b5678')).toEqual(['PHONE']);
    expect(typesIn('DD12 138 1234 5678')).toEqual(['PHONE']);
    expect(typesIn('tel１３８１２３４５６７８')).toEqual(['PHONE']);
    expect(typesIn('D一13812345678')).toEqual(['PHONE']); // a Chinese numeral, not a digit here, unglues the run
  });

  it('counts a character that stands for several digits as all of them (⑫ is 12)', () => {
    expect(typesIn('电话13⑧⑫345678')).toEqual(['PHONE']);
    expect(typesIn('tel13812⑬⑭⑮')).toEqual(['PHONE']);
    expect(typesIn('⒏⒏⒏⒏')).toEqual(['IP']);
    expect(redacted('第⑩号')).toBe('第⑩号');
  });

  it('gives the same matches as running every pattern, on random mixes of glued, grouped, full-width, Chinese-numeral and invisible characters', () => {
    let found = 0;
    for (const text of texts) {
      const matches = findPii(text);
      expect(findPii(text + FORCE_NUMBER), text).toEqual(matches);
      expect(containsPii(text), text).toBe(matches.length > 0);
      if (!mayContainPii(text)) expect(matches, text).toEqual([]);
      if (matches.length > 0) found++;
    }
    expect(found).toBeGreaterThan(500);
  });

  it('judges a range of a text exactly as the same slice on its own', () => {
    for (const text of texts.slice(0, 5_000)) {
      const from = rand(text.length + 1);
      const to = from + rand(text.length - from + 1);
      expect(mayContainPii(text, from, to), `${text} [${from}, ${to})`).toBe(mayContainPii(text.slice(from, to)));
    }
  });
});
