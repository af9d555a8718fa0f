/**
 * The report's words. The report is a Chinese document (issue 17.4: the county's leadership reads
 * it and files it), so it has one language; the console that lists it speaks both (client/i18n).
 */
import type { Criterion, EvaluationPeriod } from '../../shared/evaluation.js';
import { SHEET_WORDS } from '../exports/words.js';

export const REPORT_WORDS = {
  kinds: { month: '一月一评估', half: '半年一总结', year: '年度一评比' } satisfies Record<EvaluationPeriod, string>,
  reportOf: { month: '月度评估报告', half: '半年总结报告', year: '年度评比报告' } satisfies Record<
    EvaluationPeriod,
    string
  >,
  // The same words as the Excel export's headers: a figure is named alike in the sheet and the report.
  criteria: SHEET_WORDS['zh-CN'].criteria,
  criteriaShort: {
    activities: '活动',
    participants: '参与',
    serviceHours: '时长',
    ordersCompleted: '点单办结',
    appealsClosed: '诉求办结',
    mediaReads: '传播',
  } satisfies Record<Criterion, string>,
  categories: { consult: '咨询', complaint: '投诉', suggestion: '建议' } as Record<string, string>,
  district: '全区',
  scope: '范围',
  period: '评估期间',
  previous: '对比期间',
  weights: '评估权重',
  weightsVersion: '权重版本',
  version0: '配置默认',
  dataAsOf: '数据截至',
  thisPeriod: '本期',
  previousPeriod: '上期',
  total: '合计',
  target: '目标',
  /** In the order printed; numbered as printed (a town's report has no 所 ranking: html.ts). */
  sections: {
    summary: '总体情况',
    institutes: '文明实践所排名',
    stations: '文明实践站排名',
    brands: '品牌传播力',
    media: '媒体传播（实践报道）',
    appeals: '网上群众路线：诉求办结',
  },
  numerals: ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'],
  columns: {
    rank: '名次',
    previousRank: '上期',
    name: '名称',
    score: '得分',
    criterion: '指标',
    value: '本期',
    before: '上期',
    change: '变化',
    brand: '品牌',
    articles: '稿件',
    activities: '活动',
    participants: '参与人次',
    reads: '阅读',
    shares: '转发',
    title: '实践报道',
    category: '类别',
    received: '受理',
    closed: '办结',
    rate: '办结率',
  },
  media: {
    allReads: '全部稿件阅读',
    allShares: '全部稿件转发',
    practiceReads: '实践报道阅读',
    practiceShares: '实践报道转发',
    practiceArticles: '被阅读的实践报道（篇）',
  },
  charts: {
    institutes: '各所得分',
    stations: '各站得分（前 20）',
    criteria: '各项指标：本期为上期的百分比',
    brands: '品牌阅读量（前 10）',
    appeals: '诉求办结率与目标',
  },
  notes: {
    scoring: '得分：各项指标以本期最高单位为 100% 折算后按权重加权（0–100）；名次相同得分并列。',
    stationsTown: '本报告范围为一镇（街道），按站排名。',
    noPrevious: '—',
    movement: '名次较上期',
  },
} as const;
