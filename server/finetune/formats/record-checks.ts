// Small shape checks shared by the formats' rules.

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}

/** Checks a list of {role, content, weight?} messages; `where` prefixes each reason. */
export function checkChatMessages(
  messages: unknown,
  where: string,
  rules: { roles: readonly string[]; weights?: boolean; needAssistant?: boolean; roleKey?: string; contentKey?: string },
): string[] {
  const roleKey = rules.roleKey ?? 'role';
  const contentKey = rules.contentKey ?? 'content';
  if (!Array.isArray(messages)) return [`${where} must be an array`];
  if (messages.length === 0) return [`${where} is empty`];
  const reasons: string[] = [];
  messages.forEach((m, i) => {
    const at = `${where}[${i}]`;
    if (!isObject(m)) return void reasons.push(`${at} is not an object`);
    const role = m[roleKey];
    if (typeof role !== 'string' || !rules.roles.includes(role)) reasons.push(`${at}.${roleKey} must be one of ${rules.roles.join(', ')} (got ${JSON.stringify(role)})`);
    if (!nonEmptyString(m[contentKey])) reasons.push(`${at}.${contentKey} must be a non-empty string`);
    if ('weight' in m) {
      if (!rules.weights) reasons.push(`${at}.weight is not allowed in this format`);
      else if (role !== 'assistant') reasons.push(`${at}.weight is allowed only on assistant messages`);
      else if (m.weight !== 0 && m.weight !== 1) reasons.push(`${at}.weight must be 0 or 1`);
    }
  });
  if (rules.needAssistant && !messages.some((m) => isObject(m) && m[roleKey] === (rules.roles.includes('assistant') ? 'assistant' : 'gpt'))) {
    reasons.push(`${where} has no assistant message`);
  }
  return reasons;
}

/** A list of exactly one assistant message (preference outputs). */
export function checkSingleAssistant(value: unknown, where: string): string[] {
  if (!Array.isArray(value) || value.length !== 1) return [`${where} must hold exactly one assistant message`];
  return checkChatMessages(value, where, { roles: ['assistant'] });
}
