// The labeling guidelines a new store starts with (admins edit them in the UI).
export const DEFAULT_GUIDELINES = `Labeling guidelines / 标注指南

1. Intent / 意图: what the customer needs, as one snake_case key (screen_repair, refund_request, delivery_delay …). Add a new intent only when none fits. 选择最贴切的意图；确实没有合适的再新增。

2. FCR (first-contact resolution) / 首次解决: yes = the issue was solved in this contact and the customer would not need to come back; no = unsolved, escalated, or the customer had to contact again; unclear = the log does not tell. The FCR estimate from logs is only a suggestion. 日志估计仅供参考，以对话内容为准。

3. Accuracy / 准确性: correct = every statement matches policy and the customer's record (warranty from the purchase date!); partial = right direction but a fact is missing or vague; incorrect = a wrong fact or promise. 例如：购买 14 个月、保修 12 个月的手机不在保修期内。

4. Tone / 语气 1–5: 5 = warm, empathetic, professional; 3 = neutral or robotic; 1 = rude or blaming. Tags record why. 5 分：共情、礼貌、专业；1 分：粗鲁或指责客户。

5. Escalation / 转人工: "needed" = an angry customer, an explicit request for a human, a VIP with a complex issue, or a case the bot cannot solve. "escalated" = whether it actually happened.

6. Reference answer / 参考答案: the ideal reply to the customer's last message, in the customer's language. Required facts: the facts a correct answer must state, one per line.

7. Flag single agent turns that are wrong, rude, leak personal data, or are good examples worth learning from.
`;
