// The fictional retailer's catalogue, plans and name lists. Every brand and product here is
// made up, so the corpus reads as plainly synthetic while staying realistic.

export const RETAILER = { zh: '灯塔数码', en: 'Beacon Electronics' } as const;

export const DEVICE_CATEGORIES = ['phone', 'laptop', 'tablet', 'watch', 'earbuds', 'tv', 'router'] as const;
export type DeviceCategory = (typeof DEVICE_CATEGORIES)[number];

export interface Product {
  category: DeviceCategory;
  /** Short model name used in conversation. */
  model: string;
  /** Full catalogue names, as on the order. */
  zh: string;
  en: string;
  zhNoun: string;
  enNoun: string;
  cny: number;
  usd: number;
  warranty: readonly (12 | 24)[];
  /** Out-of-warranty screen replacement price, for products with a screen worth repairing. */
  screen?: { cny: number; usd: number };
}

export const PRODUCTS: readonly Product[] = [
  { category: 'phone', model: 'Nova X5', zh: 'Nova X5 手机 256GB', en: 'Nova X5 phone (256 GB)', zhNoun: '手机', enNoun: 'phone', cny: 3999, usd: 549, warranty: [12], screen: { cny: 899, usd: 129 } },
  { category: 'phone', model: 'Nova X5 Pro', zh: 'Nova X5 Pro 手机 512GB', en: 'Nova X5 Pro phone (512 GB)', zhNoun: '手机', enNoun: 'phone', cny: 5999, usd: 799, warranty: [12], screen: { cny: 1299, usd: 189 } },
  { category: 'phone', model: 'Nova Lite 3', zh: 'Nova Lite 3 手机 128GB', en: 'Nova Lite 3 phone (128 GB)', zhNoun: '手机', enNoun: 'phone', cny: 1499, usd: 229, warranty: [12], screen: { cny: 399, usd: 69 } },
  { category: 'phone', model: 'Orbit Fold 2', zh: 'Orbit Fold 2 折叠屏手机', en: 'Orbit Fold 2 foldable phone', zhNoun: '手机', enNoun: 'phone', cny: 8999, usd: 1299, warranty: [12, 24], screen: { cny: 2499, usd: 369 } },
  { category: 'laptop', model: 'Aero 14', zh: 'Aero 14 笔记本电脑', en: 'Aero 14 laptop', zhNoun: '笔记本', enNoun: 'laptop', cny: 5499, usd: 749, warranty: [12, 24], screen: { cny: 1199, usd: 179 } },
  { category: 'laptop', model: 'Aero 16 Pro', zh: 'Aero 16 Pro 笔记本电脑', en: 'Aero 16 Pro laptop', zhNoun: '笔记本', enNoun: 'laptop', cny: 8999, usd: 1299, warranty: [12, 24], screen: { cny: 1799, usd: 259 } },
  { category: 'laptop', model: 'Slate Book 13', zh: 'Slate Book 13 笔记本电脑', en: 'Slate Book 13 laptop', zhNoun: '笔记本', enNoun: 'laptop', cny: 3299, usd: 499, warranty: [12], screen: { cny: 899, usd: 139 } },
  { category: 'tablet', model: 'Slate Pad 11', zh: 'Slate Pad 11 平板电脑', en: 'Slate Pad 11 tablet', zhNoun: '平板', enNoun: 'tablet', cny: 2499, usd: 349, warranty: [12], screen: { cny: 699, usd: 99 } },
  { category: 'watch', model: 'Pace Watch 4', zh: 'Pace Watch 4 智能手表', en: 'Pace Watch 4 smartwatch', zhNoun: '手表', enNoun: 'watch', cny: 1299, usd: 199, warranty: [12], screen: { cny: 399, usd: 59 } },
  { category: 'earbuds', model: 'Pulse Buds 2', zh: 'Pulse Buds 2 无线耳机', en: 'Pulse Buds 2 wireless earbuds', zhNoun: '耳机', enNoun: 'earbuds', cny: 599, usd: 89, warranty: [12] },
  { category: 'earbuds', model: 'Pulse Buds Pro', zh: 'Pulse Buds Pro 降噪耳机', en: 'Pulse Buds Pro noise-cancelling earbuds', zhNoun: '耳机', enNoun: 'earbuds', cny: 1199, usd: 159, warranty: [12] },
  { category: 'tv', model: 'Vista 55', zh: 'Vista 55英寸 4K 电视', en: 'Vista 55" 4K TV', zhNoun: '电视', enNoun: 'TV', cny: 3299, usd: 479, warranty: [24] },
  { category: 'tv', model: 'Vista 65 Mini LED', zh: 'Vista 65英寸 Mini LED 电视', en: 'Vista 65" Mini LED TV', zhNoun: '电视', enNoun: 'TV', cny: 6499, usd: 899, warranty: [24] },
  { category: 'router', model: 'Mesh AX3000', zh: 'Mesh AX3000 路由器', en: 'Mesh AX3000 router', zhNoun: '路由器', enNoun: 'router', cny: 399, usd: 69, warranty: [24] },
  { category: 'router', model: 'Mesh AX6000', zh: 'Mesh AX6000 路由器（两只装）', en: 'Mesh AX6000 router (2-pack)', zhNoun: '路由器', enNoun: 'router', cny: 1099, usd: 179, warranty: [24] },
];

export function productsOf(categories: readonly DeviceCategory[]): readonly Product[] {
  return PRODUCTS.filter((p) => categories.includes(p.category));
}

export const SCREEN_PRODUCTS = PRODUCTS.filter((p) => p.screen !== undefined);

/** A hardware fault as the customer describes it, with the out-of-warranty repair price. */
export interface Fault {
  zh: string;
  en: string;
  cny: number;
  usd: number;
}

export const FAULTS: Readonly<Record<DeviceCategory, readonly Fault[]>> = {
  phone: [
    { zh: '电池掉电特别快，一天要充三次电', en: 'the battery drains really fast, I have to charge it three times a day', cny: 299, usd: 49 },
    { zh: '充不进电了，换了充电器也不行', en: "it won't charge any more, even with a different charger", cny: 199, usd: 39 },
    { zh: '后置摄像头拍照一直对不上焦', en: "the rear camera won't focus", cny: 499, usd: 79 },
  ],
  laptop: [
    { zh: '开不了机，按电源键一点反应都没有', en: "it won't turn on at all when I press the power button", cny: 899, usd: 139 },
    { zh: '键盘有好几个键失灵了', en: 'several keys on the keyboard stopped working', cny: 499, usd: 79 },
    { zh: '风扇声音特别大，还很烫', en: 'the fan is extremely loud and it gets very hot', cny: 299, usd: 49 },
  ],
  tablet: [{ zh: '触摸屏经常没反应', en: 'the touchscreen keeps freezing', cny: 499, usd: 79 }],
  watch: [{ zh: '充不进电了', en: "it won't charge any more", cny: 199, usd: 35 }],
  earbuds: [
    { zh: '左耳没有声音了', en: 'the left earbud has no sound', cny: 199, usd: 35 },
    { zh: '充电盒充不进电', en: "the charging case won't charge", cny: 149, usd: 29 },
  ],
  tv: [
    { zh: '开机有声音但是没画面', en: "there's sound but no picture", cny: 1299, usd: 199 },
    { zh: '屏幕上出现了几条竖条纹', en: 'there are vertical lines across the screen', cny: 1599, usd: 239 },
  ],
  router: [
    { zh: '网络老是断，一天断好几次', en: 'it keeps dropping the connection several times a day', cny: 149, usd: 29 },
    { zh: '指示灯一直是红灯，上不了网', en: 'the light stays red and there is no internet', cny: 149, usd: 29 },
  ],
};

/** Mobile plans, cheapest first; the recommendation logic relies on that order. */
export interface MobilePlan {
  zh: string;
  en: string;
  cny: number;
  usd: number;
  gb: number;
  minutes: number;
}

export const PLANS: readonly MobilePlan[] = [
  { zh: '畅享39元套餐', en: 'Starter 10', cny: 39, usd: 25, gb: 10, minutes: 100 },
  { zh: '畅享59元套餐', en: 'Plus 30', cny: 59, usd: 35, gb: 30, minutes: 300 },
  { zh: '畅享99元套餐', en: 'Max 60', cny: 99, usd: 55, gb: 60, minutes: 500 },
  { zh: '畅享129元套餐', en: 'Ultra 100', cny: 129, usd: 75, gb: 100, minutes: 800 },
  { zh: '畅享199元套餐', en: 'Infinity 200', cny: 199, usd: 99, gb: 200, minutes: 1500 },
];

export function planProductName(plan: MobilePlan, zh: boolean): string {
  return zh
    ? `${plan.zh}（${plan.gb}GB+${plan.minutes}分钟）`
    : `${plan.en} mobile plan ($${plan.usd}/month, ${plan.gb} GB)`;
}

export const ADD_ONS = [
  { zh: '视频会员包', en: 'Video Plus add-on', cny: 15, usd: 4.99 },
  { zh: '彩铃包', en: 'Caller Tunes add-on', cny: 5, usd: 2.99 },
  { zh: '游戏加速包', en: 'Game Boost add-on', cny: 10, usd: 3.99 },
] as const;

export const ROAMING_PLACES = [
  { zh: '日本', en: 'Japan' },
  { zh: '泰国', en: 'Thailand' },
  { zh: '韩国', en: 'South Korea' },
  { zh: '新加坡', en: 'Singapore' },
  { zh: '法国', en: 'France' },
] as const;

export const HUBS = [
  { zh: '上海', en: 'Shanghai' },
  { zh: '广州', en: 'Guangzhou' },
  { zh: '武汉', en: 'Wuhan' },
  { zh: '成都', en: 'Chengdu' },
  { zh: '郑州', en: 'Zhengzhou' },
  { zh: '深圳', en: 'Shenzhen' },
  { zh: '香港', en: 'Hong Kong' },
] as const;

export const DELAY_REASONS = [
  { zh: '天气原因航班延误', en: 'a weather-related flight delay' },
  { zh: '转运中心包裹积压', en: 'a backlog at the sorting centre' },
  { zh: '派送站点人手不足', en: 'a staff shortage at the local depot' },
] as const;

/** A street address (synthetic) and the district an agent may repeat back without exposing it. */
export interface AddressTemplate {
  district: string;
  street: (n: number, r: number) => string;
}

export const ADDRESSES: Readonly<Record<'zh' | 'en', readonly AddressTemplate[]>> = {
  zh: [
    { district: '浦东新区', street: (n: number, r: number) => `上海市浦东新区张江路${n}号${(r % 9) + 1}号楼${r}室` },
    { district: '朝阳区', street: (n: number, r: number) => `北京市朝阳区望京街${n}号院${(r % 7) + 1}号楼${r}` },
    { district: '天河区', street: (n: number, r: number) => `广州市天河区体育西路${n}号${r}房` },
    { district: '西湖区', street: (n: number, r: number) => `杭州市西湖区文三路${n}号${(r % 5) + 1}幢${r}室` },
    { district: '武侯区', street: (n: number, r: number) => `成都市武侯区天府大道北段${n}号${r}室` },
    { district: '南山区', street: (n: number, r: number) => `深圳市南山区科技南路${n}号${(r % 12) + 1}栋${r}` },
  ],
  en: [
    { district: 'London', street: (n: number, r: number) => `Flat ${r % 40}, ${n} Baker Street, London NW1 6XE` },
    { district: 'Singapore', street: (n: number, r: number) => `${n} Orchard Road, #${(r % 20) + 2}-${r % 90}, Singapore 238863` },
    { district: 'San Francisco', street: (n: number, r: number) => `${n} Market Street, Apt ${r}, San Francisco, CA 94103` },
    { district: 'Sydney', street: (n: number, r: number) => `Unit ${r % 60}, ${n} George Street, Sydney NSW 2000` },
    { district: 'Shanghai', street: (n: number, r: number) => `Room ${r}, No. ${n} Yuyuan Road, Jing'an District, Shanghai` },
  ],
};

/** [characters, pinyin] so e-mail handles match the name. */
export const ZH_SURNAMES: readonly (readonly [string, string])[] = [
  ['王', 'wang'], ['李', 'li'], ['张', 'zhang'], ['刘', 'liu'], ['陈', 'chen'], ['杨', 'yang'], ['黄', 'huang'],
  ['赵', 'zhao'], ['吴', 'wu'], ['周', 'zhou'], ['徐', 'xu'], ['孙', 'sun'], ['马', 'ma'], ['朱', 'zhu'],
  ['胡', 'hu'], ['郭', 'guo'], ['何', 'he'], ['林', 'lin'], ['高', 'gao'], ['罗', 'luo'], ['郑', 'zheng'],
  ['梁', 'liang'], ['谢', 'xie'], ['宋', 'song'], ['唐', 'tang'], ['许', 'xu'], ['韩', 'han'], ['冯', 'feng'],
];
export const ZH_GIVEN_MALE: readonly (readonly [string, string])[] = [
  ['伟', 'wei'], ['强', 'qiang'], ['磊', 'lei'], ['军', 'jun'], ['洋', 'yang'], ['勇', 'yong'], ['杰', 'jie'],
  ['涛', 'tao'], ['明', 'ming'], ['超', 'chao'], ['浩然', 'haoran'], ['子轩', 'zixuan'], ['一鸣', 'yiming'],
  ['思远', 'siyuan'], ['宇航', 'yuhang'], ['建国', 'jianguo'], ['志强', 'zhiqiang'], ['俊杰', 'junjie'],
];
export const ZH_GIVEN_FEMALE: readonly (readonly [string, string])[] = [
  ['芳', 'fang'], ['娜', 'na'], ['敏', 'min'], ['静', 'jing'], ['丽', 'li'], ['艳', 'yan'], ['娟', 'juan'],
  ['霞', 'xia'], ['秀英', 'xiuying'], ['欣怡', 'xinyi'], ['梓涵', 'zihan'], ['雨桐', 'yutong'], ['佳琪', 'jiaqi'],
  ['晓燕', 'xiaoyan'], ['婷婷', 'tingting'], ['诗雨', 'shiyu'], ['慧敏', 'huimin'], ['玉兰', 'yulan'],
];
export const EN_FIRST_MALE = [
  'James', 'Robert', 'John', 'Michael', 'David', 'William', 'Daniel', 'Thomas', 'Liam', 'Noah', 'Lucas',
  'Arjun', 'Omar', 'Ethan', 'Ryan', 'Kevin', 'Marcus', 'Wei',
] as const;
export const EN_FIRST_FEMALE = [
  'Mary', 'Patricia', 'Jennifer', 'Linda', 'Elizabeth', 'Sarah', 'Jessica', 'Emily', 'Olivia', 'Priya',
  'Aisha', 'Sofia', 'Hannah', 'Chloe', 'Grace', 'Mei', 'Rachel', 'Nina',
] as const;
export const EN_LAST = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Wilson', 'Taylor',
  'Anderson', 'Lee', 'Martin', 'Clark', 'Walker', 'Hall', 'Young', 'King', 'Wright', 'Lopez', 'Scott',
  'Green', 'Baker', 'Patel', 'Khan', 'Nguyen', 'Tan', 'Lim', 'Wong', 'Chen', "O'Brien", 'Murphy',
] as const;

export const AGENT_NAMES = {
  zh: ['小美', '小星', '小鹿', '阿杰', '小雨', '小林', '晓晴', '小周'],
  en: ['Alex', 'Sam', 'Jordan', 'Priya', 'Chris', 'Taylor', 'Morgan', 'Jamie'],
} as const;
export const BOT_NAME = { zh: '灯塔小助手', en: 'Beacon Assistant' } as const;
