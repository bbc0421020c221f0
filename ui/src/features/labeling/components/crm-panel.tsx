// The customer's CRM profile: tier, VIP, purchases with warranty status at the dialogue's date. The
// purchase the dialogue is about comes first, then newest first; the rest are one click away.
import { useState } from 'react';
import type { CustomerView } from '../../../lib/contract.ts';
import { useI18n } from '../../../lib/i18n-context.tsx';
import { orderPurchases } from '../utils/purchases.ts';
import './labeling.css';

/** Purchases shown before "show all". */
const FIRST_PURCHASES = 3;

type PurchaseView = CustomerView['purchases'][number];

function PurchaseItem({ purchase: p, discussed }: { purchase: PurchaseView; discussed: boolean }) {
  const { t } = useI18n();
  // warranty_months 0 is a service or a plan (as the prompts treat it), not a lapsed warranty
  const service = p.warranty_months === 0;
  return (
    <li className={discussed ? 'purchase-discussed' : undefined} data-testid="purchase">
      <div className="purchase-product">
        {p.product} {discussed && <span className="badge badge-discussed">{t('crm.discussed')}</span>}
      </div>
      <div className="muted small">
        {t('crm.bought', { date: p.purchased_at })}
        {p.order_id && ` · ${p.order_id}`}
        {!service && ` · ${t('crm.warrantyMonths', { n: p.warranty_months })}`}
      </div>
      {service ? (
        <span className="badge badge-service">{t('crm.servicePlan')}</span>
      ) : p.warranty.status === 'in_warranty' ? (
        <span className="badge badge-ok">{t('crm.inWarranty', { days: p.warranty.days_left, date: p.warranty.expires_on })}</span>
      ) : (
        <span className="badge badge-bad">{t('crm.expired', { days: -p.warranty.days_left, date: p.warranty.expires_on })}</span>
      )}
    </li>
  );
}

export function CrmPanel({ customer, dialogueText = '' }: { customer: CustomerView | null; dialogueText?: string }) {
  const { t } = useI18n();
  const [showAll, setShowAll] = useState(false);
  const { ordered, discussed } = orderPurchases(customer?.purchases ?? [], dialogueText);
  const shown = showAll ? ordered : ordered.slice(0, FIRST_PURCHASES);
  return (
    <section className="card crm" aria-label={t('crm.title')}>
      <h3>{t('crm.title')}</h3>
      {!customer ? (
        <p className="muted">{t('crm.none')}</p>
      ) : (
        <>
          <div className="crm-who">
            <span>{customer.name ?? customer.customer_id}</span>
            {customer.tier === 'vip' ? <span className="badge badge-vip">VIP</span> : <span className={`badge tier-${customer.tier}`}>{t(`tier.${customer.tier}`)}</span>}
          </div>
          {customer.since && <div className="muted small">{t('crm.since', { date: customer.since })}</div>}
          {ordered.length === 0 ? (
            <p className="muted">{t('crm.noPurchases')}</p>
          ) : (
            <ul className="purchases">
              {shown.map((p, i) => (
                <PurchaseItem key={`${p.order_id ?? ''}-${p.product}-${i}`} purchase={p} discussed={p === discussed} />
              ))}
            </ul>
          )}
          {ordered.length > FIRST_PURCHASES && (
            <button type="button" className="btn btn-small crm-more" aria-expanded={showAll} onClick={() => setShowAll((v) => !v)}>
              {showAll ? t('crm.showFewer') : t('crm.showAll', { n: ordered.length })}
            </button>
          )}
        </>
      )}
    </section>
  );
}
