export { Outbox, OUTBOX_LEASE_MS, OUTBOX_IDLE_CHECK_MS, OUTBOX_KEEP_DELIVERED_MS, type ReportSender, type OutboxOptions } from './outbox';
export { OutboxStore, type OutboxEntry, type NewReport } from './outbox-store';
export { DEFAULT_BACKOFF, retryDelayMs, type BackoffPolicy } from './backoff';
export { httpReportSender, REPORT_IDLE_TIMEOUT_MS, type HttpReportSenderOptions } from './http-report-sender';
