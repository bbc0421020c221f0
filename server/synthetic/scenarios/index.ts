// The scenario registry: one definition per intent, with how often each intent comes up.
import type { Intent, ScenarioDef } from '../scenario.ts';
import { weighted } from '../rng.ts';
import { complaint, humanRequest } from './handoff.ts';
import { cancelOrder, changeAddress, deliveryDelay, refundRequest } from './orders.ts';
import { deviceSetup } from './setup.ts';
import { billingDispute, planRecommendation } from './telecom.ts';
import { screenRepair, warrantyClaim } from './warranty.ts';

export const SCENARIOS: Readonly<Record<Intent, ScenarioDef>> = {
  screen_repair: screenRepair,
  warranty_claim: warrantyClaim,
  refund_request: refundRequest,
  delivery_delay: deliveryDelay,
  plan_recommendation: planRecommendation,
  billing_dispute: billingDispute,
  device_setup: deviceSetup,
  cancel_order: cancelOrder,
  change_address: changeAddress,
  complaint,
  human_request: humanRequest,
};

/** Relative frequency of first contacts per intent. */
export const INTENT_MIX = weighted<Intent>([
  ['screen_repair', 10], ['warranty_claim', 10], ['refund_request', 11], ['delivery_delay', 12],
  ['plan_recommendation', 9], ['billing_dispute', 9], ['device_setup', 10], ['cancel_order', 7],
  ['change_address', 6], ['complaint', 8], ['human_request', 6],
]);
