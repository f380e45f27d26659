/**
 * The guide's example of each event type (`data` exactly as the events guide shows it), plus the
 * platform's own system events. The demo stream, the docs and the tests publish these.
 */
export const GUIDE_EXAMPLES: Record<string, Record<string, unknown>> = {
  'agent.created': { agent_id: 'agent_123', name: 'Research Assistant', model: 'gpt-4-turbo', tools: ['web_search'], created_by: 'user_456' },
  'agent.updated': {
    agent_id: 'agent_123',
    changes: { name: { old: 'Old Name', new: 'New Name' }, model: { old: 'gpt-3.5-turbo', new: 'gpt-4-turbo' } },
    updated_by: 'user_456',
  },
  'agent.deleted': { agent_id: 'agent_123', deleted_by: 'user_456', permanent: false },
  'agent.published': { agent_id: 'agent_123', listing_id: 'mkt_abc', price: 49.99, dsid: '0x...' },
  'session.started': { session_id: 'sess_123', agent_id: 'agent_456', goal: 'Research AI trends', model: 'gpt-4-turbo' },
  'session.step.completed': { session_id: 'sess_123', step_number: 3, step_type: 'tool_call', tool: 'web_search', duration_ms: 1234 },
  'session.completed': { session_id: 'sess_123', agent_id: 'agent_456', status: 'completed', steps: 5, duration_ms: 12345, tokens_used: 2500 },
  'session.failed': { session_id: 'sess_123', agent_id: 'agent_456', error_code: 'timeout', error_message: 'Session timed out after 300 seconds', step_number: 3 },
  'team.task.assigned': { team_id: 'team_123', task_id: 'task_456', assigned_to: 'agent_789', assigned_by: 'agent_lead', task_description: 'Research competitor pricing' },
  'team.task.completed': { team_id: 'team_123', task_id: 'task_456', completed_by: 'agent_789', result: 'success', duration_ms: 5000 },
  'team.execution.completed': { team_id: 'team_123', execution_id: 'exec_456', status: 'completed', agents_used: 3, total_steps: 15, duration_ms: 45000 },
  'webhook.sent': { webhook_id: 'wh_123', delivery_id: 'del_456', url: 'https://example.com/webhook', status_code: 200, duration_ms: 234 },
  'webhook.failed': { webhook_id: 'wh_123', delivery_id: 'del_456', url: 'https://example.com/webhook', error: 'Connection timeout', retry_count: 2, next_retry_at: '2026-02-21T03:30:00Z' },
  'webhook.disabled': { webhook_id: 'wh_123', url: 'https://example.com/webhook', reason: 'failing', failing_since: '2026-02-18T03:30:00Z' },
  'user.login': { user_id: 'user_123', method: 'password', ip_address: '192.168.1.1', user_agent: 'Mozilla/5.0...' },
  'user.settings.updated': { user_id: 'user_123', changes: { notification_email: { old: false, new: true } } },
  'billing.invoice.created': { invoice_id: 'inv_123', amount: 99.0, currency: 'USD', period_start: '2026-02-01', period_end: '2026-02-28' },
  'billing.payment.succeeded': { payment_id: 'pay_123', invoice_id: 'inv_456', amount: 99.0, currency: 'USD', method: 'card' },
  'billing.payment.failed': { payment_id: 'pay_123', invoice_id: 'inv_456', amount: 99.0, error: 'Card declined', retry_at: '2026-02-22T00:00:00Z' },
  'system.maintenance.scheduled': {
    maintenance_id: 'mnt_123', title: 'Database upgrade', description: 'History queries may be slower for up to 10 minutes.',
    components: ['history'], starts_at: '2026-03-01T02:00:00Z', ends_at: '2026-03-01T02:30:00Z',
  },
  'system.maintenance.started': { maintenance_id: 'mnt_123', components: ['history'] },
  'system.maintenance.completed': { maintenance_id: 'mnt_123', components: ['history'], duration_ms: 1_260_000 },
  'system.incident.created': { incident_id: 'inc_123', title: 'Webhook delivery delays', severity: 'major', status: 'investigating', components: ['webhooks'] },
  'system.incident.updated': { incident_id: 'inc_123', status: 'identified', message: 'A slow dependency is delaying deliveries; a fix is rolling out.' },
  'system.incident.resolved': { incident_id: 'inc_123', duration_ms: 2_700_000, summary: 'Deliveries are back to normal; delayed events were all delivered.' },
};
