// The HTTP contract shared with the server (server/domain): one import point for the UI.
export * from '../../../server/domain/alerts.ts';
export * from '../../../server/domain/api.ts';
export * from '../../../server/domain/dialogue.ts';
export * from '../../../server/domain/finetune.ts';
export * from '../../../server/domain/insights.ts';
export * from '../../../server/domain/label.ts';
export * from '../../../server/domain/promotion.ts';
export * from '../../../server/domain/runs-api.ts';
export * from '../../../server/domain/settings.ts';
export * from '../../../server/domain/trends.ts';
