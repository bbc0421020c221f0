// The customer's CRM profile: tier, VIP, purchases with warranty status at the dialogue's date.
import type { CustomerView } from '../../../lib/contract.ts';
import { useI18n } from '../../../lib/i18n-context.tsx';

export function CrmPanel({ customer }: { customer: CustomerView | null }) {
  const { t } = useI18n();
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
          {customer.purchases.length === 0 ? (
            <p className="muted">{t('crm.noPurchases')}</p>
          ) : (
            <ul className="purchases">
              {customer.purchases.map((p, i) => (
                <li key={`${p.order_id ?? ''}-${i}`}>
                  <div className="purchase-product">{p.product}</div>
                  <div className="muted small">
                    {t('crm.bought', { date: p.purchased_at })}
                    {p.order_id && ` · ${p.order_id}`} · {t('crm.warrantyMonths', { n: p.warranty_months })}
                  </div>
                  {p.warranty.status === 'in_warranty' ? (
                    <span className="badge badge-ok">{t('crm.inWarranty', { days: p.warranty.days_left, date: p.warranty.expires_on })}</span>
                  ) : (
                    <span className="badge badge-bad">{t('crm.expired', { days: -p.warranty.days_left, date: p.warranty.expires_on })}</span>
                  )}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
