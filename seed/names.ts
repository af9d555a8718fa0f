/**
 * Word lists for plausible generated names. People, villages and articles are invented; the towns,
 * unit kinds come from the two source articles (see /work/shared/context); towns and named brands
 * from the county's data (counties/).
 */
import type { Network } from '../shared/network.js';
import { countyFacts } from './counties.js';
import type { Rng } from '../shared/random.js';

/** Common surnames, most frequent first; `personName` weights them by rank. */
const SURNAMES = Array.from(
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万严覃武戴莫孔向汤',
);
/** Cumulative rank weights 1/(rank + 6), searched by bisection: names are drawn thousands of times a second. */
const SURNAME_CDF = SURNAMES.map((_, rank) => 1 / (rank + 6)).map(
  (_, i, weights) => weights.slice(0, i + 1).reduce((a, b) => a + b, 0) / weights.reduce((a, b) => a + b, 0),
);
const GIVEN_CHARS = Array.from(
  '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力鹏宇浩凯俊帆欣怡婷雪琳晨阳思雨佳嘉子梓涵轩博睿泽宁晓海林春燕凤云志国成荣德福斌波飞亮健龙鑫颖倩慧琴丹',
);

/** 张伟 or 张思雨: a weighted surname and one or two given-name characters. */
export function personName(rng: Rng): string {
  const given = rng.pick(GIVEN_CHARS) + (rng.chance(0.7) ? rng.pick(GIVEN_CHARS) : '');
  const u = rng.next();
  let [lo, hi] = [0, SURNAME_CDF.length - 1];
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((SURNAME_CDF[mid] ?? 1) > u) hi = mid;
    else lo = mid + 1;
  }
  return (SURNAMES[lo] ?? '王') + given;
}

/** An 11-digit mainland mobile number, 1[3-9]x xxxx xxxx. */
export function mobilePhone(rng: Rng): string {
  let rest = '';
  for (let i = 0; i < 9; i++) rest += String(rng.int(0, 9));
  return `1${rng.int(3, 9)}${rest}`;
}

const PLACE_HEADS = Array.from(
  '金银龙凤桂白石新永太长双高兴和安红清柳竹花马青古朝泉宝云南北东西望华瑞民福顺江林松锦天',
);
const PLACE_TAILS = Array.from('桥湖山塘林堰河坝园湾坪岗花城苑溪沟庙店场铺家丰兴安和平盛华福宁');

/** A two-character place name (金桥, 白塘…) not yet in `taken`. */
export function placeName(rng: Rng, taken: Set<string>): string {
  for (;;) {
    const name = rng.pick(PLACE_HEADS) + rng.pick(PLACE_TAILS);
    if (name[0] !== name[1] && !taken.has(name)) {
      taken.add(name);
      return name;
    }
  }
}

/** Institutes are named after their town: 东升街道 + this. */
export const INSTITUTE_SUFFIX = '新时代文明实践所';

/** 东升街道新时代文明实践所 → 东升街道. */
export function townOf(instituteName: string): string {
  return instituteName.replace(INSTITUTE_SUFFIX, '');
}

/** The town government that takes an appeal: a street's 办事处, a town's 人民政府. */
export function townOffice(town: string): string {
  return town + (town.endsWith('街道') ? '办事处' : '人民政府');
}

/** "培育孵化文明实践、志愿服务品牌128个" (Shuangliu): the county's named brands, then town brands up to 128. */
export const BRAND_COUNT = 128;
const BRAND_THEMES = [
  '邻里守望',
  '红色轻骑兵',
  '银龄互助',
  '四点半课堂',
  '绿色家园',
  '法润万家',
  '健康同行',
  '书香润心',
  '巾帼志愿',
  '青春志愿',
  '文明新风',
  '乡贤调解',
  '非遗传承',
  '平安守护',
  '爱心助残',
  '科普惠民',
] as const;

/** A brand, and the institute of the town it grew in ('' for the county's named flagships). */
export interface Brand {
  id: string;
  name: string;
  instituteId: string;
}

/** The county's brands; generated articles cite them by id (B001…). */
export function brandsOf(network: Network): Brand[] {
  const named = countyFacts(network).brands.map((name) => ({ name, instituteId: '' }));
  const institutes = network.nodes.filter((n) => n.level === 'institute');
  const generated = Array.from({ length: Math.max(0, BRAND_COUNT - named.length) }, (_, i) => {
    const institute = institutes[i % institutes.length];
    const town = townOf(institute?.name ?? '');
    // 东升街道 → 东升, but 彭镇 stays 彭镇 (one character alone is no name).
    const short = town.length > 3 ? town.replace(/(街道|镇|乡)$/, '') : town;
    const theme = BRAND_THEMES[Math.floor(i / Math.max(1, institutes.length)) % BRAND_THEMES.length] ?? '';
    return { name: `${short}·${theme}`, instituteId: institute?.id ?? '' };
  });
  return [...named, ...generated].map((b, i) => ({ id: `B${String(i + 1).padStart(3, '0')}`, ...b }));
}

/** What a practice activity, a service order or an article is about. */
export const ACTIVITY_TOPICS = [
  '理论宣讲进社区',
  '我们的节日·端午诗会',
  '关爱独居老人上门服务',
  '垃圾分类宣传',
  '义诊送健康',
  '法律知识讲座',
  '少儿阅读分享会',
  '街巷音乐会',
  '文明交通劝导',
  '防诈骗知识宣传',
  '河道清洁行动',
  '移风易俗倡议',
  '应急救护培训',
  '四点半课堂',
] as const;

export const APPEAL_TITLES = {
  consult: ['咨询社保缴费流程', '咨询老年证办理', '咨询志愿者注册方式', '咨询医保报销比例', '咨询入学报名材料'],
  complaint: ['小区夜间施工噪音扰民', '道路积水影响出行', '路灯损坏无人维修', '占道经营影响通行', '垃圾清运不及时'],
  suggestion: ['建议增设公交站点', '建议增加社区健身器材', '建议开设老年人智能手机课堂', '建议延长图书馆开放时间'],
} as const;

/** Units on the 网上群众路线 platform that take an appeal (the article counts 1,614 of them). */
export const APPEAL_UNITS = [
  '民政局',
  '住建局',
  '城管局',
  '卫健局',
  '教育局',
  '人社局',
  '交通运输局',
  '市场监管局',
  '生态环境局',
  '文广旅局',
] as const;

/** What residents order (群众点单): the 1,000-a-year services of Baokang's order flow. */
export const ORDER_SERVICES = [
  '独居老人上门理发',
  '代购药品',
  '陪同就医',
  '家电义务维修',
  '政策上门讲解',
  '留守儿童课业辅导',
  '心理陪伴',
  '农技指导',
] as const;

/** The `reason` of an order's side exits (the happy path carries none). */
export const ORDER_EXIT_REASONS = {
  rejected: '超出服务范围',
  cancelled: '群众已自行解决',
  expired: '超时无人接单',
} as const;
